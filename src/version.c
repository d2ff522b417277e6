/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* version: `sort -V` order and the kernel versions of /lib/modules and an ESP.
 *
 * The order is GNU filevercmp as coreutils >= 9.1 uses it (written here from
 * its documented semantics, not copied):
 *  - the empty string sorts first; then names starting with '.' ("." before
 *    ".." before other dot names) before all others;
 *  - a trailing "suffix", the longest match of (\.[A-Za-z~][A-Za-z0-9~]*)*$,
 *    is ignored in a first pass and only decides when the rest compares
 *    equal ("6.1.fc39" and "6.1.fc40" tie on "6.1");
 *  - strings alternate non-digit runs, compared character by character
 *    with '~' before the end of the run, the end before letters, letters
 *    before everything else; and digit runs, compared as numbers (leading
 *    zeros ignored);
 *  - what still compares equal ("1.01" and "1.1") is ordered by bytes, as
 *    sort's last-resort comparison does, so the order is total. */
#include "version.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "fileio.h"

/* The locale-independent character classes filevercmp uses. */
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

/* Length of s without its suffix (see the top of this file). coreutils 9.1
 * lets the suffix start at the first character, which matters only for
 * names starting with '.' (".a6" is all suffix); later gnulib keeps the
 * first character in the prefix. Kernel versions never start with '.'. */
static size_t prefix_len(const char *s, size_t len)
{
	size_t i = 0;

	for (;;) {
		size_t start = i;
		/* Skip suffix components starting here; if they reach the end,
		 * the suffix starts at start. */
		while (i + 1 < len && s[i] == '.' && (is_alpha(s[i + 1]) || s[i + 1] == '~')) {
			i += 2;
			while (i < len && (is_alnum(s[i]) || s[i] == '~'))
				i++;
		}
		if (i >= len)
			return start;
		/* s[i] cannot start a suffix (the loop above stopped there),
		 * and no position inside the skipped run can either: the
		 * run from there would stop at the same s[i]. */
		i++;
	}
}

/* Weight of the character at s[pos] in a non-digit run: the end of the
 * string and digits (the end of the run) weigh 0, '~' less than that,
 * letters more, and any other byte more than every letter. */
static int char_order(const char *s, size_t pos, size_t len)
{
	if (pos >= len || is_digit(s[pos]))
		return 0;
	unsigned char c = (unsigned char)s[pos];
	if (is_alpha((char)c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/* Compare the first alen bytes of a with the first blen bytes of b by
 * alternating non-digit and digit runs. Returns <0, 0, >0. */
static int compare_runs(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		/* Non-digit run: character by character. Equal weights other
		 * than 0 mean both sides are at the same non-digit, so both
		 * advance together. */
		while ((i < alen && !is_digit(a[i])) || (j < blen && !is_digit(b[j]))) {
			int oa = char_order(a, i, alen), ob = char_order(b, j, blen);
			if (oa != ob)
				return oa - ob;
			i++;
			j++;
		}

		/* Digit run: numerically, i.e. without leading zeros the longer
		 * run is larger, and runs of equal length compare by their
		 * first differing digit. */
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;
		int first_diff = 0;
		while (i < alen && j < blen && is_digit(a[i]) && is_digit(b[j])) {
			if (first_diff == 0)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < alen && is_digit(a[i]))
			return 1;
		if (j < blen && is_digit(b[j]))
			return -1;
		if (first_diff != 0)
			return first_diff;
	}
	return 0;
}

/* filevercmp proper: 0 when a and b are equivalent, not only when equal. */
static int filevercmp_len(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return (alen != 0) - (blen != 0);

	/* "." first, then "..", then other hidden names, then the rest. */
	if (a[0] == '.' || b[0] == '.') {
		if (a[0] != '.')
			return 1;
		if (b[0] != '.')
			return -1;
		bool adot = alen == 1, bdot = blen == 1;
		if (adot || bdot)
			return bdot - adot;
		bool adotdot = alen == 2 && a[1] == '.', bdotdot = blen == 2 && b[1] == '.';
		if (adotdot || bdotdot)
			return bdotdot - adotdot;
	}

	size_t apre = prefix_len(a, alen), bpre = prefix_len(b, blen);
	int r = compare_runs(a, apre, b, bpre);
	if (r != 0 || (apre == alen && bpre == blen))
		return r;
	return compare_runs(a, alen, b, blen);
}

/* Returns <0, 0 or >0; 0 only for identical strings. */
int version_compare(const char *a, const char *b)
{
	int r = filevercmp_len(a, strlen(a), b, strlen(b));
	if (r != 0)
		return r < 0 ? -1 : 1;
	r = strcmp(a, b);
	return r < 0 ? -1 : r > 0;
}

/* ---- the UAPI order (boot loaders) ---- */

static bool uapi_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '~' || c == '^'; }
static int sign(long d) { return (d > 0) - (d < 0); }

/* One separator step: when either string is at sep, the one that is not
 * wins (+1 for a) or loses, as newer_without says; when both are, both
 * move past it. Returns the decision, or 0 to go on. */
static int uapi_sep(const char **a, const char **b, char sep, int newer_without)
{
	if (**a != sep && **b != sep)
		return 0;
	if ((**a == sep) != (**b == sep))
		return **a == sep ? -newer_without : newer_without;
	(*a)++, (*b)++;
	return 0;
}

/* Returns <0, 0 or >0; see version.h. Each round: skip what is not a
 * version character; '~' (the one with it is older, even than the end);
 * the end (the one with more left is newer); '-', '^' and '.' (the one
 * with it is older); then one run of digits (by value; digits are newer
 * than none) or of letters (bytewise, longer is newer). As systemd does,
 * the separators are taken in turn within a round, without skipping
 * again between them. */
int version_compare_uapi(const char *a, const char *b)
{
	for (;;) {
		while (*a && !uapi_char(*a))
			a++;
		while (*b && !uapi_char(*b))
			b++;
		int r = uapi_sep(&a, &b, '~', 1);
		if (r != 0)
			return r;
		if (!*a || !*b)
			return sign((long)(unsigned char)*a - (long)(unsigned char)*b);
		if ((r = uapi_sep(&a, &b, '-', 1)) != 0 || (r = uapi_sep(&a, &b, '^', 1)) != 0 ||
		    (r = uapi_sep(&a, &b, '.', 1)) != 0)
			return r;
		size_t la = 0, lb = 0;
		if (is_digit(*a) || is_digit(*b)) {
			while (is_digit(a[la]))
				la++;
			while (is_digit(b[lb]))
				lb++;
			if ((la > 0) != (lb > 0))
				return la > 0 ? 1 : -1;
			const char *ea = a + la, *eb = b + lb;
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			la = (size_t)(ea - a), lb = (size_t)(eb - b);
			if (la != lb)
				return la > lb ? 1 : -1;
			if ((r = memcmp(a, b, la)) != 0)
				return sign(r);
			a = ea, b = eb;
			continue;
		}
		while (is_alpha(a[la]))
			la++;
		while (is_alpha(b[lb]))
			lb++;
		if ((r = memcmp(a, b, la < lb ? la : lb)) != 0)
			return sign(r);
		if (la != lb)
			return la > lb ? 1 : -1;
		a += la, b += lb;
	}
}

static int version_cmp_qsort(const void *x, const void *y)
{
	return version_compare(*(char *const *)x, *(char *const *)y);
}

void version_list_free(struct version_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct version_list){ 0 };
}

