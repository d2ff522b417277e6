/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz_token: token_read on an entry-token file and a machine-id file
 * written from the input in a scratch directory.
 *
 * Input: one mode byte, one byte of length L, then L bytes of the
 * entry-token file, then the machine-id file's bytes (the rest). The
 * mode's bits 0-2
 * say what the entry-token path is: 0 none (NULL: machine id only), 1 and
 * 7 a file, 2 a directory, 3 a symlink to a file with those bytes, 4
 * nothing at that path, 5 a FIFO, 6 a dangling symlink; bits 3-5 the same
 * for the machine id: 0, 6 and 7 a file, 1 a directory, 2 nothing, 3 a
 * FIFO, 4 a symlink, 5 a dangling symlink.
 *
 * Invariants: token_read returns 0 or a negative errno, never hangs (a
 * FIFO) and never follows a symlink. On success the token passes
 * token_is_valid, is not reserved (layout_token_is_reserved), and is the
 * entry-token file's first line trimmed when that file is there, else
 * the machine-id file's 32 lower-case hex digits (not all zero). On
 * failure the reason is non-empty, one line, and names the file at
 * fault: the entry-token file when it is there (a bad one is never
 * replaced by the machine id), else the machine-id file. A token that
 * passes token_is_valid is one that a well-formed entry-token file
 * holding it yields. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "layout.h"
#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[300], et_path[320], mid_path[320], target_path[320];

enum kind { K_NONE, K_FILE, K_DIR, K_SYMLINK, K_ABSENT, K_FIFO, K_DANGLING };

static const enum kind et_kinds[8] = { K_NONE, K_FILE, K_DIR, K_SYMLINK,
				       K_ABSENT, K_FIFO, K_DANGLING, K_FILE };
static const enum kind mid_kinds[8] = { K_FILE, K_DIR, K_ABSENT, K_FIFO,
					K_SYMLINK, K_DANGLING, K_FILE, K_FILE };

static void make(const char *path, enum kind k, const uint8_t *p, size_t len)
{
	fuzz_rm_rf(path);
	switch (k) {
	case K_NONE:
	case K_ABSENT:
		return;
	case K_FILE:
		fuzz_write(path, p, len);
		return;
	case K_DIR:
		if (mkdir(path, 0755) < 0)
			FUZZ_FAIL("mkdir %s: %s", path, strerror(errno));
		return;
	case K_SYMLINK:
		fuzz_write(target_path, p, len);
		/* fall through */
	case K_DANGLING:
		if (symlink(k == K_SYMLINK ? target_path : "/nonexistent/bootsync-fuzz", path) < 0)
			FUZZ_FAIL("symlink %s: %s", path, strerror(errno));
		return;
	case K_FIFO:
		if (mkfifo(path, 0644) < 0)
			FUZZ_FAIL("mkfifo %s: %s", path, strerror(errno));
		return;
	}
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

/* The first line of the entry-token file, trimmed (kernel-install's rule). */
static void first_line(const uint8_t *p, size_t len, char *out, size_t out_len)
{
	const uint8_t *nl = memchr(p, '\n', len);
	size_t end = nl ? (size_t)(nl - p) : len, start = 0;
	while (start < end && space((char)p[start]))
		start++;
	while (end > start && space((char)p[end - 1]))
		end--;
	size_t n = end - start < out_len - 1 ? end - start : out_len - 1;
	memcpy(out, p + start, n);
	out[n] = '\0';
}

static bool machine_id_ok(const char *t)
{
	if (strlen(t) != 32 || strspn(t, "0") == 32)
		return false;
	return strspn(t, "0123456789abcdef") == 32;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s", fuzz_scratch("token"));
		snprintf(et_path, sizeof et_path, "%s/entry-token", dir);
		snprintf(mid_path, sizeof mid_path, "%s/machine-id", dir);
		snprintf(target_path, sizeof target_path, "%s/symlink-target", dir);
	}
	struct fuzz_in in = { .p = data, .n = size };
	uint8_t mode = fuzz_byte(&in);
	size_t et_len, mid_len;
	const uint8_t *et = fuzz_bytes(&in, fuzz_byte(&in), &et_len);
	const uint8_t *mid = fuzz_bytes(&in, size, &mid_len);
	enum kind ek = et_kinds[mode & 7], mk = mid_kinds[(mode >> 3) & 7];

	make(et_path, ek, et, et_len);
	make(mid_path, mk, mid, mid_len);

	char tok[TOKEN_MAX + 1];
	struct reason why;
	memset(tok, 0x55, sizeof tok);
	int r = token_read(ek == K_NONE ? NULL : et_path, mid_path, tok, &why);

	/* Which file decides: the entry-token file unless there is none. */
	bool from_et = ek != K_NONE && ek != K_ABSENT;
	const char *decider = from_et ? et_path : mid_path;
	if (r < 0) {
		FUZZ_ASSERT(!reason_empty(&why), "failure %d without a reason", r);
		FUZZ_ASSERT(!strchr(why.text, '\n'), "reason of more than one line: %s", why.text);
		FUZZ_ASSERT(strncmp(why.text, decider, strlen(decider)) == 0 ||
			    strstr(why.text, decider),
			    "reason does not name %s: %s", decider, why.text);
		if (from_et)
			FUZZ_ASSERT(strstr(why.text, mid_path) == NULL,
				    "bad entry token, but the reason is about the machine id: %s", why.text);
		/* Only a regular file can yield a token: anything else fails. */
		return 0;
	}
	FUZZ_ASSERT(r == 0, "token_read returned %d", r);
	FUZZ_ASSERT(memchr(tok, '\0', sizeof tok), "token not NUL-terminated");
	FUZZ_ASSERT(token_is_valid(tok), "token \"%s\" is not valid", tok);
	FUZZ_ASSERT(!layout_token_is_reserved(tok), "token \"%s\" is reserved", tok);
	FUZZ_ASSERT(reason_empty(&why), "success with a reason: %s", why.text);
	if (from_et) {
		FUZZ_ASSERT(ek == K_FILE, "a token from an entry-token path that is no file");
		char want[4096 + 1];
		first_line(et, et_len, want, sizeof want);
		FUZZ_ASSERT(strcmp(tok, want) == 0, "token \"%s\", first line \"%s\"", tok, want);
	} else {
		FUZZ_ASSERT(mk == K_FILE, "a machine id from a path that is no file");
		FUZZ_ASSERT(machine_id_ok(tok), "machine id \"%s\"", tok);
		size_t n = mid_len > 0 && mid[mid_len - 1] == '\n' ? mid_len - 1 : mid_len;
		FUZZ_ASSERT(n == 32 && memcmp(tok, mid, 32) == 0, "machine id \"%s\" is not the file's",
			    tok);
	}

	/* token_is_valid and the reader agree: a valid, unreserved token
	 * written as an entry-token file reads back as itself. */
	if (from_et) {
		char again[TOKEN_MAX + 1];
		fuzz_write(et_path, tok, strlen(tok));
		FUZZ_ASSERT(token_read(et_path, mid_path, again, &why) == 0 && strcmp(again, tok) == 0,
			    "token \"%s\" does not read back (%s)", tok, why.text);
	}
	return 0;
}
