/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bootentry: Boot#### and BootOrder; see bootentry.h. */
#include "bootentry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efivars.h"
#include "fileio.h"
#include "log.h"

void bootentry_list_free(struct bootentry_list *l)
{
	free(l->entries);
	free(l->order);
	free(l->used);
	memset(l, 0, sizeof *l);
}

/* BootOrder, if there is one that can be read: an array of UINT16. A
 * missing or malformed one is an empty order (warned when malformed). */
static int read_boot_order(const char *dir, struct bootentry_list *l)
{
	_cleanup_free_ uint8_t *data = NULL;
	size_t len = 0;
	struct reason why;
	int r = efivars_read(dir, "BootOrder", EFIVARS_GLOBAL_GUID, NULL, &data, &len, &why);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		log_warn("%s; ignoring it", why.text);
		return 0;
	}
	if (len % 2 != 0) {
		log_warn("BootOrder-%s: odd length %zu, ignoring it", EFIVARS_GLOBAL_GUID, len);
		return 0;
	}
	l->order_n = len / 2;
	l->order = calloc(l->order_n > 0 ? l->order_n : 1, sizeof *l->order);
	if (!l->order)
		return -ENOMEM;
	for (size_t i = 0; i < l->order_n; i++)
		l->order[i] = (uint16_t)(data[2 * i] | data[2 * i + 1] << 8);
	return 0;
}

/* More than any mirror has ESPs. */
#define ESP_ORDER_ADD_MAX 64

static bool in_order(const struct bootentry_list *l, uint16_t number)
{
	for (size_t i = 0; i < l->order_n; i++)
		if (l->order[i] == number)
			return true;
	return false;
}

/* Returns 0, -ENOENT (not logged) or a negative errno (logged). */
int bootentry_list_read(const char *dir, struct bootentry_list *out)
{
	memset(out, 0, sizeof *out);
	uint16_t *numbers = NULL;
	int n = efivars_list_boot(dir, &numbers);
	if (n < 0)
		return n;
	out->used = numbers;
	out->used_n = (size_t)n;
	int r = read_boot_order(dir, out);
	if (r < 0)
		return log_error_errno(r, "cannot read BootOrder");
	out->entries = calloc(n > 0 ? (size_t)n : 1, sizeof *out->entries);
	if (!out->entries)
		return log_error_errno(ENOMEM, "cannot list the boot entries");
	for (int i = 0; i < n; i++) {
		char name[sizeof "Boot0000"];
		snprintf(name, sizeof name, "Boot%04X", (unsigned)numbers[i]);
		_cleanup_free_ uint8_t *data = NULL;
		size_t len = 0;
		struct reason why;
		r = efivars_read(dir, name, EFIVARS_GLOBAL_GUID, NULL, &data, &len, &why);
		if (r == -ENOENT)
			continue; /* deleted since the listing */
		if (r < 0) {
			log_warn("%s; skipped", why.text);
			continue;
		}
		struct bootentry *e = &out->entries[out->n];
		r = loadopt_parse(data, len, &e->opt, &why);
		if (r == -EBADMSG) {
			log_warn("%s-%s: skipped, malformed load option (%s)", name, EFIVARS_GLOBAL_GUID,
				 why.text);
			continue;
		}
		if (r < 0)
			return log_error_errno(r, "%s-%s: cannot parse it", name, EFIVARS_GLOBAL_GUID);
		e->number = numbers[i];
		e->in_boot_order = in_order(out, e->number);
		out->n++;
	}
	return 0;
}

/* Does the File() path of an entry name file (case and slashes as the
 * firmware's FAT driver sees them)? */
