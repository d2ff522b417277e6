/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of plan.c: exact operation lists, in apply order, for trees
 * written as literals (sorted by strcmp, as tree_scan returns them). */
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
#include "layout.h"
#include "log.h"
#include "plan.h"
#include "tree.h"

/* The reason of the last plan_build (plan_build logs nothing). */
static struct reason why;

#define K "0123456789abcdef0123456789abcdef"
#define OTHER "fedcba9876543210fedcba9876543210"
#define T0 1700000000

#define F(p, sz, sec, nsec)                                                                        \
	{ .path = (char *)(p), .kind = TREE_FILE, .size = (sz), .mtime = { .tv_sec = (sec), .tv_nsec = (nsec) } }
#define D(p) { .path = (char *)(p), .kind = TREE_DIR }
#define TMP(p) { .path = (char *)(p), .kind = TREE_STALE_TEMP, .size = 7 }
#define TREE(...)                                                                                  \
	((struct tree){ .entries = (struct tree_entry[]){ __VA_ARGS__ },                           \
			.n = sizeof((struct tree_entry[]){ __VA_ARGS__ }) / sizeof(struct tree_entry) })
#define EMPTY ((struct tree){ 0 })

/* A kernel as kernel-install lays it out: the type 1 dir, its payload and
 * its entry. Sorted: K < K/v < K/v/initrd < K/v/linux < loader/... */
#define KERNEL_PAYLOAD(v, sec)                                                                     \
	D(K "/" v), F(K "/" v "/initrd", 30000000, sec, 0), F(K "/" v "/linux", 8000000, sec, 0)
#define KERNEL_ENTRY(v, sec) F("loader/entries/" K "-" v ".conf", 400, sec, 0)

struct expect {
	enum plan_op_kind kind;
	const char *path;
};

static void check_sorted(const struct tree *t)
{
	for (size_t i = 1; i < t->n; i++)
		if (strcmp(t->entries[i - 1].path, t->entries[i].path) >= 0)
			fail_msg("test tree not sorted: %s, %s", t->entries[i - 1].path, t->entries[i].path);
}

static void assert_plan(const struct plan *p, const struct expect *e, size_t n)
{
	bool ok = p->n == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = p->ops[i].kind == e[i].kind && strcmp(p->ops[i].path, e[i].path) == 0;
	if (!ok) {
		for (size_t i = 0; i < p->n; i++)
			print_message("got:    %-11s %s\n", plan_op_name(p->ops[i].kind), p->ops[i].path);
		for (size_t i = 0; i < n; i++)
			print_message("wanted: %-11s %s\n", plan_op_name(e[i].kind), e[i].path);
		fail_msg("plan differs");
	}
}

/* Build the plan of source -> target and compare it with the expected ops. */
static void build_and_check(struct tree src, struct tree dst, const struct expect *e, size_t n,
			    struct plan *out)
{
	check_sorted(&src);
	check_sorted(&dst);
	struct plan p;
	assert_int_equal(plan_build(&src, &dst, "/boot@b", &p, &why), 0);
	assert_plan(&p, e, n);
	if (out)
		*out = p;
	else
		plan_free(&p);
}
#define EXPECT(...) (const struct expect[]){ __VA_ARGS__ }, sizeof((const struct expect[]){ __VA_ARGS__ }) / sizeof(struct expect)
#define NOTHING NULL, 0

