/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of version.c: sort -V order on real kernel versions, edge
 * cases, and the version lists of /lib/modules and of an ESP. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "tree.h"
#include "version.h"

/* The reason of the last failing call (the functions log nothing). */
static struct reason why;

/* An ESP's kernel versions, as the program reads them: from its tree. */
static int list_esp(int fd, const char *token, struct version_list *l)
{
	struct tree t;
	*l = (struct version_list){ 0 };
	int r = tree_scan(fd, "esp", token, &t, &why);
	if (r < 0)
		return r;
	r = tree_kernels(&t, token, l);
	tree_free(&t);
	return r;
}

/* Real kernel versions (Fedora, RHEL, Debian, Arch, Ubuntu, upstream rc,
 * '~' pre-releases), in the order `LC_ALL=C sort -V` (GNU coreutils 9.1)
 * printed for them when this test was written. Never sorted at test time. */
static const char *const sorted_versions[] = {
	"5.10.0-26-amd64",
	"5.10.0-28-cloud-amd64",
	"5.14.0-362.8.1.el9_3.x86_64",
	"5.14.0-427.13.1.el9_4.x86_64",
	"5.15.0-91-generic",
	"5.15.0-101-generic",
	"6.01.0",
	"6.1.0",
	"6.1.00",
	"6.1.0-1",
	"6.1.0-9-amd64",
	"6.1.0-9-cloud-amd64",
	"6.1.0-13-amd64",
	"6.1.0-18-amd64",
	"6.1.0-18-cloud-amd64",
	"6.1.0-26-amd64",
	"6.1.71-1-lts",
	"6.2.0-0.rc8.57.fc38.aarch64",
	"6.2.0-1018-aws",
	"6.5.0-0.deb12.4-amd64",
	"6.5.0-9-generic",
	"6.5.0-14-generic",
	"6.5.6-300.fc39.x86_64",
	"6.5.12-300.fc39.x86_64",
	"6.6.1-arch1-1",
	"6.6.8-200.fc39.x86_64",
	"6.6.9-arch1-1",
	"6.6.10-arch1-1",
	"6.6.13+bpo-amd64",
	"6.6.32-1-lts",
	"6.7.4-200.fc39.x86_64",
	"6.7.arch1-1",
	"6.8",
	"6.8.0~rc1",
	"6.8.0~rc7",
	"6.8.0",
	"6.8.0-31-generic",
	"6.8.0-1004-raspi",
	"6.8.0-1008-azure",
	"6.8.0-rc1",
	"6.8.0-rc7",
	"6.8.1",
	"6.8.5-301.fc40.x86_64",
	"6.8.9-hardened1-1-hardened",
	"6.8.11-300.fc40.x86_64",
	"6.9.3-zen1-1-zen",
	"6.9.7-200.fc40.x86_64",
	"6.10~rc3",
	"6.10-rc3",
	"6.10.0+",
	"6.10.0-rc3+",
	"6.10.3-200.fc40.x86_64",
	"6.10.6+bpo-cloud-amd64",
	"6.11.0-0.rc5.44.fc42.x86_64",
	"6.11.0-0.rc5.20240830git.44.fc42.x86_64",
	"6.11.0-0.rc6.51.fc42.x86_64",
	"6.11.0-63.fc42.x86_64",
	"6.11.4-301.fc41.x86_64",
	"6.12.0-0.rc0.20240917gita430d95c5efa.2.fc42.x86_64",
	"6.12.0-0.rc1.20240930gite32cde8d2bd7.19.fc42.x86_64",
};
#define N_VERSIONS (sizeof sorted_versions / sizeof sorted_versions[0])

static int sgn(int x) { return (x > 0) - (x < 0); }

static void test_table_pairwise(void **state)
{
	(void)state;
	assert_true(N_VERSIONS >= 40);
	for (size_t i = 0; i < N_VERSIONS; i++)
		for (size_t j = 0; j < N_VERSIONS; j++) {
			int c = version_compare(sorted_versions[i], sorted_versions[j]);
			int expect = i < j ? -1 : i > j ? 1 : 0;
			if (sgn(c) != expect)
				fail_msg("version_compare(\"%s\", \"%s\") = %d, sort -V says %d",
					 sorted_versions[i], sorted_versions[j], c, expect);
			/* Antisymmetry. */
			assert_int_equal(sgn(c), -sgn(version_compare(sorted_versions[j], sorted_versions[i])));
		}
}

static int cmp_qsort(const void *a, const void *b)
{
	return version_compare(*(const char *const *)a, *(const char *const *)b);
}

/* qsort relies on a consistent (transitive) order: sorting shuffled copies
 * must give back the table. */