static bool same_file(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '/' ? '\\' : *a, y = *b == '/' ? '\\' : *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

bool bootentry_matches(const struct bootentry *e, const char *partuuid, const char *file)
{
	return e->opt.has_hd && guid_equal(e->opt.partuuid, partuuid) &&
	       (!file || same_file(e->opt.file, file));
}

const struct bootentry *bootentry_for_partition(const struct bootentry_list *l,
						const char *partuuid, const char *file)
{
	const struct bootentry *best = NULL;
	int best_score = -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct bootentry *e = &l->entries[i];
		if (!bootentry_matches(e, partuuid, NULL))
			continue;
		int score = (file && same_file(e->opt.file, file)) * 2 + e->in_boot_order;
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	return best;
}

static bool number_used(const struct bootentry_list *l, unsigned n)
{
	for (size_t i = 0; i < l->used_n; i++)
		if (l->used[i] == n)
			return true;
	return false;
}

/* Returns 0 or a negative errno with why set. */
int bootentry_create(const char *dir, struct bootentry_list *l, const struct loadopt_spec *spec,
		     uint16_t *number, struct reason *why)
{
	uint8_t opt[LOADOPT_BUILD_MAX];
	ssize_t len = loadopt_build(spec, opt, sizeof opt);
	if (len < 0) {
		reason_set(why, "cannot build a boot entry for %s: %s", spec->partuuid,
			   fileio_error_words((int)len));
		return (int)len;
	}
	unsigned n = 0;
	while (n <= 0xffff && number_used(l, n))
		n++;
	if (n > 0xffff) {
		reason_set(why, "every Boot#### number is taken");
		return -ENOSPC;
	}
	char name[sizeof "Boot0000"];
	snprintf(name, sizeof name, "Boot%04X", n);
	int r = efivars_write(dir, name, EFIVARS_GLOBAL_GUID, EFIVARS_ATTR_NV_BS_RT, opt,
			      (size_t)len, why);
	if (r < 0)
		return r;
	/* Record it, so that the next one takes another number. */
	uint16_t *u = reallocarray(l->used, l->used_n + 1, sizeof *u);
	if (u) {
		l->used = u;
		l->used[l->used_n++] = (uint16_t)n;
	}
	*number = (uint16_t)n;
	return 0;
}

/* Returns 0 or a negative errno with why set. */
int bootentry_order_insert(const char *dir, struct bootentry_list *l, int after,
			   const uint16_t *numbers, size_t n, struct reason *why)
{
	/* A number already in BootOrder (a stale one whose entry was
	 * deleted, now made again) stays where it is. */
	uint16_t add[ESP_ORDER_ADD_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n && k < ESP_ORDER_ADD_MAX; i++)
		if (!in_order(l, numbers[i]))
			add[k++] = numbers[i];
	if (k == 0)
		return 0;
	numbers = add;
	n = k;
	size_t total = l->order_n + n, at = l->order_n;
	for (size_t i = 0; after >= 0 && i < l->order_n; i++)
		if (l->order[i] == after)
			at = i + 1;
	_cleanup_free_ uint8_t *data = malloc(total * 2 > 0 ? total * 2 : 1);
	uint16_t *order = calloc(total > 0 ? total : 1, sizeof *order);
	if (!data || !order) {
		free(order);
		reason_set(why, "out of memory");
		return -ENOMEM;
	}
	/* No BootOrder at all is an empty one (l->order is then NULL). */
	for (size_t i = 0; i < at; i++)
		order[i] = l->order[i];
	memcpy(order + at, numbers, n * sizeof *order);
	for (size_t i = at; i < l->order_n; i++)
		order[i + n] = l->order[i];
	for (size_t i = 0; i < total; i++) {
		data[2 * i] = (uint8_t)(order[i] & 0xff);
		data[2 * i + 1] = (uint8_t)(order[i] >> 8);
	}
	int r = efivars_write(dir, "BootOrder", EFIVARS_GLOBAL_GUID, EFIVARS_ATTR_NV_BS_RT, data,
			      total * 2, why);
	if (r < 0) {
		free(order);
		return r;
	}
	free(l->order);
	l->order = order;
	l->order_n = total;
	for (size_t i = 0; i < l->n; i++)
		l->entries[i].in_boot_order = in_order(l, l->entries[i].number);
	return 0;
}
