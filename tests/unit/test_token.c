/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of src/token.c: which file wins, and every defect of
 * /etc/kernel/entry-token and /etc/machine-id refused with a message that
 * names the file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scratch.h"
#include "token.h"

#define MID "4a3c1f0e9b8d7c6a5f4e3d2c1b0a9f8e"

struct files {
	char *dir;
	char *entry_token; /* path, may not exist */
	char *machine_id;  /* path, may not exist */
};

static int setup(void **state)
{
	struct files *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->dir = scratch_dir();
	f->entry_token = scratch_path(f->dir, "entry-token");
	f->machine_id = scratch_path(f->dir, "machine-id");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct files *f = *state;
	scratch_rm(f->dir);
	free(f->entry_token);
	free(f->machine_id);
	free(f);
	return 0;
}

/* token_read; returns r, *err the reason as the program shows it (one
 * line on stderr), "" on success. token_read itself prints nothing. */
static int read_token(struct files *f, char out[TOKEN_MAX + 1], char **err)
{
	struct capture c;
	struct reason why;
	capture_begin(&c);
	memset(out, 'X', TOKEN_MAX + 1);
	int r = token_read(f->entry_token, f->machine_id, out, &why);
	char *printed = capture_end(&c);
	assert_string_equal(printed, "");
	free(printed);
	if (r < 0)
		assert_true(asprintf(err, "bootsync: %s\n", why.text) > 0);
	else
		*err = strdup("");
	return r;
}

/* Expect token_read to fail with -want and one message line naming path
 * and containing what. */
static void expect_refused(struct files *f, int want, const char *path, const char *what)
{
	char out[TOKEN_MAX + 1], *err;
	int r = read_token(f, out, &err);
	if (r != want)
		fail_msg("got %d, want %d (%s)", r, want, err);
	assert_non_null(strstr(err, path));
	if (!strstr(err, what))
		fail_msg("message \"%s\" does not say \"%s\"", err, what);
	/* one line */
	assert_int_equal(strchr(err, '\n') - err + 1, strlen(err));
	free(err);
}

static void expect_token(struct files *f, const char *want)
{
	char out[TOKEN_MAX + 1], *err;
	assert_int_equal(read_token(f, out, &err), 0);
	assert_string_equal(out, want);
	assert_string_equal(err, "");
	free(err);
}

static void test_entry_token_preferred(void **state)
{
	struct files *f = *state;
	scratch_write_str(f->dir, "machine-id", MID "\n");
	scratch_write_str(f->dir, "entry-token", "fedora\n");
	expect_token(f, "fedora");

	/* even when the machine id is broken: it is not read at all */
	scratch_write_str(f->dir, "machine-id", "uninitialized\n");
	expect_token(f, "fedora");
}

static void test_machine_id_when_no_entry_token(void **state)
{
	struct files *f = *state;
	scratch_write_str(f->dir, "machine-id", MID "\n");
	expect_token(f, MID);
	/* without the newline too */
	scratch_write_str(f->dir, "machine-id", MID);
	expect_token(f, MID);

	/* NULL entry-token path: machine id only */
	char out[TOKEN_MAX + 1];
	scratch_write_str(f->dir, "entry-token", "fedora\n");
	struct reason why;
	assert_int_equal(token_read(NULL, f->machine_id, out, &why), 0);
	assert_string_equal(out, MID);
}

static void test_entry_token_trimmed_first_line(void **state)
{
	struct files *f = *state;
	scratch_write_str(f->dir, "machine-id", MID "\n");
	scratch_write_str(f->dir, "entry-token", "  \tmy-os_1.2 \r\nsecond line\n");
	expect_token(f, "my-os_1.2");
	scratch_write_str(f->dir, "entry-token", "debian"); /* no newline */
	expect_token(f, "debian");
	char t64[TOKEN_MAX + 2];
	memset(t64, 'a', TOKEN_MAX);
	t64[TOKEN_MAX] = '\n';
	t64[TOKEN_MAX + 1] = '\0';
	scratch_write_str(f->dir, "entry-token", t64);
	t64[TOKEN_MAX] = '\0';
	expect_token(f, t64);
}

