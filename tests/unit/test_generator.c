/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of the generator's parts: unit names as systemd-escape
 * --path makes them (the expected names were printed by systemd 252's
 * systemd-escape), and the ESPs' fstab lines as fstab.c reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fstab.h"
#include "generator.h"
#include "scratch.h"

static void test_unit_names(void **state)
{
	(void)state;
	static const struct {
		const char *path, *suffix, *want;
	} table[] = {
		{ "/boot@a", ".mount", "boot\\x40a.mount" },
		{ "/efi@z", ".mount", "efi\\x40z.mount" },
		{ "/boot/x@a", ".mount", "boot-x\\x40a.mount" },
		{ "/a b/.x/c.d", ".mount", "a\\x20b-.x-c.d.mount" },
		{ "/.hidden", ".mount", "\\x2ehidden.mount" },
		{ "/dev/disk/by-partuuid/9d70e039-6346-674e-a5d5-59d81b1d69c5", ".device",
		  "dev-disk-by\\x2dpartuuid-9d70e039\\x2d6346\\x2d674e\\x2da5d5\\x2d59d81b1d69c5.device" },
		{ "/dev/disk/by-partlabel/boot@a", ".device", "dev-disk-by\\x2dpartlabel-boot\\x40a.device" },
		{ "/media/\xc3\xbc", ".mount", "media-\\xc3\\xbc.mount" },
		{ "//boot//a/", ".mount", "boot-a.mount" },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		char out[256];
		assert_int_equal(generator_unit_name(table[i].path, table[i].suffix, out, sizeof out), 0);
		if (strcmp(out, table[i].want) != 0)
			fail_msg("%s: %s, want %s", table[i].path, out, table[i].want);
	}
	char small[8];
	assert_int_equal(generator_unit_name("/boot@a", ".mount", small, sizeof small), -ENAMETOOLONG);
}

static void test_fstab(void **state)
{
	(void)state;
	scratch_write_str(scratch, "fstab",
			  "# comment\n"
			  "PARTUUID=B2413451-73F6-0F49-AB3A-60926F35FE3C /boot@a vfat umask=0077,nofail 0 2\n"
			  "PARTLABEL=boot@b /boot@b vfat nofail,x-systemd.before=bootbind.service 0 2\n"
			  "/dev/disk/by-partuuid/9d70e039-6346-674e-a5d5-59d81b1d69c5 /boot@c vfat x-systemd.before=foo.service,x-systemd.before=bootbind.service 0 2\n"
			  "PARTUUID=\"3c0ffee0-1234-4abc-9def-00000000000c\" /boot@d vfat nofail 0 2\n"
			  "PARTUUID=not-a-guid /boot@e vfat nofail 0 2\n"
			  "UUID=1234-ABCD /boot vfat defaults 0 0\n"
			  "LABEL=x /boot@ab vfat defaults 0 0\n"
			  "LABEL=y /boot@A vfat defaults 0 0\n"
			  "LABEL=old /boot@f vfat defaults 0 0\n"
			  "LABEL=new /boot@f vfat x-systemd.before=bootbind.service.x 0 0\n");
	char *p = scratch_path(scratch, "fstab");
	struct fstab_esps f;
	struct reason why;
	assert_int_equal(fstab_read_esps(p, "/boot", &f, &why), 0);
	assert_int_equal(f.n, 6);
	assert_string_equal(f.lines[0].target, "/boot@a");
	assert_string_equal(f.lines[0].partuuid, "b2413451-73f6-0f49-ab3a-60926f35fe3c");
	assert_false(f.lines[0].before_bind);
	assert_string_equal(f.lines[1].source, "PARTLABEL=boot@b");
	assert_string_equal(f.lines[1].partuuid, "");
	assert_true(f.lines[1].before_bind);
	assert_string_equal(f.lines[2].partuuid, "9d70e039-6346-674e-a5d5-59d81b1d69c5");
	assert_true(f.lines[2].before_bind); /* the second of two x-systemd.before= */
	assert_string_equal(f.lines[3].partuuid, "3c0ffee0-1234-4abc-9def-00000000000c");
	assert_string_equal(f.lines[4].partuuid, "");
	/* the last line for a letter wins */
	assert_int_equal(f.lines[5].letter, 'f');
	assert_string_equal(f.lines[5].source, "LABEL=new");
	assert_false(f.lines[5].before_bind);
	fstab_esps_free(&f);
	free(p);

	/* No fstab: no line, not an error. */
	assert_int_equal(fstab_read_esps("/nonexistent/fstab", "/boot", &f, &why), 0);
	assert_int_equal(f.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_names),
		cmocka_unit_test_setup_teardown(test_fstab, scratch_setup, scratch_teardown),
	};
	return cmocka_run_group_tests_name("generator", tests, NULL, NULL);
}
