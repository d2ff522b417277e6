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
	uint16_t *used;            /* every Boot#### name present, parsed or not */
	size_t used_n;
};

/* Read every Boot#### of efivars_dir and BootOrder. Entries that cannot be
 * read or are malformed are skipped with one warning each, naming the
 * variable. Returns 0, -ENOENT (not logged: a machine booted without UEFI
 * has none) when efivars_dir does not exist, or another negative errno,
 * logged. Always call bootentry_list_free. */
int bootentry_list_read(const char *efivars_dir, struct bootentry_list *out);
void bootentry_list_free(struct bootentry_list *l);

/* The entry whose first device path names the GPT partition partuuid,
 * preferring one that starts file (compared without case; NULL: any), then
 * one in BootOrder, then the lowest number; NULL if none. */
const struct bootentry *bootentry_for_partition(const struct bootentry_list *l,
						const char *partuuid, const char *file);

/* Is this entry one that boots file on partuuid, the entry this program
 * would make (so it is reused, never made twice)? */
bool bootentry_matches(const struct bootentry *e, const char *partuuid, const char *file);

/* Create the entry of spec as a new Boot#### with the lowest free number,
 * and record it in l. Returns 0 with the number in *number, or a negative
 * errno with why set (nothing written). */
int bootentry_create(const char *efivars_dir, struct bootentry_list *l,
		     const struct loadopt_spec *spec, uint16_t *number, struct reason *why);

/* Insert the numbers (n of them, in order) into BootOrder right after the
 * entry after (or at the end when after is -1 or not in it), and write
 * BootOrder once. Returns 0 or a negative errno with why set. */
int bootentry_order_insert(const char *efivars_dir, struct bootentry_list *l, int after,
			   const uint16_t *numbers, size_t n, struct reason *why);
