/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bootcheck: would this ESP boot this machine on its own?
 *
 * Yes when it holds a boot loader the firmware finds (layout's
 * systemd-boot or removable-media path for this architecture), at least
 * one boot entry of the token (the entries of its scanned tree:
 * loader/entries/<token>-*.conf, EFI/Linux/<token>-*.efi), and every file
 * that the type 1 entries name (linux, initrd, efi, devicetree lines). */
#pragma once
#include "reason.h"
#include "tree.h"

/* rootfd: the ESP's root; tree: its scan (which holds the entries'
 * content). Returns 1 if bootable, or 0 with why saying why not (e.g.
 * "entry loader/entries/x.conf names missing /x/6.1/initrd"). Logs
 * nothing. */
int bootcheck_esp(int rootfd, const struct tree *tree, struct reason *why);
