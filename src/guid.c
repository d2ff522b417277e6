/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* guid: see guid.h. */
#include "guid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Empty strings never match: an unknown PARTUUID must not equal another. */
bool guid_equal(const char *a, const char *b)
{
	if (!a || !b || !*a || !*b)
		return false;
	for (; *a && *b; a++, b++)
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
	return *a == *b;
}

bool guid_is_valid(const char *s)
{
	if (!s || strlen(s) != GUID_STR_LEN - 1)
		return false;
	for (int i = 0; i < GUID_STR_LEN - 1; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : hex_value(s[i]) < 0)
			return false;
	}
	return true;
}

void guid_format(const uint8_t g[16], char out[GUID_STR_LEN])
{
	snprintf(out, GUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3], g[2],
		 g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
		 g[15]);
}

/* Returns 0 or -EINVAL. */
int guid_parse(const char *s, uint8_t out[16])
{
	/* Byte i of the stored form comes from the text's hex pair at pos[i]:
	 * the first three fields reversed (little-endian), the rest in order. */
	static const int pos[16] = { 6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34 };
	if (!guid_is_valid(s))
		return -EINVAL;
	for (int i = 0; i < 16; i++)
		out[i] = (uint8_t)(hex_value(s[pos[i]]) << 4 | hex_value(s[pos[i] + 1]));
	return 0;
}
