/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* paths: the system defaults; see paths.h. */
#include "paths.h"

const struct paths paths_system = {
	.mountinfo = "/proc/self/mountinfo",
	.fstab = "/etc/fstab",
	.efivars = "/sys/firmware/efi/efivars",
	.modules = "/lib/modules",
	.machine_id = "/etc/machine-id",
	.entry_token = "/etc/kernel/entry-token",
	.lock = "/run/bootsync.lock",
};
