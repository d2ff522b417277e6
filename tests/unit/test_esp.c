/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of esp.c: the ESPs and the source found in mount tables, the
 * real /proc/self/mountinfo captured beside the EFI fixtures and crafted
 * ones (binds, stacked mounts, a bind of a subdirectory). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "esp.h"
#include "scratch.h"

/* discover ROOT in the mount table text (written to a scratch file). */
static int discover(const char *table, const char *root, struct esp_set *set, struct reason *why)
{
	scratch_write_str(scratch, "mountinfo", table);
	char *p = scratch_path(scratch, "mountinfo");
	int r = esp_discover(p, root, false, set, why);
	free(p);
	return r;
}

static const struct esp *find(const struct esp_set *set, char letter)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->esps[i].letter == letter)
			return &set->esps[i];
	return NULL;
}

/* The lab machine's real table: /boot@a and /boot@b are vfat mounts,
 * /boot is not mounted yet (before bind). */
static void test_real_mountinfo(void **state)
{
	(void)state;
	char *p = NULL;
	assert_true(asprintf(&p, "%s/ovmf-sdboot-nvme/hd-entry/mountinfo", scratch_fixtures()) > 0);
	struct esp_set set;
	struct reason why;
	/* A root whose parent has no such directories: only the mounts count. */
	assert_int_equal(esp_discover(p, "/nonexistent-dir-for-test/boot", false, &set, &why), 0);
	assert_int_equal(set.n, 0);
	esp_set_free(&set);

	assert_int_equal(esp_discover(p, "/boot", false, &set, &why), 0);
	const struct esp *a = find(&set, 'a'), *b = find(&set, 'b');
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a->mounted && b->mounted);
	assert_string_equal(a->path, "/boot@a");
	assert_string_equal(b->fstype, "vfat");
	assert_int_equal(major(a->devno), 259);
	assert_int_equal(minor(a->devno), 3);
	assert_int_equal(minor(b->devno), 5);
	assert_string_equal(a->fsroot, "/");
	assert_false(set.root_mounted);
	/* Letter order, whatever the table's order (b is listed first). */
	assert_ptr_equal(&set.esps[0], a);
	/* Not bound yet: no source, and the reason says what to do. */
	assert_null(esp_source(&set, &why));
	assert_non_null(strstr(why.text, "/boot is not a mountpoint: run 'bootsync bind' first"));
	esp_set_free(&set);
	free(p);
}

/* The crafted tables live under a directory that does not exist: besides
 * the mounts, esp_discover counts the unmounted ROOT@X directories it finds
 * beside ROOT, and a host that has a /boot@a of its own must not change what
 * these tests see. */
#define R "/nonexistent-bootsync-test"
#define LINE(id, dev, root, target, type) #id " 21 " dev " " root " " target " rw,relatime shared:1 - " type " /dev/x rw\n"

static void test_source_is_the_bound_esp(void **state)
{
	(void)state;
	struct esp_set set;
	struct reason why;
	static const char table[] = LINE(21, "259:4", "/", "/", "ext4")
		LINE(90, "259:5", "/", R "/boot@b", "vfat") LINE(95, "259:3", "/", R "/boot@a", "vfat")
		LINE(96, "259:3", "/", R "/boot", "vfat");
	assert_int_equal(discover(table, R "/boot", &set, &why), 0);
	assert_true(set.root_mounted);
	assert_ptr_equal(esp_source(&set, &why), find(&set, 'a'));
	esp_set_free(&set);
}

static void test_source_refused(void **state)
{
	(void)state;
	struct esp_set set;
	struct reason why;
	/* A bind of a subdirectory of an ESP is not a bind of the ESP. */
	static const char sub[] = LINE(95, "259:3", "/", R "/boot@a", "vfat")
		LINE(96, "259:3", "/sub", R "/boot", "vfat");
	assert_int_equal(discover(sub, R "/boot", &set, &why), 0);
	assert_null(esp_source(&set, &why));
	assert_string_equal(why.text, R "/boot is not a bind of any " R "/boot@[a-z] mount");
	esp_set_free(&set);

	/* Two ESPs of one filesystem (a bind of a onto b): cannot tell. */
	static const char two[] = LINE(95, "259:3", "/", R "/boot@a", "vfat")
		LINE(97, "259:3", "/", R "/boot@b", "vfat") LINE(96, "259:3", "/", R "/boot", "vfat");
	assert_int_equal(discover(two, R "/boot", &set, &why), 0);
	assert_null(esp_source(&set, &why));
	assert_non_null(strstr(why.text, "a bind of both " R "/boot@a and " R "/boot@b"));
	esp_set_free(&set);

	/* Names that are not ESPs of this root. */
	static const char odd[] = LINE(95, "259:3", "/", R "/boot@A", "vfat")
		LINE(97, "259:3", "/", R "/boot@ab", "vfat") LINE(98, "259:3", "/", R "/boot@", "vfat")
		LINE(99, "259:3", "/", R "/efi@a", "vfat") LINE(100, "259:3", "/", R "/boot/x@a", "vfat");
	assert_int_equal(discover(odd, R "/boot", &set, &why), 0);
	assert_int_equal(set.n, 0);
	esp_set_free(&set);
}

/* Stacked mounts on one path: the last (the visible one) counts. */
static void test_stacked_mounts(void **state)
{
	(void)state;
	struct esp_set set;
	struct reason why;
	static const char table[] = LINE(95, "259:3", "/", R "/boot@a", "vfat")
		LINE(96, "0:40", "/", R "/boot@a", "tmpfs");
	assert_int_equal(discover(table, R "/boot", &set, &why), 0);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.esps[0].fstype, "tmpfs");
	assert_int_equal(major(set.esps[0].devno), 0);
	esp_set_free(&set);
}

static void test_unreadable_table(void **state)
{
	(void)state;
	struct esp_set set;
	struct reason why;
	assert_true(esp_discover("/nonexistent/mountinfo", "/boot", false, &set, &why) < 0);
	assert_non_null(strstr(why.text, "/nonexistent/mountinfo"));
	esp_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_mountinfo, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_source_is_the_bound_esp, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_source_refused, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_stacked_mounts, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_table, scratch_setup, scratch_teardown),
	};
	return cmocka_run_group_tests_name("esp", tests, NULL, NULL);
}