static void test_first_sync_bare_target(void **state)
{
	(void)state;
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.1.0-13-amd64", T0),
			       F("EFI/Linux/" K "-6.6.1-arch1-1.efi", 50000000, T0, 0),
			       KERNEL_ENTRY("6.1.0-13-amd64", T0));
	struct plan p;
	build_and_check(src, EMPTY,
			EXPECT({ PLAN_MKDIR, K },
			       { PLAN_MKDIR, K "/6.1.0-13-amd64" },
			       { PLAN_MKDIR, "EFI" },
			       { PLAN_MKDIR, "EFI/Linux" },
			       { PLAN_MKDIR, "loader" },
			       { PLAN_MKDIR, "loader/entries" },
			       { PLAN_COPY, K "/6.1.0-13-amd64/initrd" },
			       { PLAN_COPY, K "/6.1.0-13-amd64/linux" },
			       { PLAN_COPY, "EFI/Linux/" K "-6.6.1-arch1-1.efi" },
			       { PLAN_COPY, "loader/entries/" K "-6.1.0-13-amd64.conf" }),
			&p);
	assert_int_equal(p.bytes_to_copy, 30000000 + 8000000 + 50000000 + 400);
	/* Copies carry the source's size and mtime, to preserve. */
	assert_int_equal(p.ops[6].size, 30000000);
	assert_int_equal(p.ops[6].mtime.tv_sec, T0);
	/* MKDIR carries nothing. */
	assert_int_equal(p.ops[0].size, 0);
	plan_free(&p);
	assert_int_equal(p.n, 0);
	assert_null(p.ops);
	plan_free(&p);
}

static void test_first_sync_target_with_other_os(void **state)
{
	(void)state;
	/* The target has another OS's kernel and entry: loader/entries
	 * exists there but the target tree cannot show it (not managed), and
	 * the tree lists nothing below it, so mkdir is asked (apply accepts
	 * an existing directory). */
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.1", T0), KERNEL_ENTRY("6.1", T0));
	build_and_check(src, EMPTY,
			EXPECT({ PLAN_MKDIR, K },
			       { PLAN_MKDIR, K "/6.1" },
			       { PLAN_MKDIR, "loader" },
			       { PLAN_MKDIR, "loader/entries" },
			       { PLAN_COPY, K "/6.1/initrd" },
			       { PLAN_COPY, K "/6.1/linux" },
			       { PLAN_COPY, "loader/entries/" K "-6.1.conf" }),
			NULL);
}

static void test_in_step_empty_plan(void **state)
{
	(void)state;
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.1", T0), KERNEL_PAYLOAD("6.2", T0 + 100),
			       F("EFI/Linux/" K "-6.3.efi", 5, T0, 0), KERNEL_ENTRY("6.1", T0),
			       KERNEL_ENTRY("6.2", T0 + 100));
	/* vfat rounded the copies' mtimes down to even seconds. */
	struct tree dst = TREE(D(K), D(K "/6.1"), F(K "/6.1/initrd", 30000000, T0, 0),
			       F(K "/6.1/linux", 8000000, T0 - 1, 0), D(K "/6.2"),
			       F(K "/6.2/initrd", 30000000, T0 + 100, 0), F(K "/6.2/linux", 8000000, T0 + 100, 0),
			       F("EFI/Linux/" K "-6.3.efi", 5, T0 + 1, 999999999), KERNEL_ENTRY("6.1", T0),
			       KERNEL_ENTRY("6.2", T0 + 100));
	struct plan p;
	build_and_check(src, dst, NOTHING, &p);
	assert_int_equal(p.bytes_to_copy, 0);
	assert_int_equal(plan_space_needed(&p, 4096), 0);
	plan_free(&p);

	/* Both empty: empty plan. */
	build_and_check(EMPTY, EMPTY, NOTHING, NULL);
}

static void test_kernel_added(void **state)
{
	(void)state;
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.1", T0), KERNEL_PAYLOAD("6.2", T0 + 100),
			       KERNEL_ENTRY("6.1", T0), KERNEL_ENTRY("6.2", T0 + 100));
	struct tree dst = TREE(D(K), KERNEL_PAYLOAD("6.1", T0), KERNEL_ENTRY("6.1", T0));
	build_and_check(src, dst,
			EXPECT({ PLAN_MKDIR, K "/6.2" },
			       { PLAN_COPY, K "/6.2/initrd" },
			       { PLAN_COPY, K "/6.2/linux" },
			       { PLAN_COPY, "loader/entries/" K "-6.2.conf" }),
			NULL);
}

