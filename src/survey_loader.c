/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey: the boot loader of each target, kept in step, never down. A
 * part of the survey's decisions (see survey.h), in its own file; called
 * by survey.c. */
#include "survey_internal.h"

#include <errno.h>
#include <string.h>

#include "fileio.h"
#include "layout.h"

/* Read an ESP's two loader files; like: the source's systemd-boot, which a
 * target's copy matches when nothing changed (then it is not read again).
 * A loader that cannot be read is noted, never an error of the survey. */
void survey_read_loaders(struct survey_esp *e, const struct loader_file *like)
{
	const struct layout_loader *ld = layout_native_loader();
	struct reason why;
	if (loader_read(e->rootfd, ld->sdboot, like, &e->loader_sd, &why) < 0 ||
	    loader_read(e->rootfd, ld->fallback, like, &e->loader_fb, &why) < 0) {
		e->loader_note = why;
		return;
	}
	e->loader_known = true;
}

const char *survey_loader_version(const struct survey_esp *e)
{
	if (e->loader_sd.sdboot)
		return e->loader_sd.version;
	if (e->loader_fb.sdboot)
		return e->loader_fb.version;
	return NULL;
}

/* The directories of path (a loader's) must exist on the target: plan a
 * mkdir for each missing one. Returns false (with a note) when one is
 * there but is not a directory: then the loader is left alone. */
static bool loader_dirs(struct survey_esp *e, const char *path)
{
	char dir[256];
	for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t n = (size_t)(slash - path);
		if (n >= sizeof dir)
			return false;
		memcpy(dir, path, n);
		dir[n] = '\0';
		int r = fileio_is_dir(e->rootfd, dir);
		if (r == 1)
			continue;
		if (r == 0 || r != -ENOENT) {
			reason_set(&e->loader_note, "%s is not a directory: the boot loader is left alone",
				   dir);
			return false;
		}
		if (plan_add_mkdir(&e->plan, dir) < 0)
			return false;
	}
	return true;
}

/* Bring one loader file of the target (path, what is there now in cur) up
 * to the source's systemd-boot: copied when missing (and create says so),
 * replaced when it is an older systemd-boot, never touched when it is
 * newer or not systemd-boot. Returns 0 or -ENOMEM. */
static int plan_loader_file(struct survey *s, struct survey_esp *e, const char *path,
			    const struct loader_file *cur, bool create)
{
	const struct loader_file *src = s->loader;
	if (!cur->present) {
		if (!create || !loader_dirs(e, path))
			return 0;
	} else if (!cur->sdboot) {
		return 0; /* shim, another system's loader: never ours */
	} else {
		int c = version_compare_uapi(src->version, cur->version);
		if (c < 0) {
			reason_set(&e->loader_note,
				   "its systemd-boot %s is newer than the source's %s: left alone",
				   cur->version, src->version);
			return 0;
		}
		if (c == 0)
			return 0;
		e->loader_behind = true;
	}
	return plan_add_loader(&e->plan, path,
			       strcmp(path, s->loader_from) == 0 ? NULL : s->loader_from, src->size,
			       src->mtime);
}

/* Plan the target's boot loader after its kernels. Returns 0 or -ENOMEM. */
int survey_plan_loaders(struct survey *s, struct survey_esp *e)
{
	survey_read_loaders(e, s->loader);
	if (!e->loader_known || !s->loader)
		return 0;
	const struct layout_loader *ld = layout_native_loader();
	int r = plan_loader_file(s, e, ld->sdboot, &e->loader_sd, true);
	if (r == 0)
		r = plan_loader_file(s, e, ld->fallback, &e->loader_fb, s->source->loader_fb.sdboot);
	return r;
}

