/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of survey.c, the one decider: a machine of scratch
 * directories described by a crafted mount table (struct paths points the
 * survey at them), each ESP in one of the states a target can be in, and
 * the preconditions that stop a sync. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "scratch.h"
#include "survey.h"

#define TOKEN "0123456789abcdef0123456789abcdef"
#define K1 "6.1.0-9-amd64"
#define K2 "6.1.0-13-amd64"
#define KNEWER "6.1.0-20-amd64"

static struct paths paths;
static char mountinfo[512];

static void put(const char *rel, const char *content, time_t mtime)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", scratch, rel);
	/* parents first */
	for (char *s = strchr(p + strlen(scratch) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		(void)mkdir(p, 0755);
		*s = '/';
	}
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	struct timespec ts[2] = { { .tv_sec = mtime }, { .tv_sec = mtime } };
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
}

/* Kernel v with its entry on ESP letter l. */
static void kernel(char l, const char *v)
{
	char rel[256], entry[512];
	snprintf(rel, sizeof rel, "boot@%c/" TOKEN "/%s/linux", l, v);
	put(rel, "linux", 1700000000);
	snprintf(rel, sizeof rel, "boot@%c/" TOKEN "/%s/initrd", l, v);
	put(rel, "initrd", 1700000002);
	snprintf(rel, sizeof rel, "boot@%c/loader/entries/" TOKEN "-%s.conf", l, v);
	snprintf(entry, sizeof entry, "title t\nlinux /" TOKEN "/%s/linux\ninitrd /" TOKEN "/%s/initrd\n",
		 v, v);
	put(rel, entry, 1700000004);
}

static void esp(char l)
{
	char rel[64];
	snprintf(rel, sizeof rel, "boot@%c/EFI/BOOT/BOOTX64.EFI", l);
	put(rel, "loader", 1600000000);
	snprintf(rel, sizeof rel, "boot@%c/loader/loader.conf", l);
	put(rel, "timeout 3\n", 1600000000);
}

/* The mount table: each letter in mounted (devno 8:N for the N-th), the
 * root a bind of the first one. */
static void mount_table(const char *mounted, const char *root_of)
{
	char *p = scratch_path(scratch, "mountinfo");
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "21 1 259:4 / / rw - ext4 /dev/root rw\n");
	for (size_t i = 0; mounted[i]; i++)
		/* f: another directory of a's filesystem */
		fprintf(f, "%zu 21 8:%zu %s %s/boot@%c rw - vfat /dev/sd%c1 rw\n", 30 + i,
			mounted[i] == 'f' ? 1 : i + 1, mounted[i] == 'f' ? "/f" : "/", scratch,
			mounted[i], mounted[i]);
	if (root_of)
		fprintf(f, "99 21 8:%d / %s/boot rw - vfat /dev/sda1 rw\n",
			(int)(strchr(mounted, root_of[0]) - mounted) + 1, scratch);
	fclose(f);
	snprintf(mountinfo, sizeof mountinfo, "%s", p);
	free(p);
}

static int setup(void **state)
{
	scratch_setup(state);
	static char modules[512], machine_id[512], entry_token[512], efivars[512], lock[512];
	snprintf(modules, sizeof modules, "%s/modules", scratch);
	snprintf(machine_id, sizeof machine_id, "%s/machine-id", scratch);
	snprintf(entry_token, sizeof entry_token, "%s/entry-token", scratch);
	snprintf(efivars, sizeof efivars, "%s/efi/efivars", scratch);
	snprintf(lock, sizeof lock, "%s/lock", scratch);
	paths = (struct paths){ .mountinfo = mountinfo, .fstab = "/nonexistent", .efivars = efivars,
				.modules = modules, .machine_id = machine_id,
				.entry_token = entry_token, .lock = lock };
	scratch_mkdir("boot");
	scratch_mkdir("modules");
	scratch_mkdir("modules/" K1);
	scratch_mkdir("modules/" K2);
	put("machine-id", TOKEN "\n", 1600000000);
	return 0;
}

static const struct survey_esp *esp_of(const struct survey *s, char l)
{
	for (size_t i = 0; i < s->set.n; i++)
		if (s->esps[i].esp->letter == l)
			return &s->esps[i];
	fail_msg("no ESP %c", l);
	return NULL;
}