static void test_kernel_removed(void **state)
{
	(void)state;
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.2", T0 + 100), KERNEL_ENTRY("6.2", T0 + 100));
	struct tree dst = TREE(D(K), KERNEL_PAYLOAD("6.1", T0), KERNEL_PAYLOAD("6.2", T0 + 100),
			       F("EFI/Linux/" K "-6.1.efi", 5, T0, 0), KERNEL_ENTRY("6.1", T0),
			       KERNEL_ENTRY("6.2", T0 + 100));
	/* Entries first, then the payload they named, then the directory. */
	build_and_check(src, dst,
			EXPECT({ PLAN_DELETE, "EFI/Linux/" K "-6.1.efi" },
			       { PLAN_DELETE, "loader/entries/" K "-6.1.conf" },
			       { PLAN_DELETE, K "/6.1/initrd" },
			       { PLAN_DELETE, K "/6.1/linux" },
			       { PLAN_RMDIR, K "/6.1" }),
			NULL);
}

static void test_everything_removed_children_first(void **state)
{
	(void)state;
	/* The source no longer has anything for this token. */
	struct tree dst = TREE(D(K), D(K "-x"), D(K "/a"), D(K "/a/b"), F(K "/a/b/f", 1, T0, 0),
			       D(K "/a/c"));
	build_and_check(EMPTY, dst,
			EXPECT({ PLAN_DELETE, K "/a/b/f" },
			       { PLAN_RMDIR, K "/a/c" },
			       { PLAN_RMDIR, K "/a/b" },
			       { PLAN_RMDIR, K "/a" },
			       { PLAN_RMDIR, K "-x" },
			       { PLAN_RMDIR, K }),
			NULL);
}

static void test_changed_initrd_replaced(void **state)
{
	(void)state;
	/* Same size, newer mtime (dracut rebuilt it). */
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.1", T0 + 3600), KERNEL_ENTRY("6.1", T0));
	struct tree dst = TREE(D(K), D(K "/6.1"), F(K "/6.1/initrd", 30000000, T0, 0),
			       F(K "/6.1/linux", 8000000, T0 + 3600, 0), KERNEL_ENTRY("6.1", T0));
	struct plan p;
	build_and_check(src, dst, EXPECT({ PLAN_REPLACE, K "/6.1/initrd" }), &p);
	assert_int_equal(p.bytes_to_copy, 30000000);
	assert_int_equal(p.ops[0].size, 30000000);
	assert_int_equal(p.ops[0].mtime.tv_sec, T0 + 3600);
	plan_free(&p);

	/* Different size, same mtime: replaced too. */
	struct tree dst2 = TREE(D(K), D(K "/6.1"), F(K "/6.1/initrd", 29999999, T0 + 3600, 0),
				F(K "/6.1/linux", 8000000, T0 + 3600, 0), KERNEL_ENTRY("6.1", T0));
	build_and_check(src, dst2, EXPECT({ PLAN_REPLACE, K "/6.1/initrd" }), NULL);

	/* A changed entry is replaced after the payload. */
	struct tree src3 = TREE(D(K), KERNEL_PAYLOAD("6.1", T0 + 3600), KERNEL_ENTRY("6.1", T0 + 10));
	build_and_check(src3, dst,
			EXPECT({ PLAN_REPLACE, K "/6.1/initrd" },
			       { PLAN_REPLACE, "loader/entries/" K "-6.1.conf" }),
			NULL);
}

