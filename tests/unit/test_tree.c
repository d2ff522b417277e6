/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of tree.c: what a scan of an ESP lists, on small trees built
 * in a scratch directory. */
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
#include <sys/time.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "tree.h"

#define TOKEN "0123456789abcdef0123456789abcdef"
#define OTHER "fedcba9876543210fedcba9876543210"


/* A file of len bytes with mtime sec (0: leave it). */
static void make_file(const char *rel, size_t len, time_t sec)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", scratch, rel);
	_cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	char buf[256];
	memset(buf, 'x', sizeof buf);
	while (len > 0) {
		size_t k = len < sizeof buf ? len : sizeof buf;
		assert_int_equal(fileio_write_all(fd, buf, k), 0);
		len -= k;
	}
	if (sec) {
		struct timespec ts[2] = { { .tv_sec = sec }, { .tv_sec = sec, .tv_nsec = 500000000 } };
		assert_int_equal(futimens(fd, ts), 0);
	}
}

static void make_symlink(const char *target, const char *rel)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", scratch, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int scan_token(struct tree *t, const char *token)
{
	_cleanup_close_ int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct reason why;
	int r = tree_scan(fd, scratch, token, t, &why);
	/* rootfd is left as it was: still open and usable. */
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	return r;
}

static int scan(struct tree *t)
{
	return scan_token(t, TOKEN);
}

struct expect {
	const char *path;
	enum tree_kind kind;
};

static void assert_tree(const struct tree *t, const struct expect *e, size_t n)
{
	if (t->n != n) {
		for (size_t i = 0; i < t->n; i++)
			print_message("got: %s (%d)\n", t->entries[i].path, t->entries[i].kind);
		fail_msg("expected %zu entries, got %zu", n, t->n);
	}
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(t->entries[i].path, e[i].path);
		assert_int_equal(t->entries[i].kind, e[i].kind);
	}
}
#define ASSERT_TREE(t, ...)                                                                        \
	do {                                                                                       \
		const struct expect e_[] = { __VA_ARGS__ };                                        \
		assert_tree((t), e_, sizeof e_ / sizeof e_[0]);                                    \
	} while (0)

/* A typical ESP shared with another OS: only ours is listed. */
static void make_typical_esp(void)
{
	scratch_mkdir("EFI");
	scratch_mkdir("EFI/BOOT");
	make_file("EFI/BOOT/BOOTX64.EFI", 100, 0);
	scratch_mkdir("EFI/systemd");
	make_file("EFI/systemd/systemd-bootx64.efi", 100, 0);
	scratch_mkdir("EFI/Linux");
	make_file("EFI/Linux/" TOKEN "-6.6.1-arch1-1.efi", 300, 1700000000);
	make_file("EFI/Linux/" OTHER "-6.5.0.efi", 300, 0);
	scratch_mkdir("loader");
	make_file("loader/loader.conf", 10, 0);
	make_file("loader/random-seed", 32, 0);
	scratch_mkdir("loader/entries");
	make_file("loader/entries/" TOKEN "-6.1.0-13-amd64.conf", 200, 1700000000);
	make_file("loader/entries/" OTHER "-6.5.0.conf", 200, 0);
	scratch_mkdir(TOKEN);
	scratch_mkdir(TOKEN "/6.1.0-13-amd64");
	make_file(TOKEN "/6.1.0-13-amd64/linux", 1000, 1700000000);
	make_file(TOKEN "/6.1.0-13-amd64/initrd", 2000, 1700000002);
	scratch_mkdir(OTHER);
	scratch_mkdir(OTHER "/6.5.0");
	make_file(OTHER "/6.5.0/linux", 1000, 0);
}

