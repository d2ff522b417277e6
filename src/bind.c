/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bind: bind-mount the ESP the firmware booted from on the ESP root.
 * Runs early at boot (bootbind.service), before local-fs.target. Every
 * failure is one line on stderr, a non-zero exit, and nothing mounted. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "efi.h"
#include "esp.h"
#include "log.h"
#include "verbs.h"

int bind_run(const struct options *o)
{
	struct stat st;
	if (stat(o->esp_root, &st) < 0) {
		log_error_errno(errno, "%s", o->esp_root);
		return EXIT_PRECONDITION;
	}
	if (!S_ISDIR(st.st_mode)) {
		log_error("%s is not a directory", o->esp_root);
		return EXIT_PRECONDITION;
	}

	struct esp_set set;
	int ret = EXIT_PRECONDITION;
	if (esp_discover(o->esp_root, true, &set) < 0)
		goto out;
	if (set.root_mounted) {
		log_error("%s is already a mountpoint: refusing to bind over it", o->esp_root);
		goto out;
	}
	int r = esp_dir_is_empty(o->esp_root);
	if (r < 0) {
		log_error_errno(r, "cannot read %s", o->esp_root);
		goto out;
	}
	if (r == 0) {
		log_error("%s is not empty: refusing to hide its files under a bind mount",
			  o->esp_root);
		goto out;
	}

	char uuid[EFI_UUID_STR_LEN];
	enum efi_booted_source how;
	if (efi_booted_partuuid(EFI_VARS_DIR, o->efi_wait_ms, uuid, &how) < 0)
		goto out;

	const struct esp *booted = NULL;
	for (size_t i = 0; i < set.n; i++) {
		const struct esp *e = &set.esps[i];
		if (!e->mounted || !efi_uuid_equal(e->partuuid, uuid))
			continue;
		if (booted) {
			/* Cloned disks keep their PARTUUIDs: guessing would be wrong. */
			log_error("both %s and %s have PARTUUID %s: cannot tell which one booted",
				  booted->path, e->path, uuid);
			goto out;
		}
		booted = e;
	}
	if (!booted) {
		log_error("no %s@[a-z] mount has PARTUUID %s, the booted ESP (from %s): is its fstab "
			  "line there and is it mounted?",
			  o->esp_root, uuid, how == EFI_BOOTED_LOADER ? "LoaderDevicePartUUID" : "BootCurrent");
		goto out;
	}
	if (esp_bind_mount(booted->path, o->esp_root) < 0) {
		ret = EXIT_ERROR;
		goto out;
	}
	log_info("bound %s (%s, PARTUUID %s) on %s", booted->path,
		 booted->device ? booted->device : "?", uuid, o->esp_root);
	ret = EXIT_OK;
out:
	esp_set_free(&set);
	return ret;
}
