/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* generator: bootsync-generator, the systemd generator (systemd.generator(7))
 * that orders bind after the ESP the firmware booted from alone.
 *
 * Without it, every ESP's fstab line had to say
 * x-systemd.before=bootbind.service, and a dead disk's mount job (which
 * waits for its device, 90 s by default) held back bind, local-fs.target
 * and the whole boot. The booted ESP is known before any disk is probed
 * (LoaderDevicePartUUID, else BootCurrent -> Boot#### -> HD(), from
 * efivarfs, which PID 1 mounts before it runs generators), so the
 * generator writes drop-ins:
 *   bootbind.service  Wants= and After= the booted partition's device
 *                     (dev-disk-by\x2dpartuuid-GUID.device), and After= its
 *                     mount when an fstab line names that PARTUUID; bind
 *                     then waits a bounded time for the mount itself;
 *   bootsync.service  After= every ESP's mount, so that a disk that is
 *                     slow to appear is synced, not reported missing
 *                     (bootsync.service does not hold back
 *                     multi-user.target: it has no default dependencies).
 * When no variable names the booted partition, bind is ordered after every
 * ESP's mount (the old ordering), and the journal says why. */
#pragma once

#include <stddef.h>

#include "paths.h"

/* Run as the generator: argv[1] is the normal output directory (argv[2]
 * and argv[3], the early and late ones, are not used). Returns the exit
 * status; a generator never fails the boot for what it cannot find. */
int generator_run(int argc, char **argv, const struct paths *paths, const char *esp_root);

/* systemd's unit name of path and suffix (".mount", ".device"): leading
 * '/' dropped, '/' as '-', other bytes outside [A-Za-z0-9:_.] and a
 * leading '.' as \xNN, as systemd-escape --path does. Returns 0, or
 * -ENAMETOOLONG when it does not fit in len. */
int generator_unit_name(const char *path, const char *suffix, char *out, size_t len);