static void test_scan_typical(void **state)
{
	(void)state;
	make_typical_esp();
	struct tree t;
	assert_int_equal(scan(&t), 0);
	ASSERT_TREE(&t,
		    { TOKEN, TREE_DIR },
		    { TOKEN "/6.1.0-13-amd64", TREE_DIR },
		    { TOKEN "/6.1.0-13-amd64/initrd", TREE_FILE },
		    { TOKEN "/6.1.0-13-amd64/linux", TREE_FILE },
		    { "EFI", TREE_OTHER_DIR },
		    { "EFI/Linux", TREE_OTHER_DIR },
		    { "EFI/Linux/" TOKEN "-6.6.1-arch1-1.efi", TREE_FILE },
		    { "loader", TREE_OTHER_DIR },
		    { "loader/entries", TREE_OTHER_DIR },
		    { "loader/entries/" TOKEN "-6.1.0-13-amd64.conf", TREE_FILE });

	/* Sizes and mtimes as stat saw them. */
	const struct tree_entry *e = tree_find(&t, TOKEN "/6.1.0-13-amd64/initrd");
	assert_non_null(e);
	assert_int_equal(e->size, 2000);
	assert_int_equal(e->mtime.tv_sec, 1700000002);
	assert_int_equal(e->mtime.tv_nsec, 500000000);
	e = tree_find(&t, "loader/entries/" TOKEN "-6.1.0-13-amd64.conf");
	assert_non_null(e);
	assert_int_equal(e->size, 200);

	/* Nothing unmanaged can be found. */
	assert_null(tree_find(&t, "loader/loader.conf"));
	assert_null(tree_find(&t, "loader/random-seed"));
	assert_int_equal(tree_find(&t, "loader/entries")->kind, TREE_OTHER_DIR);
	assert_null(tree_find(&t, "EFI/BOOT"));
	assert_null(tree_find(&t, "EFI/systemd/systemd-bootx64.efi"));
	assert_null(tree_find(&t, OTHER));
	assert_null(tree_find(&t, OTHER "/6.5.0/linux"));
	assert_null(tree_find(&t, ""));

	/* Every listed entry can be found, sorted by strcmp. */
	for (size_t i = 0; i < t.n; i++) {
		assert_ptr_equal(tree_find(&t, t.entries[i].path), &t.entries[i]);
		if (i > 0)
			assert_true(strcmp(t.entries[i - 1].path, t.entries[i].path) < 0);
	}
	tree_free(&t);
	assert_int_equal(t.n, 0);
	tree_free(&t);
}

static void test_scan_empty(void **state)
{
	(void)state;
	struct tree t;
	assert_int_equal(scan(&t), 0);
	assert_int_equal(t.n, 0);
	assert_null(tree_find(&t, TOKEN));
	tree_free(&t);
}

static void test_scan_symlinks_skipped(void **state)
{
	(void)state;
	scratch_mkdir(TOKEN);
	scratch_mkdir(TOKEN "/6.1");
	make_file(TOKEN "/6.1/linux", 10, 0);
	make_symlink("linux", TOKEN "/6.1/vmlinuz");
	make_symlink("6.1", TOKEN "/6.2");
	scratch_mkdir("loader");
	scratch_mkdir("loader/entries");
	make_symlink("/etc/passwd", "loader/entries/" TOKEN "-6.1.conf");
	/* An unmanaged symlink to a managed dir: not followed into it. */
	make_symlink(TOKEN, "alias");
	struct tree t;
	assert_int_equal(scan(&t), 0);
	ASSERT_TREE(&t, { TOKEN, TREE_DIR }, { TOKEN "/6.1", TREE_DIR }, { TOKEN "/6.1/linux", TREE_FILE },
		    { "loader", TREE_OTHER_DIR }, { "loader/entries", TREE_OTHER_DIR });
	tree_free(&t);
}

/* An os-id token ("debian") names the distribution's own boot loader
 * directory too: EFI/debian/ holds shim and grub, which are not ours,
 * nor is anything whose name merely contains the token. */