static void test_table_shuffled(void **state)
{
	(void)state;
	const char *v[N_VERSIONS];
	unsigned seed = 12345;

	for (int round = 0; round < 50; round++) {
		memcpy(v, sorted_versions, sizeof v);
		for (size_t i = N_VERSIONS - 1; i > 0; i--) {
			seed = seed * 1103515245u + 12345u;
			size_t j = (seed >> 8) % (i + 1);
			const char *tmp = v[i];
			v[i] = v[j];
			v[j] = tmp;
		}
		qsort(v, N_VERSIONS, sizeof v[0], cmp_qsort);
		for (size_t i = 0; i < N_VERSIONS; i++)
			assert_string_equal(v[i], sorted_versions[i]);
	}
}

/* Each group is in the order sort -V gives (checked on coreutils 9.1). */
static void assert_ascending(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int expect = i < j ? -1 : i > j ? 1 : 0;
			if (sgn(version_compare(v[i], v[j])) != expect)
				fail_msg("\"%s\" vs \"%s\": expected %d", v[i], v[j], expect);
		}
}
#define ASSERT_ASCENDING(...)                                                                      \
	do {                                                                                       \
		const char *const v_[] = { __VA_ARGS__ };                                          \
		assert_ascending(v_, sizeof v_ / sizeof v_[0]);                                    \
	} while (0)

static void test_edge_cases(void **state)
{
	(void)state;
	/* Empty string first. */
	ASSERT_ASCENDING("", "0", "a");
	assert_int_equal(version_compare("", ""), 0);
	/* Equal strings, and only equal strings, compare 0. */
	assert_int_equal(version_compare("6.1.0-13-amd64", "6.1.0-13-amd64"), 0);
	assert_int_not_equal(version_compare("1.01", "1.1"), 0);
	/* Leading zeros: numerically equal, then ordered by bytes as sort -V. */
	ASSERT_ASCENDING("1.001", "1.01", "1.1");
	ASSERT_ASCENDING("a001", "a01", "a1");
	/* Pure letters: byte order, upper case before lower case. */
	ASSERT_ASCENDING("ab", "abc", "abd");
	ASSERT_ASCENDING("B", "Z", "a", "b");
	/* '~' before everything, even the end; letters before other bytes. */
	ASSERT_ASCENDING("1.0~~", "1.0~", "1.0~rc1", "1.0", "1.0a", "1.0-1");
	ASSERT_ASCENDING("1a1", "1.1", "1_1");
	/* Digit runs compare as numbers. */
	ASSERT_ASCENDING("6.9", "6.10", "6.100", "10.0");
	/* The suffix rule: ".tar.gz", ".fc40" only decide ties. */
	ASSERT_ASCENDING("1.2.tar.gz", "1.2.zip", "1.10.tar.gz");
	ASSERT_ASCENDING("6.1.fc39", "6.1.fc40");
	/* Hidden names sort before the rest, "." and ".." first. */
	ASSERT_ASCENDING("", ".", "..", ".a", "0");
}


static void make_file(const char *rel)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", scratch, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
}

static void make_symlink(const char *target, const char *rel)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", scratch, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void assert_list(const struct version_list *l, const char *const *expect, size_t n)
{
	if (l->n != n) {
		for (size_t i = 0; i < l->n; i++)
			print_message("got: %s\n", l->v[i]);
		fail_msg("expected %zu versions, got %zu", n, l->n);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l->v[i], expect[i]);
}
#define ASSERT_LIST(l, ...)                                                                        \
	do {                                                                                       \
		const char *const e_[] = { __VA_ARGS__ };                                          \
		assert_list((l), e_, sizeof e_ / sizeof e_[0]);                                    \
	} while (0)

static void test_list_modules(void **state)
{
	(void)state;
	scratch_mkdir("6.1.0-9-amd64");
	scratch_mkdir("6.1.0-13-amd64");
	scratch_mkdir("5.10.0-26-amd64");
	scratch_mkdir(".hidden");
	make_file("6.9.9-not-a-dir");
	make_symlink("6.1.0-13-amd64", "6.99.0-symlink");
	/* Not versions: they would sort above every real one. */
	scratch_mkdir("extramodules-6.6-arch");
	scratch_mkdir("custom");

	struct version_list l;
	assert_int_equal(version_list_modules(scratch, &l, &why), 0);
	ASSERT_LIST(&l, "5.10.0-26-amd64", "6.1.0-9-amd64", "6.1.0-13-amd64");
	assert_string_equal(version_list_newest(&l), "6.1.0-13-amd64");
	version_list_free(&l);
	assert_int_equal(l.n, 0);
	version_list_free(&l); /* twice is harmless */
}