/* Every state a target can be in, decided in one examination. */
static void test_every_state(void **state)
{
	(void)state;
	for (const char *l = "abcef"; *l; l++)
		esp(*l);
	kernel('a', K1);
	kernel('a', K2);
	kernel('b', K1); /* b: the same files, the same times */
	kernel('b', K2);
	kernel('c', K1); /* c: lacks K2 */
	kernel('e', KNEWER); /* e: updated while away */
	scratch_mkdir("boot@d"); /* d: a mountpoint with nothing on it */
	mount_table("abcef", "a"); /* f: the same filesystem as a */

	struct survey s;
	char root[512];
	snprintf(root, sizeof root, "%s/boot", scratch);
	int r = survey_prepare(&s, &paths, root, SURVEY_TO_SYNC, 0);
	if (r < 0)
		fail_msg("%s", s.problems[s.nproblems - 1].text);
	assert_string_equal(s.token, TOKEN);
	assert_string_equal(s.newest, K2);
	assert_ptr_equal(s.source, esp_of(&s, 'a'));

	struct survey_lock lock;
	assert_int_equal(survey_lock(&s, 0, &lock), 0);
	assert_int_equal(survey_examine(&s, &lock), 0);
	assert_ptr_equal(s.examined_under, &lock);

	assert_int_equal(esp_of(&s, 'a')->state, SURVEY_SOURCE);
	assert_int_equal(esp_of(&s, 'b')->state, SURVEY_IN_STEP);
	assert_int_equal(esp_of(&s, 'b')->plan.n, 0);
	const struct survey_esp *c = esp_of(&s, 'c');
	assert_int_equal(c->state, SURVEY_DIFFERS);
	assert_int_equal(c->plan.n, 4); /* mkdir, 2 copies, the entry */
	assert_int_equal(c->kernels.n, 1);
	assert_true(c->space_known);
	const struct survey_esp *d = esp_of(&s, 'd');
	assert_int_equal(d->state, SURVEY_NOT_MOUNTED);
	const struct survey_esp *e = esp_of(&s, 'e');
	assert_int_equal(e->state, SURVEY_REFUSED);
	assert_non_null(strstr(e->reason.text, "it holds kernel " KNEWER ", newer than " K2));
	assert_int_equal(e->plan.n, 0);
	const struct survey_esp *f = esp_of(&s, 'f');
	assert_int_equal(f->state, SURVEY_REFUSED);
	assert_non_null(strstr(f->reason.text, "the same filesystem as the source"));

	/* A second sync cannot take the lock while it is held. */
	struct survey_lock other;
	assert_true(survey_lock(&s, 0, &other) < 0);
	survey_unlock(&lock);
	survey_free(&s);
}

/* A sync stops at the first precondition that fails, with its reason;
 * status records them all and goes on. */
static void test_preconditions(void **state)
{
	(void)state;
	esp('a');
	esp('b');
	kernel('a', K2);
	mount_table("ab", NULL); /* the root is not bound */
	put("machine-id", "uninitialized\n", 1600000000);
	char root[512];
	snprintf(root, sizeof root, "%s/boot", scratch);

	struct survey s;
	assert_true(survey_prepare(&s, &paths, root, SURVEY_TO_SYNC, 0) < 0);
	assert_int_equal(s.nproblems, 1);
	assert_non_null(strstr(s.problems[0].text, "is not a mountpoint: run 'bootsync bind' first"));
	survey_free(&s);

	assert_int_equal(survey_prepare(&s, &paths, root, SURVEY_TO_SHOW, 0), 0);
	assert_int_equal(s.nproblems, 2);
	assert_non_null(strstr(s.problems[1].text, "machine-id: \"uninitialized\""));
	assert_null(s.source);
	assert_false(s.have_token);
	assert_int_equal(survey_examine(&s, NULL), -EINVAL); /* nothing to examine */
	survey_describe(&s); /* never fails */
	assert_false(s.booted_known);
	assert_non_null(strstr(s.booted_why.text, "not booted through UEFI"));
	survey_free(&s);

	/* Bound, a good machine id, but the newest kernel is not on the
	 * source: examined, and refused as a precondition. */
	mount_table("ab", "a");
	put("machine-id", TOKEN "\n", 1600000000);
	char away[600];
	snprintf(away, sizeof away, "%s.away", paths.modules);
	assert_int_equal(rename(paths.modules, away), 0); /* not a crash: a reason */
	assert_true(survey_prepare(&s, &paths, root, SURVEY_TO_SYNC, 0) < 0);
	assert_non_null(strstr(s.problems[0].text, "/modules: does not exist"));
	survey_free(&s);
	scratch_mkdir("modules");
	scratch_mkdir("modules/" KNEWER);
	assert_int_equal(survey_prepare(&s, &paths, root, SURVEY_TO_SYNC, 0), 0);
	assert_int_equal(survey_examine(&s, NULL), -ENOENT);
	assert_non_null(strstr(s.problems[s.nproblems - 1].text,
			       "kernel " KNEWER ", the newest in "));
	survey_free(&s);
}

/* status's view: bootable, kernels and space of every mounted ESP, also
 * of one that could not be examined. */
static void test_describe(void **state)
{
	(void)state;
	esp('a');
	esp('b');
	kernel('a', K2);
	kernel('a', K1);
	kernel('b', K2);
	char rel[256];
	snprintf(rel, sizeof rel, "boot@b/" TOKEN "/%s/initrd", K2);
	char *p = scratch_path(scratch, rel);
	assert_int_equal(unlink(p), 0);
	free(p);
	mount_table("ab", "a");
	char root[512];
	snprintf(root, sizeof root, "%s/boot", scratch);
	struct survey s;
	assert_int_equal(survey_prepare(&s, &paths, root, SURVEY_TO_SHOW, 0), 0);
	assert_int_equal(survey_examine(&s, NULL), 0);
	assert_null(s.examined_under);
	survey_describe(&s);
	const struct survey_esp *a = esp_of(&s, 'a'), *b = esp_of(&s, 'b');
	assert_int_equal(a->bootable, 1);
	assert_int_equal(b->bootable, 0);
	assert_non_null(strstr(b->bootable_why.text, "names missing /" TOKEN "/" K2 "/initrd"));
	assert_int_equal(b->state, SURVEY_DIFFERS);
	assert_int_equal(survey_in_step(b), 0);
	assert_int_equal(survey_in_step(a), 1);
	assert_true(a->space_known && b->space_known);
	survey_free(&s);
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_state, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_preconditions, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_describe, setup, scratch_teardown),
	};
	return cmocka_run_group_tests_name("survey", tests, NULL, NULL);
}
