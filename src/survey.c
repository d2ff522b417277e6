/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey: gather and decide; see survey.h. */
#include "survey_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bootcheck.h"
#include "fileio.h"
#include "layout.h"
#include "lock.h"
#include "log.h"

/* Record a failed precondition. Returns -err (err > 0). */
static int problem(struct survey *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int problem(struct survey *s, int err, const char *fmt, ...)
{
	struct reason *r = &s->problems[s->nproblems < SURVEY_MAX_PROBLEMS ? s->nproblems++
									    : SURVEY_MAX_PROBLEMS - 1];
	va_list ap;
	va_start(ap, fmt);
	char text[REASON_MAX * 2];
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	reason_set(r, "%s", text);
	log_debug("precondition failed: %s", r->text);
	return -err;
}

static void open_mounted(struct survey *s)
{
	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		e->esp = &s->set.esps[i];
		if (!e->esp->mounted) {
			e->state = SURVEY_NOT_MOUNTED;
			reason_set(&e->reason, "not mounted");
			continue;
		}
		e->rootfd = fileio_open_dir(AT_FDCWD, e->esp->path);
		if (e->rootfd < 0) {
			/* One unreadable ESP must not stop the others from syncing. */
			e->state = SURVEY_REFUSED;
			reason_set(&e->reason, "it cannot be opened: %s", fileio_error_words(e->rootfd));
			e->rootfd = -1;
		}
	}
}

/* The ESP root is a bind of exactly one open ESP. Returns 0, or a negative
 * errno with the reason recorded (so are the three below). */
static int find_source(struct survey *s)
{
	struct reason why;
	const struct esp *src = esp_source(&s->set, &why);
	if (!src)
		return problem(s, ENOENT, "%s", why.text);
	for (size_t i = 0; i < s->set.n; i++)
		if (s->esps[i].esp == src)
			s->source = &s->esps[i];
	if (s->source->rootfd < 0) {
		int r = problem(s, EIO, "source %s: %s", src->path, s->source->reason.text);
		s->source = NULL;
		return r;
	}
	s->source->state = SURVEY_SOURCE;
	reason_clear(&s->source->reason);
	return 0;
}

static int read_token(struct survey *s)
{
	struct reason why;
	int r = token_read(s->paths->entry_token, s->paths->machine_id, s->token, &why);
	if (r < 0)
		return problem(s, -r, "%s", why.text);
	s->have_token = true;
	return 0;
}

static int read_modules(struct survey *s)
{
	struct reason why;
	int r = version_list_modules(s->paths->modules, &s->modules, &why);
	if (r < 0)
		return problem(s, -r, "%s", why.text);
	s->newest = version_list_newest(&s->modules);
	if (!s->newest)
		return problem(s, ENOENT,
			       "%s holds no kernel version: nothing tells which kernel must be on the "
			       "ESPs",
			       s->paths->modules);
	return 0;
}

static int check_loader_dir(struct survey *s)
{
	if (fileio_is_dir(s->source->rootfd, "loader") != 1)
		return problem(s, ENOENT, "%s has no loader/ directory: is it an ESP with systemd-boot?",
			       s->set.root);
	return 0;
}

/* Returns 0, or a negative errno with the reason last in s->problems. */
int survey_prepare(struct survey *s, const struct paths *paths, const char *esp_root,
		   enum survey_purpose purpose, unsigned flags)
{
	memset(s, 0, sizeof *s);
	s->paths = paths;
	s->purpose = purpose;
	s->flags = flags;
	for (size_t i = 0; i < ESP_MAX; i++) {
		s->esps[i].rootfd = -1;
		s->esps[i].bootable = -1;
	}
	struct reason why;
	/* The partition tables are read (libblkid) for status, and for the
	 * firmware entries a sync makes: on a machine without EFI variables
	 * there are none to make, and a no-op sync reads only the trees. */
	bool variables = (flags & SURVEY_VARIABLES) && fileio_is_dir(AT_FDCWD, paths->efivars) == 1;
	bool probe = purpose == SURVEY_TO_SHOW || variables;
	int r = esp_discover(paths->mountinfo, esp_root, probe, &s->set, &why);
	if (r < 0)
		return problem(s, -r, "%s", why.text);
	open_mounted(s);

	/* Each check in the order a user would fix them; a sync stops at the
	 * first that fails, status records them all and shows what it can. */
	static int (*const checks[])(struct survey *) = { find_source, read_token, read_modules };
	bool sync = purpose == SURVEY_TO_SYNC;
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		r = checks[i](s);
		if (r < 0 && sync)
			return r;
	}
	return sync ? check_loader_dir(s) : 0;
}

/* Returns 0 with the lock held, or a negative errno (logged by lock.c). */
int survey_lock(const struct survey *s, unsigned timeout_s, struct survey_lock *lock)
{
	lock->fd = lock_acquire(s->paths->lock, timeout_s);
	return lock->fd < 0 ? lock->fd : 0;
}