static void test_scan_os_id_token(void **state)
{
	(void)state;
	scratch_mkdir("EFI");
	scratch_mkdir("EFI/debian");
	make_file("EFI/debian/shimx64.efi", 10, 0);
	scratch_mkdir("EFI/Linux");
	make_file("EFI/Linux/debian-6.1.efi", 10, 0);
	make_file("EFI/Linux/notdebian-6.1.efi", 10, 0);
	scratch_mkdir("loader");
	scratch_mkdir("loader/entries");
	make_file("loader/entries/debian-6.1.conf", 10, 0);
	make_file("loader/entries/debian.conf", 10, 0);
	make_file("loader/debian-notes", 10, 0);
	scratch_mkdir("debian");
	scratch_mkdir("debian/6.1");
	make_file("debian/6.1/linux", 10, 0);
	scratch_mkdir("debian-old");
	make_file("debian-old/linux", 10, 0);
	struct tree t;
	assert_int_equal(scan_token(&t, "debian"), 0);
	ASSERT_TREE(&t,
		    { "EFI", TREE_OTHER_DIR },
		    { "EFI/Linux", TREE_OTHER_DIR },
		    { "EFI/Linux/debian-6.1.efi", TREE_FILE },
		    { "debian", TREE_DIR },
		    { "debian/6.1", TREE_DIR },
		    { "debian/6.1/linux", TREE_FILE },
		    { "loader", TREE_OTHER_DIR },
		    { "loader/entries", TREE_OTHER_DIR },
		    { "loader/entries/debian-6.1.conf", TREE_FILE });
	tree_free(&t);
}

/* vfat ignores case: "efi/linux" and "Loader/Entries" are the same places. */
static void test_scan_holders_any_case(void **state)
{
	(void)state;
	scratch_mkdir("efi");
	scratch_mkdir("efi/linux");
	make_file("efi/linux/" TOKEN "-6.1.efi", 10, 0);
	scratch_mkdir("Loader");
	scratch_mkdir("Loader/Entries");
	make_file("Loader/Entries/" TOKEN "-6.1.conf", 10, 0);
	struct tree t;
	assert_int_equal(scan(&t), 0);
	ASSERT_TREE(&t,
		    { "Loader", TREE_OTHER_DIR },
		    { "Loader/Entries", TREE_OTHER_DIR },
		    { "Loader/Entries/" TOKEN "-6.1.conf", TREE_FILE },
		    { "efi", TREE_OTHER_DIR },
		    { "efi/linux", TREE_OTHER_DIR },
		    { "efi/linux/" TOKEN "-6.1.efi", TREE_FILE });
	tree_free(&t);
}

static void test_scan_stale_temps(void **state)
{
	(void)state;
	scratch_mkdir(TOKEN);
	scratch_mkdir(TOKEN "/6.1");
	make_file(TOKEN "/6.1/linux", 10, 0);
	make_file(TOKEN "/6.1/" TREE_TEMP_PREFIX "initrd.Xy12Ab", 5, 0);
	scratch_mkdir("loader");
	scratch_mkdir("loader/entries");
	/* In any walked directory, even where nothing is managed, and
	 * whatever the name. */
	make_file("loader/entries/" TREE_TEMP_PREFIX "abc", 5, 0);
	make_file(TREE_TEMP_PREFIX "x", 5, 0);
	/* Not a temp: the prefix must start the basename. */
	make_file("loader/entries/x" TREE_TEMP_PREFIX "abc", 5, 0);
	struct tree t;
	assert_int_equal(scan(&t), 0);
	ASSERT_TREE(&t,
		    { TREE_TEMP_PREFIX "x", TREE_STALE_TEMP },
		    { TOKEN, TREE_DIR },
		    { TOKEN "/6.1", TREE_DIR },
		    { TOKEN "/6.1/" TREE_TEMP_PREFIX "initrd.Xy12Ab", TREE_STALE_TEMP },
		    { TOKEN "/6.1/linux", TREE_FILE },
		    { "loader", TREE_OTHER_DIR },
		    { "loader/entries", TREE_OTHER_DIR },
		    { "loader/entries/" TREE_TEMP_PREFIX "abc", TREE_STALE_TEMP });
	tree_free(&t);
}

/* A chain of n nested directories "<token>/d/d..." with a file "f" inside:
 * n + 1 path components. Writes the file's path to path. */
