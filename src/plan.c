/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* plan: source tree + target tree -> the ordered operations of one sync.
 *
 * Pure: reads two struct tree, writes nothing but memory. The order of the
 * steps (see plan.h) is what keeps every ESP bootable while the plan is
 * applied one operation at a time and may stop after any of them: an entry
 * only ever names files that are already there, and a file is only removed
 * once no entry names it. */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "fileio.h"
#include "layout.h"

/* The steps of plan.h, in apply order. */
enum step {
	STEP_DELETE_TEMP,
	STEP_MKDIR,
	STEP_COPY_PAYLOAD,
	STEP_COPY_ENTRY,
	STEP_DELETE_ENTRY,
	STEP_DELETE_PAYLOAD,
	STEP_RMDIR,
	_STEP_MAX,
};

struct bucket {
	struct plan_op *ops;
	size_t n, cap;
};

/* The entries of a tree sorted by layout's case rule: vfat ignores case,
 * so "EFI/Linux/x.efi" on the source and "efi/Linux/x.efi" on the target
 * are one file. Without this, the plan would copy the file (landing on the
 * target's one) and then delete the target's name: the file just copied. */
struct fold_index {
	const struct tree_entry **e;
	size_t n;
};

struct ctx {
	const struct tree *source, *target;
	struct fold_index source_fold, target_fold;
	const char *target_name;
	struct reason *why;
	struct bucket b[_STEP_MAX];
};

/* Two seconds: vfat's mtime granularity. */
#define MTIME_SLACK_NS 2000000000LL

/* True when sizes match, the mtimes are less than 2 s apart, and kept
 * contents (entries) are equal. */
bool plan_file_unchanged(const struct tree_entry *src, const struct tree_entry *dst)
{
	if (src->size != dst->size)
		return false;
	if ((src->content != NULL) != (dst->content != NULL) ||
	    (src->content && memcmp(src->content, dst->content, src->size) != 0))
		return false;
	/* Seconds first, so that no arithmetic can overflow on absurd
	 * timestamps. */
	long long ds;
	if (__builtin_sub_overflow((long long)src->mtime.tv_sec, (long long)dst->mtime.tv_sec, &ds) ||
	    ds > 3 || ds < -3)
		return false;
	long long dns = ds * 1000000000LL + ((long long)src->mtime.tv_nsec - (long long)dst->mtime.tv_nsec);
	return dns > -MTIME_SLACK_NS && dns < MTIME_SLACK_NS;
}

const char *plan_op_name(enum plan_op_kind kind)
{
	switch (kind) {
	case PLAN_DELETE_TEMP:
		return "delete-temp";
	case PLAN_MKDIR:
		return "mkdir";
	case PLAN_COPY:
		return "copy";
	case PLAN_REPLACE:
		return "replace";
	case PLAN_DELETE:
		return "delete";
	case PLAN_RMDIR:
		return "rmdir";
	case PLAN_UPDATE_LOADER:
		return "update-loader";
	}
	return "unknown";
}

/* Append an op for the first len bytes of path (copied: the plan owns its
 * paths). Returns 0 or -ENOMEM. */
static int bucket_push(struct bucket *b, enum plan_op_kind kind, const char *path, size_t len,
		       const struct tree_entry *src)
{
	if (ARRAY_GROW(b->ops, b->n, b->cap) < 0)
		return -ENOMEM;
	char *p = strndup(path, len);
	if (!p)
		return -ENOMEM;
	b->ops[b->n++] = (struct plan_op){
		.kind = kind,
		.path = p,
		.size = src ? src->size : 0,
		.mtime = src ? src->mtime : (struct timespec){ 0 },
	};
	return 0;
}

static void bucket_free(struct bucket *b)
{
	for (size_t i = 0; i < b->n; i++)
		free((char *)b->ops[i].path);
	free(b->ops);
	*b = (struct bucket){ 0 };
}

static int op_cmp(const void *a, const void *b)
{
	return strcmp(((const struct plan_op *)a)->path, ((const struct plan_op *)b)->path);
}