const char *version_list_newest(const struct version_list *l)
{
	return l && l->n > 0 ? l->v[l->n - 1] : NULL;
}

/* Returns 0, -E2BIG or -ENOMEM; see version.h. A real machine has a
 * handful of kernels; more than the bound is not a kernel store we
 * understand. */
int version_list_add(struct version_list *l, const char *s, size_t len)
{
	if (len == 0 || !isdigit((unsigned char)s[0]))
		return 0;
	if (l->n >= VERSION_MAX_LIST)
		return -E2BIG;
	char *copy = strndup(s, len);
	if (!copy)
		return -ENOMEM;
	if (ARRAY_GROW(l->v, l->n, l->cap) < 0) {
		free(copy);
		return -ENOMEM;
	}
	l->v[l->n++] = copy;
	return 0;
}

bool version_list_has(const struct version_list *l, const char *v)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], v) == 0)
			return true;
	return false;
}

/* Sort ascending and drop duplicates (identical strings compare 0). */
void version_list_sort_unique(struct version_list *l)
{
	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof *l->v, version_cmp_qsort);
	size_t k = 1;
	for (size_t i = 1; i < l->n; i++) {
		if (strcmp(l->v[i], l->v[k - 1]) == 0)
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

/* Returns 0 or a negative errno with why naming modules_dir. */
int version_list_modules(const char *modules_dir, struct version_list *out, struct reason *why)
{
	struct version_list l = { 0 };
	_cleanup_closedir_ DIR *d = NULL;

	*out = l;
	int r = fileio_opendir(AT_FDCWD, modules_dir, &d);
	if (r == 0 && !d)
		r = -ENOENT;
	if (r < 0) {
		reason_set(why, "cannot open %s: %s", modules_dir, fileio_error_words(r));
		return r;
	}
	struct dirent *de;
	while ((r = fileio_readdir(d, &de)) > 0) {
		if (de->d_name[0] == '.')
			continue;
		int dir = fileio_is_dir(dirfd(d), de->d_name);
		if (dir == -ENOENT)
			continue; /* removed while we read */
		if (dir < 0) {
			r = dir;
			break;
		}
		if (!dir)
			continue;
		r = version_list_add(&l, de->d_name, strlen(de->d_name));
		if (r < 0)
			break;
	}
	if (r < 0) {
		version_list_free(&l);
		if (r == -E2BIG)
			reason_set(why, "%s holds more than %d kernel versions, more than this program "
					"understands",
				   modules_dir, VERSION_MAX_LIST);
		else
			reason_set(why, "cannot read %s: %s", modules_dir, fileio_error_words(r));
		return r;
	}
	version_list_sort_unique(&l);
	*out = l;
	return 0;
}
