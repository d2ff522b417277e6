/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* text: names from a foreign disk, made safe to show.
 *
 * A file name on an ESP is whatever bytes another system wrote: invalid
 * UTF-8, control characters, terminal escape sequences. Everything this
 * program prints for a person goes through text_escape (log lines, the
 * human status, the dry-run plan), and the JSON writer decodes UTF-8 with
 * text_utf8_next, so that no output can be broken or hijacked by a name. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Decode the UTF-8 sequence at s (avail bytes, avail >= 1). Returns its
 * length (1-4) with the code point in *cp, or 0 when s does not start a
 * valid one (a stray continuation byte, an overlong form, a surrogate,
 * beyond U+10FFFF, cut short). */
size_t text_utf8_next(const unsigned char *s, size_t avail, uint32_t *cp);

/* Copy s to out (at most out_len - 1 bytes and a NUL) with every control
 * character (C0, DEL, C1) and every byte that is not part of valid UTF-8
 * written as \xNN. Never cuts a sequence: what does not fit is left out
 * whole. */
void text_escape(const char *s, char *out, size_t out_len);

/* text_escape into one of a few rotating buffers, for printf arguments:
 * printf("%s: %s\n", text_safe(a), text_safe(b)). A result stays valid
 * for the next TEXT_SAFE_SLOTS - 1 calls; long text is cut (whole
 * characters) at TEXT_SAFE_MAX bytes. Single-threaded, as this program. */
#define TEXT_SAFE_SLOTS 8
#define TEXT_SAFE_MAX 4096
const char *text_safe(const char *s);