static void test_mtime_granularity(void **state)
{
	(void)state;
	struct tree_entry a = F("x", 10, T0, 0), b = F("x", 10, T0, 0);

	assert_true(plan_file_unchanged(&a, &b));
	b.mtime = (struct timespec){ T0 + 1, 900000000 }; /* 1.9 s later */
	assert_true(plan_file_unchanged(&a, &b));
	assert_true(plan_file_unchanged(&b, &a));
	b.mtime = (struct timespec){ T0 + 1, 999999999 };
	assert_true(plan_file_unchanged(&a, &b));
	b.mtime = (struct timespec){ T0 + 2, 0 }; /* 2 s: different */
	assert_false(plan_file_unchanged(&a, &b));
	assert_false(plan_file_unchanged(&b, &a));
	b.mtime = (struct timespec){ T0 - 2, 0 };
	assert_false(plan_file_unchanged(&a, &b));
	a.mtime = (struct timespec){ T0, 500000000 };
	b.mtime = (struct timespec){ T0 - 1, 600000001 }; /* 1.899999999 s earlier */
	assert_true(plan_file_unchanged(&a, &b));
	b.mtime = (struct timespec){ T0 - 2, 500000000 };
	assert_false(plan_file_unchanged(&a, &b));
	/* Absurd timestamps do not overflow. */
	b.mtime = (struct timespec){ INT64_MIN / 2, 0 };
	assert_false(plan_file_unchanged(&a, &b));
	a.mtime = (struct timespec){ INT64_MAX, 0 };
	b.mtime = (struct timespec){ INT64_MIN, 0 };
	assert_false(plan_file_unchanged(&a, &b));
	assert_false(plan_file_unchanged(&b, &a));
	a.mtime = (struct timespec){ T0, 500000000 };
	b.mtime = a.mtime;
	b.size = 11;
	assert_false(plan_file_unchanged(&a, &b));

	/* The same through plan_build. */
	struct tree src = TREE(D(K), F(K "/f", 10, T0 + 1, 900000000));
	build_and_check(src, TREE(D(K), F(K "/f", 10, T0, 0)), NOTHING, NULL);
	build_and_check(src, TREE(D(K), F(K "/f", 10, T0 + 3, 800000000)), NOTHING, NULL);
	struct tree src2 = TREE(D(K), F(K "/f", 10, T0 + 2, 0));
	build_and_check(src2, TREE(D(K), F(K "/f", 10, T0, 0)), EXPECT({ PLAN_REPLACE, K "/f" }), NULL);
}

static void test_stale_temps_first(void **state)
{
	(void)state;
	struct tree src = TREE(TMP(".bootsync-tmp.src"), D(K), KERNEL_PAYLOAD("6.1", T0),
			       KERNEL_PAYLOAD("6.2", T0), KERNEL_ENTRY("6.1", T0), KERNEL_ENTRY("6.2", T0));
	struct tree dst = TREE(TMP(".bootsync-tmp.root"), D(K), D(K "/6.1"),
			       TMP(K "/6.1/" TREE_TEMP_PREFIX "initrd.ab12"),
			       F(K "/6.1/initrd", 30000000, T0, 0), F(K "/6.1/linux", 8000000, T0, 0),
			       TMP("loader/entries/" TREE_TEMP_PREFIX "x"), KERNEL_ENTRY("6.1", T0));
	/* The source's own temp is not content: never copied. */
	build_and_check(src, dst,
			EXPECT({ PLAN_DELETE_TEMP, ".bootsync-tmp.root" },
			       { PLAN_DELETE_TEMP, K "/6.1/" TREE_TEMP_PREFIX "initrd.ab12" },
			       { PLAN_DELETE_TEMP, "loader/entries/" TREE_TEMP_PREFIX "x" },
			       { PLAN_MKDIR, K "/6.2" },
			       { PLAN_COPY, K "/6.2/initrd" },
			       { PLAN_COPY, K "/6.2/linux" },
			       { PLAN_COPY, "loader/entries/" K "-6.2.conf" }),
			NULL);
}

