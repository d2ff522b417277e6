/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bootentry: the firmware's boot entries (Boot#### and BootOrder), read
 * from efivarfs, and which of them boots a given ESP. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loadopt.h"

struct bootentry {
	uint16_t number;      /* the #### of Boot#### */
	struct loadopt opt;
	bool in_boot_order;
};

struct bootentry_list {
	struct bootentry *entries; /* sorted by number */
	size_t n;
	uint16_t *order;           /* BootOrder, as the firmware keeps it */
	size_t order_n;
};

/* Read every Boot#### of efivars_dir and BootOrder. Entries that cannot be
 * read or are malformed are skipped with one warning each, naming the
 * variable. Returns 0, -ENOENT (not logged: a machine booted without UEFI
 * has none) when efivars_dir does not exist, or another negative errno,
 * logged. Always call bootentry_list_free. */
int bootentry_list_read(const char *efivars_dir, struct bootentry_list *out);
void bootentry_list_free(struct bootentry_list *l);

/* The entry whose first device path names the GPT partition partuuid,
 * preferring one in BootOrder, then the lowest number; NULL if none. */
const struct bootentry *bootentry_for_partition(const struct bootentry_list *l,
						const char *partuuid);