static void test_list_modules_missing(void **state)
{
	(void)state;
	char p[1024];
	snprintf(p, sizeof p, "%s/nope", scratch);
	struct version_list l = { 0 };
	assert_int_equal(version_list_modules(p, &l, &why), -ENOENT);
	assert_int_equal(l.n, 0);
	assert_null(version_list_newest(&l));
}

static void test_list_modules_empty(void **state)
{
	(void)state;
	struct version_list l;
	assert_int_equal(version_list_modules(scratch, &l, &why), 0);
	assert_int_equal(l.n, 0);
	assert_null(version_list_newest(&l));
	version_list_free(&l);
}

#define TOKEN "0123456789abcdef0123456789abcdef"
#define OTHER "fedcba9876543210fedcba9876543210"

static void test_list_esp(void **state)
{
	(void)state;
	scratch_mkdir(TOKEN);
	scratch_mkdir(TOKEN "/6.1.0-13-amd64");
	scratch_mkdir(TOKEN "/6.1.0-9-amd64");
	scratch_mkdir(TOKEN "/.tmp");
	make_file(TOKEN "/6.5.0-not-a-dir");
	scratch_mkdir(OTHER);
	scratch_mkdir(OTHER "/6.9.0-other-os");
	scratch_mkdir("EFI");
	scratch_mkdir("EFI/Linux");
	make_file("EFI/Linux/" TOKEN "-6.1.0-13-amd64.efi");     /* duplicate of a type 1 */
	make_file("EFI/Linux/" TOKEN "-6.6.1-arch1-1.efi");
	make_file("EFI/Linux/" TOKEN "-6.8.0-31-generic+3.efi");  /* boot counting */
	make_file("EFI/Linux/" TOKEN "-6.8.0-1008-azure+2-1.efi");
	make_file("EFI/Linux/" TOKEN "-6.10.0+.efi");             /* '+' but no tries */
	make_file("EFI/Linux/" TOKEN "-6.11.0+x.efi");            /* not tries: kept whole */
	make_file("EFI/Linux/" TOKEN "-.efi");                    /* no version */
	make_file("EFI/Linux/" TOKEN "-custom.efi");              /* not a version */
	make_file("EFI/Linux/" TOKEN "-6.12.0.conf");             /* not a UKI */
	scratch_mkdir("EFI/Linux/" TOKEN "-6.13.0.efi");               /* not a file */
	make_file("EFI/Linux/" OTHER "-6.9.0.efi");

	_cleanup_close_ int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct version_list l;
	assert_int_equal(list_esp(fd, TOKEN, &l), 0);
	ASSERT_LIST(&l, "6.1.0-9-amd64", "6.1.0-13-amd64", "6.6.1-arch1-1", "6.8.0-31-generic",
		    "6.8.0-1008-azure", "6.10.0+", "6.11.0+x");
	assert_string_equal(version_list_newest(&l), "6.11.0+x");
	version_list_free(&l);

	assert_int_equal(list_esp(fd, OTHER, &l), 0);
	ASSERT_LIST(&l, "6.9.0", "6.9.0-other-os");
	version_list_free(&l);
}

static void test_list_esp_bare(void **state)
{
	(void)state;
	/* No token dir, no EFI/Linux: not an error, no versions. */
	_cleanup_close_ int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct version_list l;
	assert_int_equal(list_esp(fd, TOKEN, &l), 0);
	assert_int_equal(l.n, 0);
	version_list_free(&l);

	assert_int_equal(list_esp(fd, "", &l), -EINVAL);
	assert_int_equal(list_esp(fd, "a/b", &l), -EINVAL);
}

static void test_list_esp_token_symlink(void **state)
{
	(void)state;
	/* The token dir is never followed through a symlink. */
	scratch_mkdir("elsewhere");
	scratch_mkdir("elsewhere/6.1.0");
	make_symlink("elsewhere", TOKEN);
	_cleanup_close_ int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct version_list l;
	/* The scan skips a symlink (with a warning): nothing behind it is
	 * listed, and nothing fails. */
	int r = list_esp(fd, TOKEN, &l);
	assert_int_equal(r, 0);
	assert_int_equal(l.n, 0);
}

/* The UAPI order of boot loader versions, against systemd 252's own
 * (`systemd-analyze compare-versions A B`, run once to make this table:
 * the answers are systemd's, on curated pairs and on random strings over
 * the characters that matter). */
