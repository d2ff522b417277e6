/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* size: human-readable byte counts; see size.h. */
#include "size.h"

#include <inttypes.h>
#include <stdio.h>

void size_format(uint64_t b, char *buf, size_t len)
{
	if (b >= 10ull << 30)
		snprintf(buf, len, "%" PRIu64 " GiB", b >> 30);
	else if (b >= 10ull << 20)
		snprintf(buf, len, "%" PRIu64 " MiB", b >> 20);
	else if (b >= 10ull << 10)
		snprintf(buf, len, "%" PRIu64 " KiB", b >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", b);
}
