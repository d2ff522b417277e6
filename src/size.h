/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* size: byte counts for people ("512 bytes", "40 KiB", "304 MiB",
 * "12 GiB"), for status and for sync's messages. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Longest result: 20 digits, a space, "bytes", NUL. */
#define SIZE_STR_MAX 28

/* Write b to buf in the largest unit that still shows at least 10 of it
 * (rounded down), so that no figure loses more than a tenth. buf gets at
 * most len - 1 characters; SIZE_STR_MAX is always enough. */
void size_format(uint64_t b, char *buf, size_t len);