static void make_chain(int n, char path[1024])
{
	strcpy(path, TOKEN);
	scratch_mkdir(path);
	for (int i = 1; i < n; i++) {
		strcat(path, "/d");
		scratch_mkdir(path);
	}
	strcat(path, "/f");
	make_file(path, 1, 0);
}

static void test_scan_depth_ok(void **state)
{
	(void)state;
	/* TREE_MAX_DEPTH components in all, the file included. */
	char path[1024];
	make_chain(TREE_MAX_DEPTH - 1, path);
	struct tree t;
	assert_int_equal(scan(&t), 0);
	assert_int_equal(t.n, TREE_MAX_DEPTH);
	assert_non_null(tree_find(&t, path));
	assert_int_equal(tree_find(&t, path)->kind, TREE_FILE);
	tree_free(&t);
}

static void test_scan_depth_exceeded(void **state)
{
	(void)state;
	char path[1024];
	make_chain(TREE_MAX_DEPTH, path);
	struct tree t = { .n = 42 };
	assert_int_equal(scan(&t), -ELOOP);
	assert_int_equal(t.n, 0);
	assert_null(t.entries);
}

/* More than TREE_MAX_ENTRIES entries, none of them managed: refused, since
 * the bound is on the work, not on what is kept. Hard links on a tmpfs make
 * the 100001 entries cheap; elsewhere the test is skipped. */
static int open_dir_at(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static void test_scan_too_many_entries(void **state)
{
	(void)state;
	char dir[64] = "/dev/shm/bootsync-test-tree.XXXXXX";
	struct statfs sfs;
	if (statfs("/dev/shm", &sfs) < 0 || sfs.f_type != 0x01021994 /* TMPFS_MAGIC */ || !mkdtemp(dir))
		skip();
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	/* In loader/entries: walked, but none of these names is ours. */
	assert_int_equal(mkdirat(fd, "loader", 0755), 0);
	assert_int_equal(mkdirat(fd, "loader/entries", 0755), 0);
	_cleanup_close_ int ent = open_dir_at(fd, "loader/entries");
	_cleanup_close_ int f = openat(ent, "f", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(f >= 0);
	char name[32];
	for (int i = 0; i < TREE_MAX_ENTRIES; i++) {
		snprintf(name, sizeof name, "l%d", i);
		assert_int_equal(linkat(ent, "f", ent, name, 0), 0);
	}
	struct tree t;
	struct reason why;
	int r = tree_scan(fd, dir, TOKEN, &t, &why);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(r, -E2BIG);
	assert_int_equal(t.n, 0);
}

static void test_scan_bad_token(void **state)
{
	(void)state;
	_cleanup_close_ int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct tree t;
	struct reason why;
	assert_int_equal(tree_scan(fd, scratch, "", &t, &why), -EINVAL);
	assert_int_equal(tree_scan(fd, scratch, "a/b", &t, &why), -EINVAL);
	assert_int_equal(tree_scan(-1, scratch, TOKEN, &t, &why), -EBADF);
}

static void test_find_hand_built(void **state)
{
	(void)state;
	struct tree_entry e[] = {
		{ .path = (char *)"a" }, { .path = (char *)"a-b" }, { .path = (char *)"a/b" },
		{ .path = (char *)"a/b/c" }, { .path = (char *)"b" },
	};
	struct tree t = { .entries = e, .n = 5 };
	for (size_t i = 0; i < 5; i++)
		assert_ptr_equal(tree_find(&t, e[i].path), &e[i]);
	assert_null(tree_find(&t, "a/"));
	assert_null(tree_find(&t, "0"));
	assert_null(tree_find(&t, "c"));
	struct tree empty = { 0 };
	assert_null(tree_find(&empty, "a"));
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_typical, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_empty, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_symlinks_skipped, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_stale_temps, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_os_id_token, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_holders_any_case, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_depth_ok, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_scan_depth_exceeded, scratch_setup, scratch_teardown),
		cmocka_unit_test(test_scan_too_many_entries),
		cmocka_unit_test_setup_teardown(test_scan_bad_token, scratch_setup, scratch_teardown),
		cmocka_unit_test(test_find_hand_built),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
