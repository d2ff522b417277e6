/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bootcheck: would this ESP boot this machine on its own?
 *
 * Yes when it holds a boot loader the firmware finds (EFI/BOOT/BOOTX64.EFI
 * or EFI/systemd/systemd-bootx64.efi), at least one boot entry for the
 * token (loader/entries/<token>-*.conf or EFI/Linux/<token>-*.efi), and
 * every file that the token's entries name (linux, initrd, efi,
 * devicetree lines) is present. */
#pragma once
#include <stddef.h>

/* Returns 1 if bootable, 0 if not (reason written to why, e.g. "entry
 * loader/entries/x.conf names missing /x/6.1/initrd"), negative errno on
 * an error reading the ESP. */
int bootcheck_esp(int rootfd, const char *token, char *why, size_t why_len);
