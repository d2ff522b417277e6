/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of loader.c: the LoaderInfo version of the real
 * systemd-bootx64.efi of Debian's systemd-boot-efi, and of crafted binaries
 * (no marker, no closing " ####", cut by the end of the file, another
 * product, an empty version, a file beyond the read bound). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "loader.h"
#include "scratch.h"
#include "version.h"

#define SDBOOT "/usr/lib/systemd/boot/efi/systemd-bootx64.efi"

static int parse_bytes(const char *s, size_t len, char version[LOADER_VERSION_MAX])
{
	struct reason why;
	uint64_t off;
	return loader_find_marker((const uint8_t *)s, len, version, &off, &why);
}

static int parse(const char *s, char version[LOADER_VERSION_MAX])
{
	return parse_bytes(s, strlen(s), version);
}

static void test_real_binary(void **state)
{
	(void)state;
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct loader_file f;
	struct reason why;
	if (access(SDBOOT, R_OK) != 0)
		fail_msg("%s missing: make deps installs systemd-boot-efi", SDBOOT);
	assert_int_equal(loader_read(fd, SDBOOT + 1, NULL, &f, &why), 0);
	assert_true(f.present && f.sdboot);
	/* Debian 12's: 252.<point>-1~deb12u<n> */
	assert_int_equal(strncmp(f.version, "252.", 4), 0);
	assert_true(f.size > 50000);
	/* A version the UAPI order puts between 252 and 253. */
	assert_true(version_compare_uapi(f.version, "252") > 0);
	assert_true(version_compare_uapi(f.version, "253~rc1") < 0);
	/* Absent: not an error, not present. */
	assert_int_equal(loader_read(fd, "nonexistent/systemd-bootx64.efi", NULL, &f, &why), 0);
	assert_false(f.present);
	close(fd);
}

static void test_crafted_markers(void **state)
{
	(void)state;
	char v[LOADER_VERSION_MAX];
	assert_int_equal(parse("MZ...#### LoaderInfo: systemd-boot 254.5 ####...", v), 1);
	assert_string_equal(v, "254.5");
	/* none */
	assert_int_equal(parse("MZ...no marker here", v), 0);
	assert_string_equal(v, "");
	/* no closing " ####" */
	assert_int_equal(parse("#### LoaderInfo: systemd-boot 254.5\x01 garbage", v), 0);
	/* cut by the end of the file */
	assert_int_equal(parse("MZ #### LoaderInfo: systemd-boot 254.5 ##", v), 0);
	assert_int_equal(parse("MZ #### LoaderInfo: systemd-boot 254.5", v), 0);
	assert_int_equal(parse("MZ #### LoaderInf", v), 0);
	/* another product (shim, a vendor's loader) */
	assert_int_equal(parse("#### LoaderInfo: shim 15.7 ####", v), 0);
	assert_int_equal(parse("#### LoaderInfo: systemd-bootx 1 ####", v), 0);
	/* an empty version, one too long */
	assert_int_equal(parse("#### LoaderInfo: systemd-boot  ####", v), -EBADMSG);
	char longv[400];
	snprintf(longv, sizeof longv, "#### LoaderInfo: systemd-boot %0200d ####", 1);
	assert_int_equal(parse(longv, v), -EBADMSG);
	/* a broken first marker, a good second one */
	assert_int_equal(parse("#### LoaderInfo: x\x02 #### LoaderInfo: systemd-boot 255 ####", v), 1);
	assert_string_equal(v, "255");
	/* NUL bytes around it, as in a real PE file */
	static const char bin[] = "\0\0#### LoaderInfo: systemd-boot 256.1 ####\0\0";
	assert_int_equal(parse_bytes(bin, sizeof bin, v), 1);
	assert_string_equal(v, "256.1");
}

static void test_read_refusals(void **state)
{
	(void)state;
	int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct loader_file f;
	struct reason why;
	/* beyond the bound: refused, not read whole into memory */
	int big = openat(fd, "big.efi", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(big >= 0);
	assert_int_equal(ftruncate(big, LOADER_READ_MAX + 1), 0);
	close(big);
	assert_int_equal(loader_read(fd, "big.efi", NULL, &f, &why), -EFBIG);
	assert_non_null(strstr(why.text, "big.efi: larger than 16 MiB"));
	/* a directory where the loader should be */
	assert_int_equal(mkdirat(fd, "dir.efi", 0755), 0);
	assert_int_equal(loader_read(fd, "dir.efi", NULL, &f, &why), -EBADFD);
	assert_non_null(strstr(why.text, "not a regular file"));
	/* a symlink is not followed */
	assert_int_equal(symlinkat("big.efi", fd, "link.efi"), 0);
	assert_true(loader_read(fd, "link.efi", NULL, &f, &why) < 0);
	/* a file without the marker: present, not systemd-boot */
	scratch_write_str(scratch, "shim.efi", "MZ shim");
	assert_int_equal(loader_read(fd, "shim.efi", NULL, &f, &why), 0);
	assert_true(f.present);
	assert_false(f.sdboot);
	/* A copy of another systemd-boot (same size, same marker at the same
	 * place): its answer after reading the marker alone; another version
	 * of the same size is read. */
	static const char a[] = "MZ\0\0#### LoaderInfo: systemd-boot 254.1 ####\0";
	static const char b[] = "MZ\0\0#### LoaderInfo: systemd-boot 254.2 ####\0";
	scratch_write(scratch, "a.efi", a, sizeof a);
	scratch_write(scratch, "b.efi", b, sizeof b);
	struct loader_file like, g;
	assert_int_equal(loader_read(fd, "a.efi", NULL, &like, &why), 0);
	assert_true(like.sdboot);
	assert_int_equal(like.marker_off, 4);
	assert_int_equal(loader_read(fd, "a.efi", &like, &g, &why), 0);
	assert_string_equal(g.version, "254.1");
	assert_int_equal(loader_read(fd, "b.efi", &like, &g, &why), 0);
	assert_string_equal(g.version, "254.2");
	assert_int_equal(loader_read(fd, "shim.efi", &like, &g, &why), 0);
	assert_false(g.sdboot);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_binary),
		cmocka_unit_test(test_crafted_markers),
		cmocka_unit_test_setup_teardown(test_read_refusals, scratch_setup, scratch_teardown),
	};
	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