static void test_uapi_table(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int want;
	} table[] = {
		{ "252.30", "254", -1 },
		{ "1", "1.0", -1 },
		{ "1~rc1", "1", -1 },
		{ "1", "1^1", -1 },
		{ "1-2", "1.2", -1 },
		{ "1a", "1.a", 1 },
		{ "A", "a", -1 },
		{ "1_2", "1.2", 1 },
		{ "1", "1a", -1 },
		{ "abc", "ab", 1 },
		{ "0001", "1", 0 },
		{ "1.01", "1.1", 0 },
		{ "252", "252.39-1~deb12u2", -1 },
		{ "252.39-1~deb12u2", "252.39-1", -1 },
		{ "252.39-1~deb12u2", "252.39-1+deb12u1", -1 },
		{ "~", "~~", -1 },
		{ "a~", "a", -1 },
		{ "^", "~", 1 },
		{ "1^", "1.", -1 },
		{ "-", ".", -1 },
		{ "1-", "1", 1 },
		{ "1.", "1", 1 },
		{ "1..2", "1.2", -1 },
		{ "x", "1", -1 },
		{ "", "", 0 },
		{ "", "~", 1 },
		{ "0", "~", 1 },
		{ "", "0", -1 },
		{ "253~rc1", "252.99", 1 },
		{ "254.5", "254.10", -1 },
		{ "255~rc2", "255~rc10", -1 },
		{ "11", "11", 0 },
		{ "systemd-123", "systemd-123", 0 },
		{ "bar-123", "foo-123", -1 },
		{ "123a", "123", 1 },
		{ "123.a", "123.b", -1 },
		{ "11α", "11β", 0 },
		{ "1+2+3", "1.3.3", 1 },
		{ "1_2_3", "1.3.3", 1 },
		{ "6~", "6~~", -1 },
		{ "3~4z6", "3~_4z6", 1 },
		{ "9b13.+", "5~", 1 },
		{ "+", "z+", -1 },
		{ "_0~", "-5", 1 },
		{ "-2a", "-b2a", 1 },
		{ "", "6b^86~", -1 },
		{ "08a.", "", 1 },
		{ "5b3", "5ab3", 1 },
		{ "+", "", 0 },
		{ "~7A846", "7_A81A", -1 },
		{ "+0A~", "~23", 1 },
		{ ".z", "8+A68", -1 },
		{ "0a^", "07a^", -1 },
		{ "9.^b2", "b_84-1", 1 },
		{ "^", "05+6", -1 },
		{ "9", "1", 1 },
		{ "~3a1A", "~bA^^", 1 },
		{ "9", "39", -1 },
		{ "83-1", "8b", 1 },
		{ "A7", "", 1 },
		{ "_-", "__-", 0 },
		{ "~57.", "~5b7.", 1 },
		{ "", "", 0 },
		{ "871b06", "^+47", 1 },
		{ "+-", "b", -1 },
		{ "", "-32_46", -1 },
		{ "4^z", ".51A", 1 },
		{ "4482", "9", 1 },
		{ "9", "84517", -1 },
		{ "6~_z79", "53a4^", -1 },
		{ "76", "7+6", 1 },
		{ "Aa", "A5a", 1 },
		{ "1^", "", 1 },
		{ "a~4.", "", 1 },
		{ "3_A116", "0~6~", 1 },
		{ "z5Aa", "2^4b~", -1 },
		{ "5410", "54510", -1 },
		{ "-A", "4", -1 },
		{ "~", "-~", -1 },
		{ "", "^~", -1 },
		{ "25", "-", 1 },
		{ "0365", "03^65", 1 },
		{ "14", "68", -1 },
		{ "++", "~7~A", 1 },
		{ "", "97-_1", -1 },
		{ "az", "~54a", 1 },
		{ "", "8", -1 },
		{ "a6-_0", "a6^-_0", -1 },
		{ "-a4~2", "-a24~2", -1 },
		{ "7~0", "0+^A0-", 1 },
		{ "", "605~", -1 },
		{ "aA.-", "aA-.-", 1 },
		{ "2AAzA^", "_^4+_", 1 },
		{ "7.+", "7z.+", -1 },
		{ "", "-", -1 },
		{ "543", "ba", 1 },
		{ "4.+69^", "+56", -1 },
		{ "22", "2~2", 1 },
		{ "z.+A5", "z.2+A5", -1 },
		{ "+6z", "1.4_7z", 1 },
		{ "", "bz41", -1 },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		int r = version_compare_uapi(table[i].a, table[i].b);
		int back = version_compare_uapi(table[i].b, table[i].a);
		r = (r > 0) - (r < 0);
		back = (back > 0) - (back < 0);
		if (r != table[i].want || back != -table[i].want)
			fail_msg("\"%s\" vs \"%s\": %d (and %d the other way), systemd says %d",
				 table[i].a, table[i].b, r, back, table[i].want);
	}
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_pairwise),
		cmocka_unit_test(test_table_shuffled),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_uapi_table),
		cmocka_unit_test_setup_teardown(test_list_modules, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_list_modules_missing, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_list_modules_empty, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_list_esp, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_list_esp_bare, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_list_esp_token_symlink, scratch_setup, scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