static void test_entry_token_refused(void **state)
{
	struct files *f = *state;
	/* a good machine id does not rescue a bad entry-token */
	scratch_write_str(f->dir, "machine-id", MID "\n");

	scratch_write_str(f->dir, "entry-token", "");
	expect_refused(f, -EBADMSG, f->entry_token, "empty");
	scratch_write_str(f->dir, "entry-token", " \t\n");
	expect_refused(f, -EBADMSG, f->entry_token, "empty");
	scratch_write_str(f->dir, "entry-token", "\nfedora\n"); /* first line empty */
	expect_refused(f, -EBADMSG, f->entry_token, "empty");
	scratch_write_str(f->dir, "entry-token", "../etc\n");
	expect_refused(f, -EBADMSG, f->entry_token, "invalid character '/'");
	scratch_write_str(f->dir, "entry-token", "my os\n");
	expect_refused(f, -EBADMSG, f->entry_token, "invalid character");
	scratch_write_str(f->dir, "entry-token", "caf\xc3\xa9\n");
	expect_refused(f, -EBADMSG, f->entry_token, "\\xc3");
	scratch_write_str(f->dir, "entry-token", ".\n");
	expect_refused(f, -EBADMSG, f->entry_token, "not a valid token");
	scratch_write_str(f->dir, "entry-token", "..\n");
	expect_refused(f, -EBADMSG, f->entry_token, "not a valid token");
	scratch_write(f->dir, "entry-token", "fed\0ora\n", 8);
	expect_refused(f, -EBADMSG, f->entry_token, "NUL");

	char t65[TOKEN_MAX + 3];
	memset(t65, 'a', TOKEN_MAX + 1);
	t65[TOKEN_MAX + 1] = '\n';
	t65[TOKEN_MAX + 2] = '\0';
	scratch_write_str(f->dir, "entry-token", t65);
	expect_refused(f, -EBADMSG, f->entry_token, "longer than 64");

	char *big = malloc(8192);
	memset(big, 'a', 8192);
	scratch_write(f->dir, "entry-token", big, 8192);
	free(big);
	expect_refused(f, -EFBIG, f->entry_token, "larger than");

	/* a directory where the file should be */
	char *p = scratch_path(f->dir, "entry-token");
	unlink(p);
	assert_int_equal(mkdir(p, 0755), 0);
	expect_refused(f, -EISDIR, f->entry_token, "not a regular file");
	rmdir(p);

	/* a FIFO with no writer: refused at once, not a read that hangs */
	assert_int_equal(mkfifo(p, 0644), 0);
	expect_refused(f, -EBADFD, f->entry_token, "not a regular file");
	unlink(p);
	free(p);
}

static void test_machine_id_refused(void **state)
{
	struct files *f = *state;
	static const struct {
		const char *content;
		const char *what;
	} bad[] = {
		{"", "empty"},
		{"\n", "empty"},
		{"uninitialized\n", "uninitialized"},
		{"uninitialized", "uninitialized"},
		{"00000000000000000000000000000000\n", "all zeros"},
		{"4a3c1f0e9b8d7c6a5f4e3d2c1b0a9f8\n", "31 characters"},
		{"4a3c1f0e9b8d7c6a5f4e3d2c1b0a9f8e0\n", "33 characters"},
		{MID "\n\n", "33 characters"},
		{" " MID "\n", "33 characters"},
		{"4A3C1F0E9B8D7C6A5F4E3D2C1B0A9F8E\n", "not a lower-case hex digit"},
		{"4a3c1f0e9b8d7c6a5f4e3d2c1b0a9f8g\n", "character 32 is 'g'"},
		{"4a3c1f0e-9b8d-7c6a-5f4e-3d2c1b0a\n", "character 9 is '-'"},
		{"4a3c1f0e9b8d7c6a5f4e3d2c1b0a9f8e\r\n", "33 characters"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		scratch_write_str(f->dir, "machine-id", bad[i].content);
		expect_refused(f, -EBADMSG, f->machine_id, bad[i].what);
	}
	scratch_write(f->dir, "machine-id", "4a3c1f0e9b8d7c6a\0" "f4e3d2c1b0a9f8e\n", 33);
	expect_refused(f, -EBADMSG, f->machine_id, "\\x00");

	/* a symlink is not followed (fileio opens with O_NOFOLLOW) */
	scratch_write_str(f->dir, "real-machine-id", MID "\n");
	char *link = scratch_path(f->dir, "machine-id");
	unlink(link);
	assert_int_equal(symlink("real-machine-id", link), 0);
	expect_refused(f, -ELOOP, f->machine_id, "symbolic link");
	free(link);

	/* missing: the message names it and says so in words */
	char *p = scratch_path(f->dir, "machine-id");
	unlink(p);
	free(p);
	expect_refused(f, -ENOENT, f->machine_id, "does not exist");
}

static void test_token_is_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int valid;
	} table[] = {
		{MID, 1},
		{"fedora", 1},
		{"Fedora-39_x86.64", 1},
		{"a", 1},
		{"...", 1},
		{".hidden", 1},
		{"0123456789012345678901234567890123456789012345678901234567890123", 1}, /* 64 */
		{"01234567890123456789012345678901234567890123456789012345678901234", 0}, /* 65 */
		{"", 0},
		{".", 0},
		{"..", 0},
		{"a/b", 0},
		{"/", 0},
		{"a b", 0},
		{"a\tb", 0},
		{"a\n", 0},
		{"caf\xc3\xa9", 0},
		{"a*", 0},
		{"a:b", 0},
		{"a\\b", 0},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (token_is_valid(table[i].s) != table[i].valid)
			fail_msg("token_is_valid(\"%s\") != %d", table[i].s, table[i].valid);
	assert_int_equal(token_is_valid(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry_token_preferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_machine_id_when_no_entry_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_token_trimmed_first_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_token_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_machine_id_refused, setup, teardown),
		cmocka_unit_test(test_token_is_valid),
	};
	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