/* Every step at once, to pin the global order. */
static void test_all_steps_order(void **state)
{
	(void)state;
	struct tree src = TREE(D(K), KERNEL_PAYLOAD("6.2", T0 + 100), KERNEL_PAYLOAD("6.3", T0 + 200),
			       KERNEL_ENTRY("6.2", T0 + 100), KERNEL_ENTRY("6.3", T0 + 200));
	struct tree dst = TREE(D(K), KERNEL_PAYLOAD("6.1", T0), D(K "/6.2"),
			       F(K "/6.2/" TREE_TEMP_PREFIX "1", 1, T0, 0), /* a real scan says TMP */
			       F(K "/6.2/initrd", 30000000, T0, 0), F(K "/6.2/linux", 8000000, T0 + 100, 0),
			       KERNEL_ENTRY("6.1", T0), KERNEL_ENTRY("6.2", T0));
	dst.entries[5].kind = TREE_STALE_TEMP;
	build_and_check(src, dst,
			EXPECT({ PLAN_DELETE_TEMP, K "/6.2/" TREE_TEMP_PREFIX "1" },
			       { PLAN_MKDIR, K "/6.3" },
			       { PLAN_REPLACE, K "/6.2/initrd" },
			       { PLAN_COPY, K "/6.3/initrd" },
			       { PLAN_COPY, K "/6.3/linux" },
			       { PLAN_REPLACE, "loader/entries/" K "-6.2.conf" },
			       { PLAN_COPY, "loader/entries/" K "-6.3.conf" },
			       { PLAN_DELETE, "loader/entries/" K "-6.1.conf" },
			       { PLAN_DELETE, K "/6.1/initrd" },
			       { PLAN_DELETE, K "/6.1/linux" },
			       { PLAN_RMDIR, K "/6.1" }),
			NULL);
}

/* vfat ignores case: a name differing only in case on the target is the
 * same file, never deleted after the copy landed on it. */
static void test_case_insensitive_names(void **state)
{
	(void)state;
	struct tree src2 = TREE(D(K), D(K "/6.1"), F(K "/6.1/linux", 10, T0, 0),
				F("EFI/Linux/" K "-6.1.efi", 5, T0, 0));
	struct tree dst2 = TREE(D(K), D(K "/6.1"), F(K "/6.1/Linux", 10, T0, 0),
				F("efi/linux/" K "-6.1.EFI", 5, T0, 0));
	build_and_check(src2, dst2, NOTHING, NULL);

	struct tree dst3 = TREE(D(K), D(K "/6.1"), F(K "/6.1/Linux", 10, T0 - 60, 0),
				F("efi/linux/" K "-6.1.EFI", 5, T0 - 60, 0));
	build_and_check(src2, dst3,
			EXPECT({ PLAN_REPLACE, K "/6.1/linux" },
			       { PLAN_REPLACE, "EFI/Linux/" K "-6.1.efi" }),
			NULL);

	/* And the other way round: nothing deleted. */
	build_and_check(dst2, src2, NOTHING, NULL);
}

static void test_type_conflict(void **state)
{
	(void)state;
	struct plan p = { .n = 99 };

	/* A file on the source, a directory on the target. */
	struct tree src = TREE(D(K), F(K "/6.1", 10, T0, 0));
	struct tree dst = TREE(D(K), D(K "/6.1"));
	assert_int_equal(plan_build(&src, &dst, "/boot@b", &p, &why), -EEXIST);
	assert_int_equal(p.n, 0);
	assert_null(p.ops);
	/* The reason names the path and says what is wrong, once. */
	assert_string_equal(why.text, K "/6.1 is a file on the source but a directory on the target");

	/* A directory on the source, a file on the target. */
	assert_int_equal(plan_build(&dst, &src, "/boot@b", &p, &why), -EEXIST);
	assert_int_equal(p.n, 0);

	/* A file on the target where the source needs a parent directory. */
	struct tree src2 = TREE(D(K), D(K "/6.1"), F(K "/6.1/linux", 1, T0, 0));
	assert_int_equal(plan_build(&src2, &src, "/boot@b", &p, &why), -EEXIST);
	assert_int_equal(p.n, 0);
	assert_string_equal(why.text, K "/6.1 is a directory on the source but a file on the target");
}

