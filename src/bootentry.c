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
	_cleanup_free_ uint16_t *numbers = NULL;
	int n = efivars_list_boot(dir, &numbers);
	if (n < 0)
		return n;
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

const struct bootentry *bootentry_for_partition(const struct bootentry_list *l,
						const char *partuuid)
{
	const struct bootentry *best = NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct bootentry *e = &l->entries[i];
		if (!e->opt.has_hd || !guid_equal(e->opt.partuuid, partuuid))
			continue;
		if (!best || (e->in_boot_order && !best->in_boot_order))
			best = e;
	}
	return best;
}
