/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* jsonv: strict RFC 8259 validation; see jsonv.h. A recursive descent
 * parser over the bytes, bounded in depth. */
#include "jsonv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const unsigned char *s;
	size_t len, pos;
	const struct jsonv_events *ev;
	struct jsonv_error *err;
	char *buf; /* decoded string */
	size_t buf_len, buf_cap;
	bool oom;
};

static int fail(struct parser *p, const char *what)
{
	if (p->err) {
		p->err->offset = p->pos;
		p->err->what = what;
	}
	return -1;
}

/* RFC 3629, table of section 4, written out. */
size_t jsonv_utf8(const unsigned char *s, size_t avail, unsigned long *cp)
{
	unsigned char b0 = s[0];
	if (b0 <= 0x7f) {
		*cp = b0;
		return 1;
	}
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf; /* bounds of the second byte */
	if (b0 >= 0xc2 && b0 <= 0xdf)
		n = 2;
	else if (b0 == 0xe0)
		n = 3, lo = 0xa0;
	else if ((b0 >= 0xe1 && b0 <= 0xec) || b0 == 0xee || b0 == 0xef)
		n = 3;
	else if (b0 == 0xed)
		n = 3, hi = 0x9f; /* not the surrogates */
	else if (b0 == 0xf0)
		n = 4, lo = 0x90;
	else if (b0 >= 0xf1 && b0 <= 0xf3)
		n = 4;
	else if (b0 == 0xf4)
		n = 4, hi = 0x8f; /* not above U+10FFFF */
	else
		return 0;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	unsigned long v = b0 & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
	for (size_t i = 1; i < n; i++)
		v = v << 6 | (s[i] & 0x3f);
	*cp = v;
	return n;
}

static void ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static void put(struct parser *p, const void *b, size_t n)
{
	if (p->buf_len + n > p->buf_cap) {
		size_t cap = p->buf_cap ? p->buf_cap : 64;
		while (cap < p->buf_len + n)
			cap *= 2;
		char *nb = realloc(p->buf, cap);
		if (!nb) {
			p->oom = true;
			return;
		}
		p->buf = nb;
		p->buf_cap = cap;
	}
	memcpy(p->buf + p->buf_len, b, n);
	p->buf_len += n;
}

static void put_cp(struct parser *p, unsigned long cp)
{
	unsigned char b[4];
	size_t n;
	if (cp < 0x80)
		b[0] = (unsigned char)cp, n = 1;
	else if (cp < 0x800)
		b[0] = (unsigned char)(0xc0 | cp >> 6), b[1] = (unsigned char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		b[0] = (unsigned char)(0xe0 | cp >> 12), b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)),
		b[2] = (unsigned char)(0x80 | (cp & 0x3f)), n = 3;
	else
		b[0] = (unsigned char)(0xf0 | cp >> 18), b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f)),
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (unsigned char)(0x80 | (cp & 0x3f)),
		n = 4;
	put(p, b, n);
}

static int hex4(struct parser *p, unsigned long *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++, p->pos++) {
		if (p->pos >= p->len)
			return fail(p, "\\u escape cut short");
		unsigned char c = p->s[p->pos];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return fail(p, "not a hex digit in a \\u escape");
		*v = *v << 4 | (unsigned long)d;
	}
	return 0;
}