/* Real scans of two ESPs full of unmanaged things: none of it is planned. */
static void mk(const char *esp, const char *rel, bool dir, size_t len)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s/%s", scratch, esp, rel);
	if (dir) {
		assert_int_equal(mkdir(p, 0755), 0);
		return;
	}
	_cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	char buf[64] = { 0 };
	assert_int_equal(fileio_write_all(fd, buf, len < sizeof buf ? len : sizeof buf), 0);
}

static void scan_esp(const char *esp, struct tree *t)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", scratch, esp);
	_cleanup_close_ int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(tree_scan(fd, p, K, t, &why), 0);
}

static void test_unmanaged_never_planned(void **state)
{
	(void)state;
	static const char *const esps[] = { "a", "b" };
	for (int i = 0; i < 2; i++) {
		const char *e = esps[i];
		mk(e, "", true, 0);
		mk(e, "EFI", true, 0);
		mk(e, "EFI/systemd", true, 0);
		mk(e, "EFI/systemd/systemd-bootx64.efi", false, i ? 20 : 10);
		mk(e, "loader", true, 0);
		mk(e, "loader/loader.conf", false, i ? 30 : 40);
		mk(e, "loader/random-seed", false, 32);
		mk(e, "loader/entries", true, 0);
		mk(e, i ? "loader/entries/" OTHER "-6.5.conf" : "loader/entries/" OTHER "-6.9.conf", false, 5);
		mk(e, i ? OTHER : "unrelated", true, 0);
	}
	mk("a", K, true, 0);
	mk("a", K "/6.1", true, 0);
	mk("a", K "/6.1/linux", false, 50);
	mk("a", "loader/entries/" K "-6.1.conf", false, 5);

	struct tree src, dst;
	scan_esp("a", &src);
	scan_esp("b", &dst);
	struct plan p;
	assert_int_equal(plan_build(&src, &dst, "b", &p, &why), 0);
	/* The target has loader/entries (the scan lists it as not ours), so
	 * no mkdir is asked for it; nothing unmanaged is planned. */
	assert_plan(&p,
		    EXPECT({ PLAN_MKDIR, K },
			   { PLAN_MKDIR, K "/6.1" },
			   { PLAN_COPY, K "/6.1/linux" },
			   { PLAN_COPY, "loader/entries/" K "-6.1.conf" }));
	for (size_t i = 0; i < p.n; i++)
		if (p.ops[i].kind != PLAN_MKDIR)
			assert_non_null(strstr(p.ops[i].path, K));
	/* The plan owns its paths: it outlives the trees. */
	tree_free(&src);
	tree_free(&dst);
	assert_string_equal(p.ops[3].path, "loader/entries/" K "-6.1.conf");
	plan_free(&p);

	/* And the other way round: the managed files are deleted, the rest
	 * of "a" is left alone. */
	scan_esp("b", &src);
	scan_esp("a", &dst);
	assert_int_equal(plan_build(&src, &dst, "a", &p, &why), 0);
	assert_plan(&p,
		    EXPECT({ PLAN_DELETE, "loader/entries/" K "-6.1.conf" },
			   { PLAN_DELETE, K "/6.1/linux" },
			   { PLAN_RMDIR, K "/6.1" },
			   { PLAN_RMDIR, K }));
	plan_free(&p);
	tree_free(&src);
	tree_free(&dst);
}

