/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* guid: GUIDs as text (partition UUIDs, EFI vendor GUIDs) and as the 16
 * bytes EFI stores, whose first three fields are little-endian. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */
#define GUID_STR_LEN 37

/* Case-insensitive comparison: firmware writes upper case, blkid lower
 * case. NULL or empty strings never match anything. */
bool guid_equal(const char *a, const char *b);

/* Is s a GUID in text form (either case)? */
bool guid_is_valid(const char *s);

/* The 16 stored bytes as lower-case text. */
void guid_format(const uint8_t g[16], char out[GUID_STR_LEN]);

/* Text to the 16 stored bytes. Returns 0 or -EINVAL. */
int guid_parse(const char *s, uint8_t out[16]);