/* A string at p->pos (its opening quote); decoded into p->buf. */
static int string(struct parser *p)
{
	p->buf_len = 0;
	p->pos++; /* '"' */
	for (;;) {
		if (p->pos >= p->len)
			return fail(p, "unterminated string");
		unsigned char c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return p->oom ? fail(p, "out of memory") : 0;
		}
		if (c < 0x20)
			return fail(p, "raw control character in a string");
		if (c != '\\') {
			unsigned long cp;
			size_t n = jsonv_utf8(p->s + p->pos, p->len - p->pos, &cp);
			if (n == 0)
				return fail(p, "invalid UTF-8 in a string");
			put(p, p->s + p->pos, n);
			p->pos += n;
			continue;
		}
		p->pos++;
		if (p->pos >= p->len)
			return fail(p, "escape cut short");
		char e = (char)p->s[p->pos++], out;
		switch (e) {
		case '"': out = '"'; break;
		case '\\': out = '\\'; break;
		case '/': out = '/'; break;
		case 'b': out = '\b'; break;
		case 'f': out = '\f'; break;
		case 'n': out = '\n'; break;
		case 'r': out = '\r'; break;
		case 't': out = '\t'; break;
		case 'u': {
			unsigned long v, lo;
			if (hex4(p, &v) < 0)
				return -1;
			if (v >= 0xdc00 && v <= 0xdfff)
				return fail(p, "lone low surrogate escape");
			if (v >= 0xd800 && v <= 0xdbff) {
				if (p->pos + 1 >= p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
					return fail(p, "high surrogate escape not followed by a low one");
				p->pos += 2;
				if (hex4(p, &lo) < 0)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(p, "high surrogate escape not followed by a low one");
				v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_cp(p, v);
			continue;
		}
		default:
			p->pos--;
			return fail(p, "unknown escape");
		}
		put(p, &out, 1);
	}
}

static bool digit(struct parser *p)
{
	return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

/* RFC 8259 section 6: -? int frac? exp? */
static int number(struct parser *p)
{
	size_t start = p->pos;
	if (p->s[p->pos] == '-')
		p->pos++;
	if (!digit(p))
		return fail(p, "number without digits");
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (digit(p))
			return fail(p, "number with a leading zero");
	} else
		while (digit(p))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!digit(p))
			return fail(p, "no digit after a decimal point");
		while (digit(p))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!digit(p))
			return fail(p, "no digit in an exponent");
		while (digit(p))
			p->pos++;
	}
	if (p->ev && p->ev->literal)
		p->ev->literal(p->ev->ctx, (const char *)p->s + start, p->pos - start);
	return 0;
}

static int word(struct parser *p, const char *w)
{
	size_t n = strlen(w);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return fail(p, "not a JSON value");
	if (p->ev && p->ev->literal)
		p->ev->literal(p->ev->ctx, w, n);
	p->pos += n;
	return 0;
}

static int value(struct parser *p, int depth);

static int container(struct parser *p, int depth, char open)
{
	char close = open == '{' ? '}' : ']';
	if (depth >= JSONV_MAX_DEPTH)
		return fail(p, "nested deeper than the validator's bound");
	if (p->ev && p->ev->begin)
		p->ev->begin(p->ev->ctx, open);
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		if (p->ev && p->ev->end)
			p->ev->end(p->ev->ctx, close);
		return 0;
	}
	for (;;) {
		if (open == '{') {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, "object member without a string name");
			if (string(p) < 0)
				return -1;
			if (p->ev && p->ev->key)
				p->ev->key(p->ev->ctx, p->buf, p->buf_len);
			ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, "no ':' after a member name");
			p->pos++;
			ws(p);
		}
		if (value(p, depth + 1) < 0)
			return -1;
		ws(p);
		if (p->pos >= p->len)
			return fail(p, "unterminated object or array");
		unsigned char c = p->s[p->pos];
		if (c == close) {
			p->pos++;
			if (p->ev && p->ev->end)
				p->ev->end(p->ev->ctx, close);
			return 0;
		}
		if (c != ',')
			return fail(p, "expected ',' or the end of the object or array");
		p->pos++;
		ws(p);
	}
}

static int value(struct parser *p, int depth)
{
	if (p->pos >= p->len)
		return fail(p, "missing value");
	switch (p->s[p->pos]) {
	case '{':
	case '[':
		return container(p, depth, (char)p->s[p->pos]);
	case '"':
		if (string(p) < 0)
			return -1;
		if (p->ev && p->ev->string)
			p->ev->string(p->ev->ctx, p->buf, p->buf_len);
		return 0;
	case 't':
		return word(p, "true");
	case 'f':
		return word(p, "false");
	case 'n':
		return word(p, "null");
	default:
		if (p->s[p->pos] == '-' || (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
			return number(p);
		return fail(p, "not a JSON value");
	}
}

int jsonv_check(const char *buf, size_t len, const struct jsonv_events *ev, struct jsonv_error *err)
{
	struct parser p = { .s = (const unsigned char *)buf, .len = len, .ev = ev, .err = err };
	ws(&p);
	int r = value(&p, 0);
	if (r == 0) {
		ws(&p);
		if (p.pos != p.len)
			r = fail(&p, "more after the value");
	}
	free(p.buf);
	return r;
}
