/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fstab: the ESPs' lines; see fstab.h. */
#include "fstab.h"

#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

void fstab_esps_free(struct fstab_esps *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->lines[i].target);
		free(f->lines[i].source);
	}
	memset(f, 0, sizeof *f);
}

static int letter_cmp(const void *a, const void *b)
{
	return ((const struct fstab_esp *)a)->letter - ((const struct fstab_esp *)b)->letter;
}

/* The PARTUUID a source names outright, lower case, or "". */
static void source_partuuid(const char *src, char out[GUID_STR_LEN])
{
	static const char *const prefixes[] = { "PARTUUID=", "/dev/disk/by-partuuid/" };
	out[0] = '\0';
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(src, prefixes[i], n) != 0)
			continue;
		const char *g = src + n;
		char q[GUID_STR_LEN + 2];
		/* PARTUUID="..." is allowed by fstab(5). */
		if (*g == '"') {
			size_t len = strlen(g);
			if (len < 2 || g[len - 1] != '"' || len - 2 >= sizeof q)
				return;
			memcpy(q, g + 1, len - 2);
			q[len - 2] = '\0';
			g = q;
		}
		if (!guid_is_valid(g))
			return;
		for (size_t k = 0; k < GUID_STR_LEN; k++)
			out[k] = g[k] >= 'A' && g[k] <= 'Z' ? (char)(g[k] - 'A' + 'a') : g[k];
		return;
	}
}

/* Returns 0 or a negative errno with why set. */
int fstab_read_esps(const char *fstab, const char *esp_root, struct fstab_esps *out,
		    struct reason *why)
{
	memset(out, 0, sizeof *out);
	if (fileio_exists(AT_FDCWD, fstab) == 0)
		return 0;
	struct libmnt_table *tb = mnt_new_table();
	if (!tb) {
		reason_set(why, "out of memory");
		return -ENOMEM;
	}
	int r = mnt_table_parse_fstab(tb, fstab);
	if (r != 0) {
		mnt_unref_table(tb);
		reason_set(why, "cannot read %s: %s", fstab, fileio_error_words(r < 0 ? r : -EBADMSG));
		return r < 0 ? r : -EBADMSG;
	}
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	size_t rlen = strlen(esp_root);
	r = 0;
	while (it && r == 0 && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *t = mnt_fs_get_target(fs);
		if (!t || strncmp(t, esp_root, rlen) != 0 || t[rlen] != '@' || t[rlen + 1] < 'a' ||
		    t[rlen + 1] > 'z' || t[rlen + 2] != '\0')
			continue;
		struct fstab_esp *e = NULL;
		for (size_t i = 0; i < out->n; i++)
			if (out->lines[i].letter == t[rlen + 1])
				e = &out->lines[i];
		if (!e) {
			e = &out->lines[out->n++];
		} else {
			free(e->target);
			free(e->source);
		}
		memset(e, 0, sizeof *e);
		e->letter = t[rlen + 1];
		const char *src = mnt_fs_get_source(fs);
		e->target = strdup(t);
		e->source = strdup(src ? src : "");
		if (!e->target || !e->source) {
			r = -ENOMEM;
			break;
		}
		source_partuuid(e->source, e->partuuid);
		char *value = NULL;
		size_t vlen = 0;
		const char *opts = mnt_fs_get_options(fs);
		/* Every x-systemd.before= of the line (it may be given twice). */
		for (const char *o = opts; o && mnt_optstr_get_option(o, "x-systemd.before", &value,
								      &vlen) == 0;) {
			if (vlen == strlen("bootbind.service") &&
			    strncmp(value, "bootbind.service", vlen) == 0)
				e->before_bind = true;
			o = value + vlen;
		}
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (r < 0) {
		fstab_esps_free(out);
		reason_set(why, "out of memory");
		return r;
	}
	qsort(out->lines, out->n, sizeof out->lines[0], letter_cmp);
	return 0;
}
