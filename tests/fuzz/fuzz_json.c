/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz_json: the JSON writer of src/json.h, driven by the input, its
 * output checked by a strict validator (jsonv.h).
 *
 * Input: a stream of operations, one byte each (its value modulo 9):
 * string, null string, bool, uint, null, begin object, begin array, end,
 * long string. Inside an object each value first takes a name; strings
 * and names are a length byte (two for a long string) and that many bytes
 * (arbitrary: invalid UTF-8, control characters, quotes; a NUL ends the C
 * string). The first byte picks the top-level value (an object most
 * often, as status --json writes); everything still open at the end of
 * the input is closed. Nesting goes to FUZZ_JSON_DEPTH, past the writer's
 * JSON_MAX_DEPTH, which only sizes its comma bookkeeping.
 *
 * Invariants: the output is exactly one strict RFC 8259 JSON text in
 * valid UTF-8 (any failure of jsonv_check aborts), and it means what was
 * written: the same sequence of containers, names and values, each string
 * equal to its input with every byte that does not start a valid UTF-8
 * sequence replaced by U+FFFD (the writer's documented rule), numbers as
 * their decimal text. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "json.h"
#include "jsonv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_JSON_DEPTH (2 * JSON_MAX_DEPTH + 4)
#define FUZZ_JSON_OPS 4000

/* An event stream, serialised: a tag byte, then for names, strings and
 * literals a length (size_t) and the bytes. */
struct events {
	char *buf;
	size_t len;
	FILE *f;
};

static void ev_open(struct events *e)
{
	e->buf = NULL;
	e->len = 0;
	e->f = open_memstream(&e->buf, &e->len);
	if (!e->f)
		FUZZ_FAIL("open_memstream failed");
}

static void ev_close(struct events *e)
{
	if (fclose(e->f) != 0)
		FUZZ_FAIL("fclose of a memory stream failed");
}

static void ev_tag(struct events *e, char tag, const char *s, size_t n)
{
	fputc(tag, e->f);
	if (s) {
		fwrite(&n, sizeof n, 1, e->f);
		fwrite(s, 1, n, e->f);
	}
}

static void on_begin(void *ctx, char c) { ev_tag(ctx, c, NULL, 0); }
static void on_end(void *ctx, char c) { ev_tag(ctx, c, NULL, 0); }
/* An empty decoded string may come as NULL: it has a length all the same. */
static void on_key(void *ctx, const char *s, size_t n) { ev_tag(ctx, 'K', s ? s : "", n); }
static void on_string(void *ctx, const char *s, size_t n) { ev_tag(ctx, 'S', s ? s : "", n); }
static void on_literal(void *ctx, const char *s, size_t n) { ev_tag(ctx, 'L', s ? s : "", n); }

/* What a C string should read as once written and parsed back. */
static void expect_string(struct events *e, char tag, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	char *out = malloc(3 * left + 1);
	size_t k = 0;
	if (!out)
		FUZZ_FAIL("out of memory");
	while (left > 0) {
		unsigned long cp;
		size_t n = jsonv_utf8(p, left, &cp);
		if (n == 0) {
			memcpy(out + k, "\xef\xbf\xbd", 3);
			k += 3;
			n = 1;
		} else {
			memcpy(out + k, p, n);
			k += n;
		}
		p += n;
		left -= n;
	}
	ev_tag(e, tag, out, k);
	free(out);
}

static char *read_string(struct fuzz_in *in, bool long_one)
{
	size_t want = long_one ? fuzz_u16(in) : fuzz_byte(in), n;
	const uint8_t *p = fuzz_bytes(in, want, &n);
	return fuzz_strndup(p, n);
}

struct writer {
	struct json j;
	struct events want;
	char stack[FUZZ_JSON_DEPTH]; /* '{' or '[' */
	int depth;
};

/* The name a value takes: one inside an object, none elsewhere. */
static char *name_for(struct writer *w, struct fuzz_in *in)
{
	if (w->depth == 0 || w->stack[w->depth - 1] != '{')
		return NULL;
	char *k = read_string(in, false);
	expect_string(&w->want, 'K', k);
	return k;
}

static void literal(struct writer *w, const char *text)
{
	ev_tag(&w->want, 'L', text, strlen(text));
}

/* One operation; returns false when the top-level value is complete. */
static bool step(struct writer *w, struct fuzz_in *in, uint8_t op)
{
	char *key = NULL, *s = NULL;
	char num[32];
	switch (op % 9) {
	case 0:
	case 8:
		key = name_for(w, in);
		s = read_string(in, op % 9 == 8);
		expect_string(&w->want, 'S', s);
		json_string(&w->j, key, s);
		break;
	case 1:
		key = name_for(w, in);
		literal(w, "null");
		json_string(&w->j, key, NULL);
		break;
	case 2: {
		bool b = fuzz_byte(in) & 1;
		key = name_for(w, in);
		literal(w, b ? "true" : "false");
		json_bool(&w->j, key, b);
		break;
	}
	case 3: {
		uint64_t v = fuzz_u64(in);
		key = name_for(w, in);
		snprintf(num, sizeof num, "%" PRIu64, v);
		literal(w, num);
		json_uint(&w->j, key, v);
		break;
	}
	case 4:
		key = name_for(w, in);
		literal(w, "null");
		json_null(&w->j, key);
		break;
	case 5:
	case 6:
		if (w->depth == FUZZ_JSON_DEPTH)
			break;
		key = name_for(w, in);
		if (op % 9 == 5) {
			ev_tag(&w->want, '{', NULL, 0);
			json_object_begin(&w->j, key);
		} else {
			ev_tag(&w->want, '[', NULL, 0);
			json_array_begin(&w->j, key);
		}
		w->stack[w->depth++] = op % 9 == 5 ? '{' : '[';
		break;
	case 7:
		if (w->depth == 0)
			return false;
		if (w->stack[--w->depth] == '{') {
			ev_tag(&w->want, '}', NULL, 0);
			json_object_end(&w->j);
		} else {
			ev_tag(&w->want, ']', NULL, 0);
			json_array_end(&w->j);
		}
		break;
	}
	free(key);
	free(s);
	return w->depth > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { .p = data, .n = size };
	struct writer w = { 0 };
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	if (!f)
		FUZZ_FAIL("open_memstream failed");
	json_init(&w.j, f);
	ev_open(&w.want);

	/* The top-level value: an object (as status --json), else what the
	 * first byte says. */
	uint8_t top = fuzz_byte(&in), op = top % 4 == 0 ? top / 4 : 5;
	bool more = step(&w, &in, op % 9 == 7 ? 6 : op);
	for (int ops = 0; more && fuzz_more(&in) && ops < FUZZ_JSON_OPS; ops++)
		more = step(&w, &in, fuzz_byte(&in));
	while (w.depth > 0)
		step(&w, &in, 7);

	if (fclose(f) != 0)
		FUZZ_FAIL("fclose of the output stream failed");
	ev_close(&w.want);

	struct events got;
	ev_open(&got);
	struct jsonv_events ev = { .ctx = &got, .begin = on_begin, .end = on_end, .key = on_key,
				   .string = on_string, .literal = on_literal };
	struct jsonv_error err;
	if (jsonv_check(out, out_len, &ev, &err) < 0) {
		fprintf(stderr, "output (%zu bytes): ", out_len);
		fwrite(out, 1, out_len, stderr);
		fputc('\n', stderr);
		FUZZ_FAIL("invalid JSON at byte %zu: %s", err.offset, err.what);
	}
	ev_close(&got);
	if (got.len != w.want.len || memcmp(got.buf, w.want.buf, got.len) != 0) {
		fprintf(stderr, "output (%zu bytes): ", out_len);
		fwrite(out, 1, out_len, stderr);
		fputc('\n', stderr);
		FUZZ_FAIL("the output is valid JSON but does not say what was written");
	}
	if (getenv("FUZZ_JSON_SHOW")) {
		fwrite(out, 1, out_len, stderr);
		fputc('\n', stderr);
	}
	free(got.buf);
	free(w.want.buf);
	free(out);
	return 0;
}
