/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* jsonv: a strict validator of JSON texts (RFC 8259), for tests.
 *
 * Strict means: exactly one value, with only the four whitespace
 * characters around and between tokens (no byte order mark, no comments,
 * no trailing commas, no single quotes, no NaN); numbers by the grammar
 * of section 6 (no leading zeros, no '+', no lone '.'); strings with no
 * raw control character (below U+0020), only the escapes of section 7,
 * and \u escapes that are whole characters (a high surrogate must be
 * followed by a low one, a low one alone is refused: RFC 8259 section 8.2
 * allows them in the grammar but says they are not Unicode); and the
 * whole text valid UTF-8 (RFC 3629: no overlong form, no surrogate
 * U+D800..U+DFFF, nothing above U+10FFFF, no stray or missing
 * continuation byte).
 *
 * It does not refuse duplicate names in an object (RFC 8259 says SHOULD
 * be unique, not MUST). Nesting deeper than JSONV_MAX_DEPTH is refused:
 * the validator's own bound, far above what the writer under test emits.
 *
 * The optional callbacks see the text's events in order, with strings
 * decoded to UTF-8 (escapes resolved; a \u0000 is a NUL byte inside
 * len), so that a test can compare what was written with what was
 * meant. */
#pragma once
#include <stddef.h>

#define JSONV_MAX_DEPTH 512

struct jsonv_events {
	void *ctx;
	void (*begin)(void *ctx, char c);                      /* '{' or '[' */
	void (*end)(void *ctx, char c);                        /* '}' or ']' */
	void (*key)(void *ctx, const char *s, size_t len);     /* a member's name */
	void (*string)(void *ctx, const char *s, size_t len);  /* a string value */
	void (*literal)(void *ctx, const char *s, size_t len); /* number, true, false, null: its text */
};

struct jsonv_error {
	size_t offset;    /* of the first byte that is wrong */
	const char *what; /* e.g. "raw control character in a string" */
};

/* Is buf[0..len) one strict JSON text? Returns 0, or -1 with err (if not
 * NULL) saying where and why. ev may be NULL, and any callback in it. */
int jsonv_check(const char *buf, size_t len, const struct jsonv_events *ev, struct jsonv_error *err);

/* Decode one UTF-8 character at s (avail >= 1 bytes) by RFC 3629.
 * Returns its length (1-4) with the code point in *cp, or 0 if s does not
 * start a valid one. Written independently of src/text.c, to check it. */
size_t jsonv_utf8(const unsigned char *s, size_t avail, unsigned long *cp);
