/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* reason: why something was refused or is unknown, in words, for a person.
 *
 * A reason is written once, by the code that knows what happened, and
 * shown by a verb (sync's message, status's line and JSON). It is never
 * strerror text: "not a regular file", not "Bad file descriptor". */
#pragma once
#include <stdbool.h>

#define REASON_MAX 256

struct reason {
	char text[REASON_MAX];
};

/* Format into r, replacing what was there. Text longer than the buffer is
 * cut at a character boundary (never inside a UTF-8 sequence) and ends
 * with "...". */
void reason_set(struct reason *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void reason_clear(struct reason *r) { r->text[0] = '\0'; }
static inline bool reason_empty(const struct reason *r) { return r->text[0] == '\0'; }