static int op_cmp_reverse(const void *a, const void *b)
{
	return op_cmp(b, a);
}

static int fold_cmp(const void *a, const void *b)
{
	return layout_name_cmp((*(const struct tree_entry *const *)a)->path,
			       (*(const struct tree_entry *const *)b)->path);
}

/* Returns 0 or -ENOMEM. */
static int fold_index_build(const struct tree *t, struct fold_index *fi)
{
	*fi = (struct fold_index){ 0 };
	if (t->n == 0)
		return 0;
	fi->e = malloc(t->n * sizeof *fi->e);
	if (!fi->e)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		fi->e[i] = &t->entries[i];
	fi->n = t->n;
	qsort(fi->e, fi->n, sizeof *fi->e, fold_cmp);
	return 0;
}

/* The entry of t at path: the exact name, else one equal but for case
 * (vfat would find it under either name). NULL if none. */
static const struct tree_entry *counterpart(const struct tree *t, const struct fold_index *fi,
					    const char *path)
{
	const struct tree_entry *e = tree_find(t, path);
	size_t lo = 0, hi = fi->n;

	while (!e && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = layout_name_cmp(fi->e[mid]->path, path);
		if (c == 0)
			e = fi->e[mid];
		else if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return e;
}

/* Does the tree indexed by fi hold anything below directory dir (the first
 * dlen bytes of a path), in any case? In the case rule's order, all paths
 * starting with "dir/" are adjacent, right after those sorting before it. */
static bool tree_has_below(const struct fold_index *fi, const char *dir, size_t dlen)
{
	size_t lo = 0, hi = fi->n;

	/* Lower bound of "dir/": the first entry not sorting before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *p = fi->e[mid]->path;
		int c = layout_name_ncmp(p, dir, dlen);
		if (c == 0)
			c = layout_name_ncmp(p + dlen, "/", 1);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fi->n && layout_name_ncmp(fi->e[lo]->path, dir, dlen) == 0 &&
	       fi->e[lo]->path[dlen] == '/';
}

/* A type conflict, in words. Returns -EEXIST. */
static int conflict(struct ctx *c, const char *path, bool file_on_source)
{
	reason_set(c->why, "%s is a %s on the source but a %s on the target", path,
		   file_on_source ? "file" : "directory", file_on_source ? "directory" : "file");
	return -EEXIST;
}

/* The directory dir (first dlen bytes of a source path) must exist on the
 * target before anything goes into it. Managed directories are planned
 * from their own source entry; here are the others (loader/entries,
 * EFI/Linux), which the target tree does not list: the target has one if
 * it lists anything below it. Otherwise plan a mkdir, which apply must
 * accept when the directory is in fact there: a target without any managed
 * entry still has its loader/entries. Returns 0 or a negative errno. */
static int need_dir(struct ctx *c, const char *path, size_t dlen)
{
	_cleanup_free_ char *dir = strndup(path, dlen);
	if (!dir)
		return -ENOMEM;

	const struct tree_entry *s = counterpart(c->source, &c->source_fold, dir);
	if (s && s->kind == TREE_DIR)
		return 0; /* planned from its own entry */
	if (s && s->kind == TREE_FILE) {
		reason_set(c->why, "the source lists %s both as a file and as a directory", dir);
		return -EINVAL;
	}

	const struct tree_entry *t = counterpart(c->target, &c->target_fold, dir);
	if (t)
		return t->kind == TREE_DIR || t->kind == TREE_OTHER_DIR
			       ? 0
			       : conflict(c, dir, false);
	if (tree_is_blocker(c->target, dir))
		return conflict(c, dir, false);
	if (tree_has_below(&c->target_fold, dir, dlen))
		return 0;
	return bucket_push(&c->b[STEP_MKDIR], PLAN_MKDIR, dir, dlen, NULL);
}

/* Plan what one source entry needs on the target. Returns 0 or a negative
 * errno (-EEXIST for a type conflict, with the reason). */
static int plan_source_entry(struct ctx *c, const struct tree_entry *s)
{
	/* Parents first: every directory the entry sits in. */
	for (const char *slash = strchr(s->path, '/'); slash; slash = strchr(slash + 1, '/')) {
		int r = need_dir(c, s->path, (size_t)(slash - s->path));
		if (r < 0)
			return r;
	}

	const struct tree_entry *t = counterpart(c->target, &c->target_fold, s->path);
	size_t len = strlen(s->path);
	struct bucket *b = c->b;

	if (s->kind == TREE_DIR) {
		if (!t)
			return bucket_push(&b[STEP_MKDIR], PLAN_MKDIR, s->path, len, NULL);
		if (t->kind == TREE_DIR)
			return 0;
		return conflict(c, s->path, false);
	}

	/* A file. A stale temp of the same name is deleted in step 1, so the
	 * file is then simply missing. */
	enum step step = layout_is_entry(s->path) ? STEP_COPY_ENTRY : STEP_COPY_PAYLOAD;
	if (!t || t->kind == TREE_STALE_TEMP)
		return bucket_push(&b[step], PLAN_COPY, s->path, len, s);
	if (t->kind != TREE_FILE)
		return conflict(c, s->path, true);
	if (plan_file_unchanged(s, t))
		return 0;
	return bucket_push(&b[step], PLAN_REPLACE, s->path, len, s);
}

/* Plan what one target entry needs when the source lacks it. Returns 0
 * or -ENOMEM. */
static int plan_target_entry(struct ctx *c, const struct tree_entry *t)
{
	size_t len = strlen(t->path);
	struct bucket *b = c->b;

	if (t->kind == TREE_STALE_TEMP)
		return bucket_push(&b[STEP_DELETE_TEMP], PLAN_DELETE_TEMP, t->path, len, NULL);
	/* What stands on the way to ours (loader/entries) is never ours to remove. */
	if (t->kind == TREE_OTHER_DIR || t->kind == TREE_OTHER_FILE)
		return 0;

	/* Temp files on the source are not content: as if absent. Type
	 * conflicts were refused while walking the source. */
	const struct tree_entry *s = counterpart(c->source, &c->source_fold, t->path);
	if (s && s->kind != TREE_STALE_TEMP)
		return 0;
	if (t->kind == TREE_DIR)
		return bucket_push(&b[STEP_RMDIR], PLAN_RMDIR, t->path, len, NULL);
	return bucket_push(&b[layout_is_entry(t->path) ? STEP_DELETE_ENTRY : STEP_DELETE_PAYLOAD],
			   PLAN_DELETE, t->path, len, NULL);
}

/* Saturating: a sum that overflows is more than any disk holds anyway. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Returns 0 or a negative errno with why set: -EEXIST for a type conflict,
 * -ENOMEM. */
int plan_build(const struct tree *source, const struct tree *target, const char *target_name,
	       struct plan *out, struct reason *why)
{
	struct ctx c = { .source = source, .target = target, .target_name = target_name, .why = why };
	struct bucket *b = c.b;
	struct plan p = { 0 };
	int r;

	*out = p;
	r = fold_index_build(source, &c.source_fold);
	if (r >= 0)
		r = fold_index_build(target, &c.target_fold);
	for (size_t i = 0; i < source->n && r >= 0; i++)
		if (source->entries[i].kind == TREE_FILE || source->entries[i].kind == TREE_DIR)
			r = plan_source_entry(&c, &source->entries[i]);
	for (size_t i = 0; i < target->n && r >= 0; i++)
		r = plan_target_entry(&c, &target->entries[i]);
	free(c.source_fold.e);
	free(c.target_fold.e);
	if (r < 0)
		goto fail;

	/* Order within each step. Parents sort before their children, so
	 * strcmp order creates parents first; rmdir goes the other way. The
	 * same directory may have been asked for by several children. */
	for (enum step s = 0; s < _STEP_MAX; s++)
		if (b[s].n > 1)
			qsort(b[s].ops, b[s].n, sizeof *b[s].ops, s == STEP_RMDIR ? op_cmp_reverse : op_cmp);
	size_t k = 0;
	for (size_t i = 0; i < b[STEP_MKDIR].n; i++) {
		if (k > 0 && strcmp(b[STEP_MKDIR].ops[k - 1].path, b[STEP_MKDIR].ops[i].path) == 0)
			free((char *)b[STEP_MKDIR].ops[i].path);
		else
			b[STEP_MKDIR].ops[k++] = b[STEP_MKDIR].ops[i];
	}
	b[STEP_MKDIR].n = k;

	size_t total = 0;
	for (enum step s = 0; s < _STEP_MAX; s++)
		total += b[s].n;
	if (total > 0) {
		p.ops = malloc(total * sizeof *p.ops);
		if (!p.ops) {
			r = -ENOMEM;
			goto fail;
		}
	}
	for (enum step s = 0; s < _STEP_MAX; s++) {
		for (size_t i = 0; i < b[s].n; i++) {
			struct plan_op *op = &b[s].ops[i];
			if (plan_op_copies(op->kind))
				p.bytes_to_copy = add_sat(p.bytes_to_copy, op->size);
			p.ops[p.n++] = *op;
		}
		/* The paths moved into p: free only the arrays. */
		free(b[s].ops);
		b[s] = (struct bucket){ 0 };
	}
	*out = p;
	return 0;

fail:
	if (r == -ENOMEM)
		reason_set(why, "out of memory while planning the sync of %s", target_name);
	for (enum step s = 0; s < _STEP_MAX; s++)
		bucket_free(&b[s]);
	return r;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free((char *)p->ops[i].path);
		free((char *)p->ops[i].from);
	}
	free(p->ops);
	*p = (struct plan){ 0 };
}

bool plan_op_copies(enum plan_op_kind kind)
{
	return kind == PLAN_COPY || kind == PLAN_REPLACE || kind == PLAN_UPDATE_LOADER;
}

/* Insert op at index at. Returns 0 or -ENOMEM (op's strings then freed). */
static int plan_insert(struct plan *p, size_t at, struct plan_op op)
{
	struct plan_op *n = reallocarray(p->ops, p->n + 1, sizeof *n);
	if (!n) {
		free((char *)op.path);
		free((char *)op.from);
		return -ENOMEM;
	}
	p->ops = n;
	memmove(&p->ops[at + 1], &p->ops[at], (p->n - at) * sizeof *p->ops);
	p->ops[at] = op;
	p->n++;
	return 0;
}

/* Returns 0 or -ENOMEM. */
int plan_add_loader(struct plan *p, const char *path, const char *from, uint64_t size,
		    struct timespec mtime)
{
	struct plan_op op = { .kind = PLAN_UPDATE_LOADER, .path = strdup(path),
			      .from = from ? strdup(from) : NULL, .size = size, .mtime = mtime };
	if (!op.path || (from && !op.from)) {
		free((char *)op.path);
		free((char *)op.from);
		return -ENOMEM;
	}
	p->bytes_to_copy = add_sat(p->bytes_to_copy, size);
	return plan_insert(p, p->n, op);
}

/* Returns 0 or -ENOMEM. */
int plan_add_mkdir(struct plan *p, const char *path)
{
	size_t at = 0;
	while (at < p->n && p->ops[at].kind == PLAN_DELETE_TEMP)
		at++;
	for (; at < p->n && p->ops[at].kind == PLAN_MKDIR; at++)
		if (strcmp(p->ops[at].path, path) == 0)
			return 0;
	struct plan_op op = { .kind = PLAN_MKDIR, .path = strdup(path) };
	if (!op.path)
		return -ENOMEM;
	return plan_insert(p, at, op);
}

uint64_t plan_space_needed(const struct plan *p, uint64_t block_size)
{
	uint64_t need = 0;

	if (block_size == 0)
		block_size = 1;
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_op *op = &p->ops[i];
		if (plan_op_copies(op->kind)) {
			uint64_t blocks = op->size / block_size + (op->size % block_size != 0);
			need = blocks > UINT64_MAX / block_size ? UINT64_MAX
								: add_sat(need, blocks * block_size);
		} else if (op->kind == PLAN_MKDIR)
			need = add_sat(need, block_size);
	}
	return need;
}
