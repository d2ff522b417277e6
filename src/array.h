/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* array: the one way this program grows a heap array. */
#pragma once
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

/* Make room for at least need elements of size elem in *p, whose capacity
 * is *cap: doubles (from 16), so appends cost amortised O(1). Returns 0 or
 * -ENOMEM (then *p and *cap are unchanged, still valid). */
static inline int array_reserve(void *p, size_t *cap, size_t need, size_t elem)
{
	void **arr = p;
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > ((size_t)-1) / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	void *n = reallocarray(*arr, ncap, elem);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

/* Reserve room for one more element after *n. */
#define ARRAY_GROW(ptr, n, cap) array_reserve(&(ptr), &(cap), (n) + 1, sizeof *(ptr))