void survey_unlock(struct survey_lock *lock)
{
	if (lock->fd >= 0)
		close(lock->fd);
	lock->fd = -1;
}

/* Scan one ESP's tree and read its kernels from it. Returns 0 or a
 * negative errno with why set. */
static int scan(struct survey *s, struct survey_esp *e, struct reason *why)
{
	if (e->scanned)
		return 0;
	int r = tree_scan(e->rootfd, e->esp->path, s->token, &e->tree, why);
	if (r < 0)
		return r;
	r = tree_kernels(&e->tree, s->token, &e->kernels);
	if (r == -E2BIG) {
		reason_set(why, "it holds more than %d kernel versions", VERSION_MAX_LIST);
		return r;
	}
	if (r < 0) {
		reason_set(why, "out of memory while listing its kernels");
		return r;
	}
	e->scanned = true;
	return 0;
}

/* Free space of a mounted ESP. Returns 0 or a negative errno. */
static int read_space(struct survey_esp *e)
{
	struct statvfs sv;
	if (fstatvfs(e->rootfd, &sv) < 0)
		return -errno;
	e->block_size = sv.f_bsize ? sv.f_bsize : 4096;
	e->free_bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
	e->size_bytes = (uint64_t)sv.f_blocks * sv.f_frsize;
	e->space_known = true;
	return 0;
}

/* A file an entry names, by the case rule; the source trees are small. */
static bool tree_has_file(const struct tree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->entries[i].kind == TREE_FILE && layout_name_equal(t->entries[i].path, path))
			return true;
	return false;
}

struct named_check {
	const struct survey *s;
	const struct survey_esp *target;
	const char *entry;
	struct reason *why;
};

/* Will the file an entry names be on the target once the plan is done? */
static int check_named(const char *path, bool kernel, void *ctx)
{
	(void)kernel;
	struct named_check *c = ctx;
	if (layout_classify(path, false, c->s->token) == LAYOUT_MANAGED) {
		if (strstr(path, "..") == NULL && tree_has_file(&c->s->source->tree, path))
			return 0;
		reason_set(c->why, "entry %s names /%s, which the source does not hold", c->entry, path);
		return 1;
	}
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(c->target->rootfd, path, &base);
	if (strstr(path, "..") == NULL && dfd >= 0 && fileio_exists(dfd, base) == 1)
		return 0;
	reason_set(c->why,
		   "entry %s names /%s, which is not among the files bootsync keeps in step "
		   "(those named after the entry token) and is not on this ESP",
		   c->entry, path);
	return 1;
}

/* Once the plan is done, every file the source's entries name must be on
 * the target: copied (managed) or already there. Returns true when so,
 * else false with why naming the first entry that would not boot. */
static bool entries_complete(const struct survey *s, const struct survey_esp *e,
			     struct reason *why)
{
	const struct tree *t = &s->source->tree;
	for (size_t i = 0; i < t->n; i++) {
		const struct tree_entry *en = &t->entries[i];
		if (en->kind != TREE_FILE || !en->content || !layout_is_type1_entry(en->path))
			continue;
		struct named_check c = { .s = s, .target = e, .entry = en->path, .why = why };
		if (layout_entry_files(en->content, check_named, &c) != 0)
			return false;
	}
	return true;
}

/* Decide one target's state; a target that cannot be read is refused with
 * the reason, never an error of the whole survey. */
static void examine_target(struct survey *s, struct survey_esp *e)
{
	if (e->state == SURVEY_NOT_MOUNTED || e->rootfd < 0 || e == s->source)
		return;
	e->state = SURVEY_REFUSED;
	if (e->esp->devno == s->source->esp->devno) {
		reason_set(&e->reason, "it is the same filesystem as the source %s",
			   s->source->esp->path);
		return;
	}
	if (scan(s, e, &e->reason) < 0)
		return;
	/* A target newer than this system's kernels was updated while we were
	 * away: overwriting it would roll it back. */
	const char *newest = version_list_newest(&e->kernels);
	if (newest && version_compare(newest, s->newest) > 0) {
		reason_set(&e->reason, "it holds kernel %s, newer than %s, the newest in %s", newest,
			   s->newest, s->paths->modules);
		return;
	}
	if (plan_build(&s->source->tree, &e->tree, e->esp->path, &e->plan, &e->reason) < 0)
		return;
	if (survey_plan_loaders(s, e) < 0) {
		reason_set(&e->reason, "out of memory while planning its boot loader");
		return;
	}
	struct reason unmet;
	bool complete = entries_complete(s, e, &unmet);
	if (e->plan.n == 0) {
		e->state = complete ? SURVEY_IN_STEP : SURVEY_INCOMPLETE;
		e->reason = complete ? (struct reason){ 0 } : unmet;
		return;
	}
	int r = read_space(e);
	if (r < 0) {
		reason_set(&e->reason, "its free space cannot be read: %s", fileio_error_words(r));
		return;
	}
	uint64_t need = plan_space_needed(&e->plan, e->block_size);
	if (need > e->free_bytes) {
		e->state = SURVEY_TOO_SMALL;
		reason_set(&e->reason,
			   "not enough space: the sync needs %" PRIu64 " bytes, %" PRIu64
			   " bytes are free",
			   need, e->free_bytes);
		return;
	}
	e->state = complete ? SURVEY_DIFFERS : SURVEY_INCOMPLETE;
	e->reason = complete ? (struct reason){ 0 } : unmet;
}

