/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* token: the entry token that names this machine's boot entries and
 * kernel directories on the ESP. It becomes a path component and decides
 * which files sync manages, so anything doubtful is refused, never
 * guessed or repaired. */
#include "token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "layout.h"

/* Both files hold one short line; anything this large is not one. */
#define TOKEN_FILE_MAX 4096
#define MACHINE_ID_LEN 32

static bool token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}

/* Returns 1 if s is a valid token, 0 if not (NULL included). */
int token_is_valid(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	if (n == 0 || n > TOKEN_MAX)
		return 0;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!token_char(s[i]))
			return 0;
	return 1;
}

/* Describe byte c for a message: printable as itself, else as \xNN. */
static void show_char(char c, char buf[8])
{
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "\\x%02x", (unsigned char)c);
}

/* Read one of the small files a token comes from, bounded. Returns 0 with
 * the contents, or a negative errno with why naming path and saying what
 * it was expected to hold (what); -ENOENT leaves why empty when
 * quiet_enoent (the entry token is optional). */
static int read_small_file(const char *path, const char *what, bool quiet_enoent, char **buf,
			   size_t *len, struct reason *why)
{
	int r = fileio_read_bounded(AT_FDCWD, path, TOKEN_FILE_MAX, buf, len);
	if (r == 0 || (r == -ENOENT && quiet_enoent))
		return r;
	if (r == -EFBIG)
		reason_set(why, "%s: larger than %d bytes, not %s", path, TOKEN_FILE_MAX, what);
	else if (r == -EISDIR || r == -EBADFD)
		reason_set(why, "%s: not a regular file", path);
	else if (r == -ELOOP) /* fileio opens with O_NOFOLLOW */
		reason_set(why, "%s: is a symbolic link, refusing to follow it", path);
	else
		reason_set(why, "%s: cannot read it: %s", path, fileio_error_words(r));
	return r;
}

/* Returns 0 with the token in out, -ENOENT if path does not exist (why
 * left empty: the caller falls back to the machine id), or another
 * negative errno with why naming path. */
static int read_entry_token(const char *path, char out[TOKEN_MAX + 1], struct reason *why)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = read_small_file(path, "an entry token", true, &buf, &len, why);
	if (r < 0)
		return r;

	/* The first line, trimmed, as kernel-install reads it. A NUL would
	 * silently cut the token short: refuse it. */
	if (memchr(buf, '\0', len)) {
		reason_set(why, "%s: contains a NUL byte", path);
		return -EBADMSG;
	}
	char *nl = memchr(buf, '\n', len);
	size_t end = nl ? (size_t)(nl - buf) : len;
	size_t start = 0;
	while (start < end && is_space(buf[start]))
		start++;
	while (end > start && is_space(buf[end - 1]))
		end--;
	size_t n = end - start;
	if (n == 0) {
		reason_set(why, "%s: empty (no token on its first line)", path);
		return -EBADMSG;
	}
	if (n > TOKEN_MAX) {
		reason_set(why, "%s: token is %zu characters, longer than %d", path, n, TOKEN_MAX);
		return -EBADMSG;
	}
	for (size_t i = start; i < end; i++)
		if (!token_char(buf[i])) {
			char c[8];
			show_char(buf[i], c);
			reason_set(why, "%s: invalid character %s in the token (allowed: A-Z a-z 0-9 . _ -)",
				  path, c);
			return -EBADMSG;
		}
	memcpy(out, buf + start, n);
	out[n] = '\0';
	if (!token_is_valid(out)) {
		reason_set(why, "%s: \"%s\" is not a valid token (it is used as a directory name)", path, out);
		return -EBADMSG;
	}
	if (layout_token_is_reserved(out)) {
		reason_set(why, "%s: \"%s\" names a directory the firmware or the boot loader owns on "
				"the ESP; refusing a token that would take it over",
			   path, out);
		return -EBADMSG;
	}
	return 0;
}

/* Returns 0 with the machine id in out, or a negative errno with why
 * naming path. */
static int read_machine_id(const char *path, char out[TOKEN_MAX + 1], struct reason *why)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = read_small_file(path, "a machine id", false, &buf, &len, why);
	if (r < 0)
		return r;

	/* machine-id(5): 32 lower-case hex digits and a newline. One
	 * trailing newline is optional; nothing else is tolerated. */
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len == 0) {
		reason_set(why, "%s: empty (the machine id is not set up)", path);
		return -EBADMSG;
	}
	if (len == strlen("uninitialized") && memcmp(buf, "uninitialized", len) == 0) {
		reason_set(why, "%s: \"uninitialized\" (the first boot has not completed)", path);
		return -EBADMSG;
	}
	if (len != MACHINE_ID_LEN) {
		reason_set(why, "%s: %zu characters, a machine id has %d lower-case hex digits", path, len,
			  MACHINE_ID_LEN);
		return -EBADMSG;
	}
	bool zero = true;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			char s[8];
			show_char(c, s);
			reason_set(why, "%s: character %zu is %s, not a lower-case hex digit", path, i + 1, s);
			return -EBADMSG;
		}
		if (c != '0')
			zero = false;
	}
	if (zero) {
		reason_set(why, "%s: all zeros, not a valid machine id", path);
		return -EBADMSG;
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}

/* Returns 0, or a negative errno with why naming the file (nothing logged):
 * -EBADMSG for a file whose content is wrong, the read's errno otherwise.
 * An entry-token file that exists but is wrong is an error, not a reason
 * to fall back to the machine id: the user asked for that token. */
int token_read(const char *entry_token_path, const char *machine_id_path, char out[TOKEN_MAX + 1],
	       struct reason *why)
{
	reason_clear(why);
	if (!machine_id_path || !out) {
		reason_set(why, "no machine-id path");
		return -EINVAL;
	}
	if (entry_token_path) {
		int r = read_entry_token(entry_token_path, out, why);
		if (r != -ENOENT)
			return r;
	}
	return read_machine_id(machine_id_path, out, why);
}
