/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bind: bind-mount the ESP the firmware booted from on the ESP root.
 * Runs early at boot (bootbind.service), before local-fs.target. Every
 * failure is one line on stderr, a non-zero exit, and nothing mounted. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <time.h>

#include "booted.h"
#include "esp.h"
#include "fileio.h"
#include "log.h"
#include "paths.h"
#include "verbs.h"

/* How often bind looks again for the booted ESP's mount. */
#define BIND_POLL_MS 50

/* The one mounted ESP whose PARTUUID is the booted one, or NULL: with
 * why set when none is (yet), after logging when two are (a cloned disk:
 * waiting cannot help, *fatal is set). */
static const struct esp *bind_find(const struct esp_set *set, const struct booted *b,
				   struct reason *why, bool *fatal)
{
	const struct esp *found = NULL;
	for (size_t i = 0; i < set->n; i++) {
		const struct esp *e = &set->esps[i];
		if (!e->mounted || !guid_equal(e->partuuid, b->partuuid))
			continue;
		if (found) {
			/* Cloned disks keep their PARTUUIDs: guessing would be wrong. */
			log_error("both %s and %s have PARTUUID %s: cannot tell which one booted",
				  found->path, e->path, b->partuuid);
			*fatal = true;
			return NULL;
		}
		found = e;
	}
	if (!found)
		reason_set(why,
			   "no %s@[a-z] mount has PARTUUID %s, the booted ESP (from %s): is its fstab "
			   "line there and is it mounted?",
			   set->root, b->partuuid, booted_source_name(b->how));
	return found;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait up to wait_ms for the booted ESP's mount: bootsync-generator orders
 * bind after the booted partition's device, and its mount job may still
 * be running. set is rediscovered while waiting. Returns it or NULL after
 * logging why. */
static const struct esp *bind_wait(const struct paths *p, const char *root, struct esp_set *set,
				   const struct booted *b, unsigned wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	bool said = false;
	for (;;) {
		struct reason why;
		bool fatal = false;
		const struct esp *e = bind_find(set, b, &why, &fatal);
		if (e || fatal)
			return e;
		if (now_ms() >= deadline) {
			log_error("%s (waited %u ms)", why.text, wait_ms);
			return NULL;
		}
		if (!said) {
			log_debug("waiting up to %u ms for the mount of PARTUUID %s", wait_ms, b->partuuid);
			said = true;
		}
		nanosleep(&(struct timespec){ .tv_nsec = BIND_POLL_MS * 1000000L }, NULL);
		esp_set_free(set);
		if (esp_discover(p->mountinfo, root, true, set, &why) < 0) {
			log_error("%s", why.text);
			return NULL;
		}
	}
}

int bind_run(const struct options *o)
{
	const struct paths *p = &paths_system;
	int r = fileio_is_dir(AT_FDCWD, o->esp_root);
	if (r < 0) {
		log_error_errno(r, "%s", o->esp_root);
		return EXIT_PRECONDITION;
	}
	if (r == 0) {
		log_error("%s is not a directory (a symbolic link is not followed)", o->esp_root);
		return EXIT_PRECONDITION;
	}

	struct esp_set set;
	struct reason why;
	int ret = EXIT_PRECONDITION;
	if (esp_discover(p->mountinfo, o->esp_root, true, &set, &why) < 0) {
		log_error("%s", why.text);
		goto out;
	}
	if (set.root_mounted) {
		log_error("%s is already a mountpoint: refusing to bind over it", o->esp_root);
		goto out;
	}
	r = esp_dir_is_empty(o->esp_root);
	if (r < 0) {
		log_error_errno(r, "cannot read %s", o->esp_root);
		goto out;
	}
	if (r == 0) {
		log_error("%s is not empty: refusing to hide its files under a bind mount",
			  o->esp_root);
		goto out;
	}

	struct booted b;
	if (booted_find(p->efivars, o->efi_wait_ms, &b, &why) < 0) {
		log_error("%s", why.text);
		goto out;
	}
	const struct esp *booted = bind_wait(p, o->esp_root, &set, &b, o->mount_wait_ms);
	if (!booted)
		goto out;
	if (esp_bind_mount(booted->path, o->esp_root) < 0) {
		ret = EXIT_ERROR;
		goto out;
	}
	log_info("bound %s (%s, PARTUUID %s) on %s", booted->path,
		 booted->device ? booted->device : "?", b.partuuid, o->esp_root);
	ret = EXIT_OK;
out:
	esp_set_free(&set);
	return ret;
}