/* Returns 0, -ENOENT (a precondition of the source) or -EIO (the source
 * cannot be read), the reason last in s->problems; -EINVAL when
 * survey_prepare did not succeed. */
int survey_examine(struct survey *s, const struct survey_lock *lock)
{
	if (!s->source || !s->have_token || !s->newest)
		return -EINVAL; /* survey_prepare did not succeed: nothing to examine */
	struct reason why;
	if (scan(s, s->source, &why) < 0) {
		problem(s, EIO, "source %s: %s", s->source->esp->path, why.text);
		return -EIO;
	}
	if (s->purpose == SURVEY_TO_SYNC && !version_list_has(&s->source->kernels, s->newest))
		return problem(s, ENOENT,
			       "kernel %s, the newest in %s, is not installed on %s (no %s/%s/%s/): "
			       "refusing to mirror an ESP that lacks it",
			       s->newest, s->paths->modules, s->set.root, s->set.root, s->token,
			       s->newest);
	/* The systemd-boot every target is brought up to: the source's own
	 * path, else its removable-media copy when that is systemd-boot. */
	const struct layout_loader *ld = layout_native_loader();
	survey_read_loaders(s->source, NULL);
	if (s->source->loader_sd.sdboot) {
		s->loader = &s->source->loader_sd;
		s->loader_from = ld->sdboot;
	} else if (s->source->loader_fb.sdboot) {
		s->loader = &s->source->loader_fb;
		s->loader_from = ld->fallback;
	}
	for (size_t i = 0; i < s->set.n; i++)
		examine_target(s, &s->esps[i]);
	if (s->flags & SURVEY_VARIABLES)
		survey_decide_entries(s);
	s->examined = true;
	s->examined_under = lock;
	return 0;
}

void survey_describe(struct survey *s)
{
	survey_check_fstab(s);
	/* Status must not wait: if the firmware variables are not there now,
	 * they are not going to tell us anything. */
	survey_read_firmware(s);
	const char *efi_path = layout_native_loader()->efi_path;

	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		const char *pu = e->esp->partuuid;
		e->booted = s->booted_known && guid_equal(pu, s->booted.partuuid);
		if (!e->firmware_entry && pu[0])
			e->firmware_entry = bootentry_for_partition(&s->entries, pu, efi_path);
		if (e->rootfd < 0)
			continue;
		if (s->have_token) {
			struct reason why;
			if (scan(s, e, &why) < 0) {
				e->bootable = 0;
				e->bootable_why = why;
			} else {
				e->bootable = bootcheck_esp(e->rootfd, &e->tree, &e->bootable_why);
				if (e->bootable < 0)
					e->bootable = 0;
			}
		}
		if (!e->space_known)
			(void)read_space(e);
		if (!e->loader_known && reason_empty(&e->loader_note))
			survey_read_loaders(e, s->loader);
	}
	survey_check_efivars(s);
}

void survey_free(struct survey *s)
{
	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		if (e->rootfd >= 0)
			close(e->rootfd);
		version_list_free(&e->kernels);
		plan_free(&e->plan);
		tree_free(&e->tree);
	}
	version_list_free(&s->modules);
	bootentry_list_free(&s->entries);
	esp_set_free(&s->set);
}

const char *survey_state_name(enum survey_state st)
{
	switch (st) {
	case SURVEY_SOURCE: return "source";
	case SURVEY_NOT_MOUNTED: return "not-mounted";
	case SURVEY_REFUSED: return "refused";
	case SURVEY_TOO_SMALL: return "too-small";
	case SURVEY_IN_STEP: return "in-step";
	case SURVEY_DIFFERS: return "differs";
	case SURVEY_INCOMPLETE: return "incomplete";
	default: return "unknown";
	}
}

int survey_in_step(const struct survey_esp *e)
{
	switch (e->state) {
	case SURVEY_SOURCE:
	case SURVEY_IN_STEP:
		return 1;
	case SURVEY_NOT_MOUNTED:
	case SURVEY_REFUSED:
	case SURVEY_TOO_SMALL:
	case SURVEY_DIFFERS:
	case SURVEY_INCOMPLETE:
		return 0;
	default:
		return -1;
	}
}
