/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* reason: see reason.h. */
#include "reason.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void reason_set(struct reason *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		snprintf(r->text, sizeof r->text, "(no reason could be written)");
		return;
	}
	if ((size_t)n < sizeof r->text)
		return;
	/* Cut: leave room for "...", then step back over UTF-8 continuation
	 * bytes so that no character is split. */
	size_t end = sizeof r->text - 4;
	while (end > 0 && ((unsigned char)r->text[end] & 0xc0) == 0x80)
		end--;
	memcpy(r->text + end, "...", 4);
}
