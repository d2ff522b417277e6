/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* text: UTF-8 decoding and escaping; see text.h. */
#include "text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Returns 1-4, or 0 for an invalid sequence; see text.h (RFC 3629). */
size_t text_utf8_next(const unsigned char *s, size_t avail, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else
		return 0; /* continuation byte, 0xc0/0xc1 (overlong), 0xf5.. */
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static bool is_control(uint32_t cp) { return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0); }

void text_escape(const char *s, char *out, size_t out_len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), j = 0;
	if (out_len == 0)
		return;
	while (left > 0) {
		uint32_t cp;
		size_t n = text_utf8_next(p, left, &cp);
		char buf[20];
		size_t k;
		if (n == 0 || is_control(cp)) {
			/* every byte of it, so that nothing is lost */
			size_t m = n ? n : 1;
			k = 0;
			for (size_t i = 0; i < m; i++)
				k += (size_t)snprintf(buf + k, sizeof buf - k, "\\x%02x", p[i]);
			n = m;
		} else {
			memcpy(buf, p, n);
			k = n;
		}
		if (j + k + 1 > out_len)
			break;
		memcpy(out + j, buf, k);
		j += k;
		p += n;
		left -= n;
	}
	out[j] = '\0';
}

const char *text_safe(const char *s)
{
	static char slots[TEXT_SAFE_SLOTS][TEXT_SAFE_MAX];
	static unsigned next;
	char *out = slots[next++ % TEXT_SAFE_SLOTS];
	text_escape(s ? s : "(null)", out, TEXT_SAFE_MAX);
	return out;
}