static void test_space_needed(void **state)
{
	(void)state;
	struct plan_op ops[] = {
		{ .kind = PLAN_DELETE_TEMP, .path = "t" },
		{ .kind = PLAN_MKDIR, .path = "d" },
		{ .kind = PLAN_COPY, .path = "a", .size = 1 },
		{ .kind = PLAN_REPLACE, .path = "b", .size = 4096 },
		{ .kind = PLAN_COPY, .path = "c", .size = 4097 },
		{ .kind = PLAN_COPY, .path = "e", .size = 0 },
		{ .kind = PLAN_DELETE, .path = "f" },
		{ .kind = PLAN_RMDIR, .path = "g" },
	};
	struct plan p = { .ops = ops, .n = sizeof ops / sizeof ops[0], .bytes_to_copy = 8194 };

	/* mkdir 4096 + 4096 + 4096 + 8192 + 0 */
	assert_int_equal(plan_space_needed(&p, 4096), 20480);
	assert_int_equal(plan_space_needed(&p, 512), 512 + 512 + 4096 + 4608);
	assert_int_equal(plan_space_needed(&p, 1), 1 + 1 + 4096 + 4097);
	assert_int_equal(plan_space_needed(&p, 0), 1 + 1 + 4096 + 4097);

	struct plan empty = { 0 };
	assert_int_equal(plan_space_needed(&empty, 4096), 0);

	/* Saturates instead of wrapping. */
	struct plan_op big[] = {
		{ .kind = PLAN_COPY, .path = "a", .size = UINT64_MAX - 10 },
		{ .kind = PLAN_COPY, .path = "b", .size = UINT64_MAX - 10 },
	};
	struct plan pb = { .ops = big, .n = 2 };
	assert_true(plan_space_needed(&pb, 4096) == UINT64_MAX);
	assert_true(plan_space_needed(&pb, 1) == UINT64_MAX);
}

static void test_names_and_entries(void **state)
{
	(void)state;
	assert_string_equal(plan_op_name(PLAN_DELETE_TEMP), "delete-temp");
	assert_string_equal(plan_op_name(PLAN_MKDIR), "mkdir");
	assert_string_equal(plan_op_name(PLAN_COPY), "copy");
	assert_string_equal(plan_op_name(PLAN_REPLACE), "replace");
	assert_string_equal(plan_op_name(PLAN_DELETE), "delete");
	assert_string_equal(plan_op_name(PLAN_RMDIR), "rmdir");

	assert_true(layout_is_entry("loader/entries/" K "-6.1.conf"));
	assert_true(layout_is_entry("EFI/Linux/" K "-6.1.efi"));
	assert_true(layout_is_entry("EFI/Linux/" K "-6.1+3-1.efi"));
	/* vfat ignores case; so do we here. */
	assert_true(layout_is_entry("efi/linux/" K "-6.1.EFI"));
	assert_true(layout_is_entry("Loader/Entries/" K "-6.1.CONF"));
	assert_false(layout_is_entry(K "/6.1/linux"));
	assert_false(layout_is_entry(K "/6.1/initrd"));
	assert_false(layout_is_entry("loader/entries/" K "-6.1.conf.bak"));
	assert_false(layout_is_entry("loader/entries/" K "/x.conf"));
	assert_false(layout_is_entry("loader/entries/.conf"));
	assert_false(layout_is_entry("loader/entries"));
	assert_false(layout_is_entry("EFI/Linux/" K "/6.1.efi"));
	assert_false(layout_is_entry(K "/EFI/Linux/x.efi"));
	assert_false(layout_is_entry(""));
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_sync_bare_target),
		cmocka_unit_test(test_first_sync_target_with_other_os),
		cmocka_unit_test(test_in_step_empty_plan),
		cmocka_unit_test(test_kernel_added),
		cmocka_unit_test(test_kernel_removed),
		cmocka_unit_test(test_everything_removed_children_first),
		cmocka_unit_test(test_changed_initrd_replaced),
		cmocka_unit_test(test_mtime_granularity),
		cmocka_unit_test(test_stale_temps_first),
		cmocka_unit_test(test_all_steps_order),
		cmocka_unit_test(test_case_insensitive_names),
		cmocka_unit_test(test_type_conflict),
		cmocka_unit_test_setup_teardown(test_unmanaged_never_planned, scratch_setup, scratch_teardown),
		cmocka_unit_test(test_space_needed),
		cmocka_unit_test(test_names_and_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
