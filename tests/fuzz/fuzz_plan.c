/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz_plan: the planner against a model of two vfat ESPs.
 *
 * The input builds two in-memory filesystems, the source and the target,
 * out of paths over a small alphabet made to exercise the case rule
 * ("loader", "Loader", the token and the token in upper case, "x.conf"
 * and "X.CONF", ...), with files (size, mtime, and for *.conf a content
 * that names other paths) and directories; on the target also the
 * boot loader and other systems' files. Each filesystem is scanned the
 * way tree.c scans a real one (model_scan: the same layout_classify
 * calls, kinds and sort), plan_build plans, and the plan is applied step
 * by step to the target model.
 *
 * The model is vfat's (see README.md): a name is looked up ignoring ASCII
 * case, so a directory never holds two names equal but for case; a new
 * file or directory takes the spelling it is created with; a rename onto
 * an existing name (apply's temp-file-then-rename) keeps the existing
 * name's spelling (vfat reuses the directory slot), so a REPLACE keeps the
 * target's spelling; MKDIR of an existing directory is done (plan.h), of
 * anything else fails; COPY and REPLACE need the parent directory; COPY
 * expects nothing there, REPLACE a file; DELETE a file, RMDIR an empty
 * directory. There are no symlinks or special files, and no names ending
 * with a dot or a space (vfat cannot hold them).
 *
 * Invariants (any violation: a message on stderr and abort()):
 *  - if plan_build refuses with -EEXIST, the models really hold a type
 *    conflict on the way to a source path: a path that is a file on one
 *    side and a directory on the other, by the case rule; no other error;
 *  - every step succeeds in the model, with the source file's size and
 *    mtime as the plan says;
 *  - nothing copied or made by this plan is deleted, replaced or removed
 *    by a later step of it;
 *  - the target's unmanaged files and directories (everything the scan
 *    does not list as managed or stale temp) keep name, kind, size, mtime
 *    and content after every step;
 *  - if the target booted before the plan (every type 1 entry on it
 *    names files present on it, by the case rule, layout_entry_files
 *    reading the entry) and the source's entries name only files the
 *    target will have, it boots after every step. Another system's entry
 *    that names our files is not ours to keep booting, nor is an entry
 *    naming a file called like a temporary one (in any case);
 *  - at the end the target's managed part equals the source's by the
 *    case rule (same paths and kinds, files unchanged by vfat's 2-second
 *    rule and equal content), no stale temp is left, and a second
 *    plan_build from the resulting target is empty. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "layout.h"
#include "plan.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 48
#define MAX_NODES 400
#define MAX_DEPTH 5
#define T0 1700000000

/* ---- the model of a vfat filesystem ---- */

struct node {
	char name[80];
	bool dir;
	uint64_t size;
	struct timespec mtime;
	char *content; /* *.conf files: their text (size is its length) */
	struct node **kids;
	size_t nkids, cap;
	bool made; /* created or written by the plan being applied */
};

struct fs {
	struct node root;
	size_t nodes;
	const char *label;
};

/* vfat's rule, written here on its own (not layout_name_cmp): ASCII case
 * folded, nothing else. */
static int fold(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static bool fold_eq(const char *a, const char *b)
{
	for (; *a && fold((unsigned char)*a) == fold((unsigned char)*b); a++, b++)
		;
	return fold((unsigned char)*a) == fold((unsigned char)*b);
}

static bool fold_eq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return false;
	return true;
}

static struct node *child(const struct node *d, const char *name, size_t len, bool exact)
{
	for (size_t i = 0; i < d->nkids; i++) {
		struct node *k = d->kids[i];
		if (strlen(k->name) == len &&
		    (exact ? memcmp(k->name, name, len) == 0 : fold_eq_n(k->name, name, len)))
			return k;
	}
	return NULL;
}

static struct node *new_node(struct fs *fs, struct node *parent, const char *name, size_t len,
			     bool dir)
{
	if (len >= sizeof parent->kids[0]->name)
		FUZZ_FAIL("name too long for the model");
	struct node *n = calloc(1, sizeof *n);
	if (!n)
		FUZZ_FAIL("out of memory");
	memcpy(n->name, name, len);
	n->dir = dir;
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap ? 2 * parent->cap : 4;
		parent->kids = realloc(parent->kids, parent->cap * sizeof *parent->kids);
		if (!parent->kids)
			FUZZ_FAIL("out of memory");
	}
	parent->kids[parent->nkids++] = n;
	fs->nodes++;
	return n;
}

static void free_kids(struct node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		free_kids(n->kids[i]);
		free(n->kids[i]->content);
		free(n->kids[i]);
	}
	free(n->kids);
	n->kids = NULL;
	n->nkids = n->cap = 0;
}

static void remove_child(struct node *d, struct node *k)
{
	for (size_t i = 0; i < d->nkids; i++)
		if (d->kids[i] == k) {
			free_kids(k);
			free(k->content);
			free(k);
			d->kids[i] = d->kids[--d->nkids];
			return;
		}
	FUZZ_FAIL("model: removing a node that is not there");
}

/* The directory that holds path ('/'-separated, relative), by the case
 * rule (or exactly), and the last component. NULL with *why set when a
 * component is missing or not a directory. */
static struct node *parent_of(struct fs *fs, const char *path, const char **base, bool exact,
			      const char **why)
{
	struct node *d = &fs->root;
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash) {
			*base = p;
			if (!*p) {
				*why = "empty name";
				return NULL;
			}
			return d;
		}
		struct node *k = child(d, p, (size_t)(slash - p), exact);
		if (!k) {
			*why = "a directory on the way does not exist";
			return NULL;
		}
		if (!k->dir) {
			*why = "a file stands where a directory on the way must be";
			return NULL;
		}
		d = k;
		p = slash + 1;
	}
}

static struct node *lookup(struct fs *fs, const char *path, bool exact)
{
	const char *base, *why;
	struct node *d = parent_of(fs, path, &base, exact, &why);
	return d ? child(d, base, strlen(base), exact) : NULL;
}

/* ---- the scan: tree.c's rules on the model ---- */

struct scan {
	const char *token;
	struct tree *t;
	size_t cap, bcap;
};

static void add(struct scan *s, const char *path, enum tree_kind kind, const struct node *n)
{
	if (s->t->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->t->entries = realloc(s->t->entries, s->cap * sizeof *s->t->entries);
		if (!s->t->entries)
			FUZZ_FAIL("out of memory");
	}
	struct tree_entry *e = &s->t->entries[s->t->n++];
	*e = (struct tree_entry){ .path = strdup(path), .kind = kind,
				  .size = n->dir ? 0 : n->size, .mtime = n->mtime };
	if (!e->path)
		FUZZ_FAIL("out of memory");
}

/* scan_dir of tree.c, on a model directory: the same decision for each
 * entry (tree_decide), so that the model's trees are the ones a scan lists. */
static void scan_dir(struct scan *s, const struct node *d, const char *rel)
{
	for (size_t i = 0; i < d->nkids; i++) {
		const struct node *k = d->kids[i];
		char path[1024];
		snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", k->name);
		struct tree_decision dec =
			tree_decide(path, k->name, k->dir ? TREE_TYPE_DIR : TREE_TYPE_FILE, s->token);
		if (dec.action == TREE_SKIP || dec.action == TREE_SKIP_WARN)
			continue;
		if (dec.action == TREE_BLOCKER) {
			if (tree_add_blocker(s->t, &s->bcap, path) < 0)
				FUZZ_FAIL("out of memory");
			continue;
		}
		if (dec.action != TREE_WALK)
			add(s, path, dec.kind, k);
		if (dec.action == TREE_LIST) {
			if (dec.kind == TREE_FILE && layout_is_type1_entry(path)) {
				struct tree_entry *e = &s->t->entries[s->t->n - 1];
				e->content = strdup(k->content ? k->content : "");
				if (!e->content)
					FUZZ_FAIL("out of memory");
				e->size = strlen(e->content);
			}
			continue;
		}
		scan_dir(s, k, path);
	}
}

static void model_scan(struct fs *fs, const char *token, struct tree *out)
{
	*out = (struct tree){ 0 };
	struct scan s = { .token = token, .t = out };
	scan_dir(&s, &fs->root, "");
	tree_sort(out); /* as tree_scan sorts */
}

/* ---- building the models from the input ---- */

static const char *const KEYS[] = { "linux", "initrd", "efi", "devicetree", "title", "options" };

struct gen {
	struct fuzz_in in;
	const char *token;
	char upper[80];
	struct fs *src, *dst;
};

static const char *component(struct gen *g, uint8_t b, char *buf, size_t n)
{
	static const char *const fixed[] = {
		"a", "A", "b", "loader", "Loader", "entries", "ENTRIES", "EFI", "efi", "Linux",
		"linux", "x.conf", "X.CONF", "k.efi", "6.1", "6.2", "initrd", "systemd", "BOOT",
		"systemd-bootx64.efi", "BOOTX64.EFI", "loader.conf", "random-seed",
		TREE_TEMP_PREFIX "ab12cd34", ".BOOTSYNC-TMP.ab12cd34", "other.conf",
	};
	/* Names made of the token, in its spelling (T) or upper case (U). */
	static const char *const tok[] = { "T", "U", "T-6.1.conf", "U-6.1.CONF", "T-6.2.efi",
					   "foo-T.conf", "T-6.1+3-1.efi", "T-6.2.efi.extra.d",
					   "U-6.2.EFI", "T-x.conf" };
	size_t nf = sizeof fixed / sizeof fixed[0], nt = sizeof tok / sizeof tok[0];
	b %= (uint8_t)(nf + nt);
	if (b < nf)
		return fixed[b];
	const char *pat = tok[b - nf];
	size_t k = 0;
	for (const char *p = pat; *p && k + 1 < n; p++) {
		const char *t = *p == 'T' ? g->token : *p == 'U' ? g->upper : NULL;
		if (t) {
			size_t tl = strlen(t);
			if (k + tl >= n)
				break;
			memcpy(buf + k, t, tl);
			k += tl;
		} else
			buf[k++] = *p;
	}
	buf[k] = '\0';
	return buf;
}

/* A path of 1..MAX_DEPTH components from the input. */
static void gen_path(struct gen *g, char *out, size_t n)
{
	uint8_t d = fuzz_byte(&g->in);
	int depth = d % MAX_DEPTH + 1;
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < depth; i++) {
		char buf[96];
		const char *c = component(g, fuzz_byte(&g->in), buf, sizeof buf);
		int w = snprintf(out + k, n - k, "%s%s", i ? "/" : "", c);
		if (w < 0 || (size_t)w >= n - k)
			break;
		k += (size_t)w;
	}
}

/* The same path in another spelling: every letter's case flipped where
 * the mask's bit for its component is set. */
static void respell(const char *in, char *out, uint8_t mask)
{
	int comp = 0;
	for (; *in; in++, out++) {
		if (*in == '/')
			comp++;
		char c = *in;
		if ((mask >> (comp % 8)) & 1)
			c = c >= 'a' && c <= 'z' ? (char)(c - 32) : c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		*out = c;
	}
	*out = '\0';
}

static bool ends_with_conf(const char *path)
{
	size_t n = strlen(path);
	return n > 5 && fold_eq(path + n - 5, ".conf");
}

/* An entry's text: a title line (same size whatever its letter, so that
 * an edit within vfat's 2 seconds keeps the size), then 0-3 lines that
 * name paths. */
static char *gen_content(struct gen *g, uint8_t title)
{
	char buf[2048];
	size_t k = (size_t)snprintf(buf, sizeof buf, "title %c\n", 'A' + title % 26);
	int lines = fuzz_byte(&g->in) % 4;
	for (int i = 0; i < lines; i++) {
		uint8_t kb = fuzz_byte(&g->in);
		char path[512];
		gen_path(g, path, sizeof path);
		int w = snprintf(buf + k, sizeof buf - k, "%s %s%s\n", KEYS[kb % 6], kb & 0x80 ? "" : "/",
				 path);
		if (w < 0 || (size_t)w >= sizeof buf - k)
			break;
		k += (size_t)w;
	}
	char *c = strdup(buf);
	if (!c)
		FUZZ_FAIL("out of memory");
	return c;
}

/* The same text with another title letter: same size, other bytes. */
static char *gen_content_retitle(const char *c)
{
	char *t = strdup(c);
	if (!t)
		FUZZ_FAIL("out of memory");
	if (strncmp(t, "title ", 6) == 0 && t[6])
		t[6] = t[6] == 'Z' ? 'A' : (char)(t[6] + 1);
	return t;
}

static const struct timespec MTIMES[8] = {
	{ T0, 0 }, { T0 + 1, 0 }, { T0 + 2, 0 }, { T0 + 3, 0 },
	{ T0 - 1, 0 }, { T0 + 1, 999999999 }, { T0, 500000000 }, { T0 + 2, 1 },
};
static const uint64_t SIZES[4] = { 0, 1, 100, 4096 };

struct attrs {
	uint64_t size;
	struct timespec mtime;
	char *content; /* borrowed */
};

/* Make path in fs (parents as needed, in this spelling unless they
 * exist). Skipped when a file is in the way or the name is taken. */
static void insert(struct fs *fs, const char *path, bool dir, const struct attrs *a)
{
	if (fs->nodes >= MAX_NODES)
		return;
	struct node *d = &fs->root;
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		struct node *k = child(d, p, len, false);
		if (!slash) {
			if (k)
				return; /* the first one wins */
			k = new_node(fs, d, p, len, dir);
			if (!dir) {
				k->size = a->size;
				k->mtime = a->mtime;
				if (a->content || ends_with_conf(k->name)) {
					k->content = strdup(a->content ? a->content : "");
					if (!k->content)
						FUZZ_FAIL("out of memory");
					k->size = strlen(k->content);
				}
			} else
				k->mtime = a->mtime;
			return;
		}
		if (!k)
			k = new_node(fs, d, p, len, true);
		else if (!k->dir)
			return;
		k->mtime = (struct timespec){ T0, 0 };
		d = k;
		p = slash + 1;
	}
}

/* Put path in the models the record's bits name: the source, the
 * target, both, or both with the target in another spelling and maybe
 * other attributes. */
static void place(struct gen *g, uint8_t where, const char *path, bool dir, struct attrs *a,
		  uint8_t variant, struct attrs *ta)
{
	char other[1024];
	switch (where & 3) {
	case 0:
		insert(g->src, path, dir, a);
		break;
	case 1:
		insert(g->dst, path, dir, a);
		break;
	case 2:
		insert(g->src, path, dir, a);
		insert(g->dst, path, dir, ta ? ta : a);
		break;
	case 3:
		insert(g->src, path, dir, a);
		respell(path, other, variant);
		insert(g->dst, other, dir, ta ? ta : a);
		break;
	}
}

static void gen_record(struct gen *g)
{
	uint8_t r = fuzz_byte(&g->in);
	uint8_t variant = fuzz_byte(&g->in);
	char path[1024];
	switch ((r >> 2) & 3) {
	case 0: { /* a file */
		gen_path(g, path, sizeof path);
		uint8_t at = fuzz_byte(&g->in);
		struct attrs a = { .size = SIZES[at & 3], .mtime = MTIMES[(at >> 2) & 7] };
		struct attrs ta = a;
		if (at & 0x20)
			ta.size = a.size + 1;
		if (at & 0x40)
			ta.mtime.tv_sec += 3;
		char *c = NULL, *tc = NULL;
		if (ends_with_conf(path)) {
			c = a.content = gen_content(g, variant);
			/* Bit 7: the target's copy has another title, same size. */
			tc = ta.content = (at & 0x80) ? gen_content_retitle(c) : c;
		}
		place(g, r, path, false, &a, variant, &ta);
		if (tc != c)
			free(tc);
		free(c);
		break;
	}
	case 1: { /* a directory */
		gen_path(g, path, sizeof path);
		struct attrs a = { .mtime = MTIMES[variant & 7] };
		place(g, r, path, true, &a, variant, NULL);
		break;
	}
	case 2: { /* a kernel as kernel-install lays it out */
		static const char *const versions[] = { "6.1.0-13-amd64", "6.1", "6.10", "5.15.0-88-generic" };
		const char *v = versions[(r >> 4) & 3];
		const char *t = variant & 0x80 ? g->upper : g->token;
		char linux_[256], initrd[256], entry[256];
		snprintf(linux_, sizeof linux_, "%s/%s/linux", t, v);
		snprintf(initrd, sizeof initrd, "%s/%s/initrd", t, v);
		snprintf(entry, sizeof entry, "loader/entries/%s-%s.conf", g->token, v);
		char text[1024];
		snprintf(text, sizeof text, "title %s\nlinux /%s/%s/linux\ninitrd /%s/%s/initrd\n", v,
			 g->token, v, g->token, v);
		struct attrs a = { .size = 100, .mtime = MTIMES[(variant >> 4) & 7] }, ta = a;
		if (variant & 0x08)
			ta.mtime.tv_sec += 10; /* the target's copy is older */
		if (!(r & 0x40)) { /* bit 6: the entry alone */
			place(g, r, linux_, false, &a, variant, &ta);
			place(g, r, initrd, false, &a, variant, &ta);
		}
		if (!(r & 0x80)) { /* bit 7: the files alone */
			a.content = ta.content = text;
			place(g, r, entry, false, &a, variant, &ta);
		}
		break;
	}
	case 3: { /* a unified kernel image, or the boot loader on the target */
		struct attrs a = { .size = 4096, .mtime = MTIMES[variant & 7] };
		if (r & 0x80) {
			insert(g->dst, variant & 1 ? "EFI/systemd/systemd-bootx64.efi" : "EFI/BOOT/BOOTX64.EFI",
			       false, &a);
			break;
		}
		snprintf(path, sizeof path, "EFI/Linux/%s-6.%d.efi", g->token, (r >> 4) & 7);
		place(g, r, path, false, &a, variant, NULL);
		break;
	}
	}
}

/* ---- what the invariants look at ---- */

/* A file or directory of the target that the plan must leave alone. */
struct keep {
	char *path; /* exact spelling */
	bool dir;
	uint64_t size;
	struct timespec mtime;
	char *content;
};

struct keeps {
	struct keep *k;
	size_t n;
};

static bool listed_as_ours(const struct tree *t, const char *path)
{
	const struct tree_entry *e = tree_find(t, path);
	return e && (e->kind == TREE_FILE || e->kind == TREE_DIR || e->kind == TREE_STALE_TEMP);
}

static void collect_keeps(const struct node *d, const char *rel, const struct tree *t,
			  struct keeps *out)
{
	for (size_t i = 0; i < d->nkids; i++) {
		const struct node *k = d->kids[i];
		char path[1024];
		snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", k->name);
		if (!listed_as_ours(t, path)) {
			out->k = realloc(out->k, (out->n + 1) * sizeof *out->k);
			if (!out->k)
				FUZZ_FAIL("out of memory");
			out->k[out->n++] = (struct keep){ .path = strdup(path), .dir = k->dir,
							  .size = k->size, .mtime = k->mtime,
							  .content = k->content ? strdup(k->content) : NULL };
		}
		if (k->dir)
			collect_keeps(k, path, t, out);
	}
}

static void free_keeps(struct keeps *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		free(ks->k[i].path);
		free(ks->k[i].content);
	}
	free(ks->k);
}

static void check_keeps(struct fs *dst, const struct keeps *ks, const char *after)
{
	for (size_t i = 0; i < ks->n; i++) {
		const struct keep *k = &ks->k[i];
		const struct node *n = lookup(dst, k->path, true);
		if (!n)
			FUZZ_FAIL("after %s: the unmanaged %s %s is gone (or renamed)", after,
				  k->dir ? "directory" : "file", k->path);
		if (n->dir != k->dir)
			FUZZ_FAIL("after %s: the unmanaged %s changed kind", after, k->path);
		if (k->dir)
			continue;
		if (n->size != k->size || n->mtime.tv_sec != k->mtime.tv_sec ||
		    n->mtime.tv_nsec != k->mtime.tv_nsec || (n->content == NULL) != (k->content == NULL) ||
		    (n->content && strcmp(n->content, k->content) != 0) || n->made)
			FUZZ_FAIL("after %s: the unmanaged file %s was written", after, k->path);
	}
}

struct boot_ctx {
	struct fs *fs;
	const char *token;
	bool skip_managed; /* another system's entry: ignore it if it names ours */
	bool names_ours, names_temp;
	const char *missing;
	char missing_buf[512];
};

/* Is path (as an entry names it) a file of the model? ".." never is
 * (bootcheck's rule), nor a path with an empty component. */
static bool model_has_file(struct fs *fs, const char *path)
{
	if (strstr(path, "..") || strstr(path, "//") || path[strlen(path) - 1] == '/')
		return false;
	const struct node *n = lookup(fs, path, false);
	return n && !n->dir;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Is name, by the case rule, one of this program's temporary names? The
 * scan takes the exact prefix for one (a stale temp, deleted first), and
 * vfat finds it under any case: an entry naming it, in any case, names
 * a file that is never meant to stay. */
static bool temp_name(const char *name)
{
	return fold_eq_n(name, TREE_TEMP_PREFIX, strlen(TREE_TEMP_PREFIX));
}

static int note_named(const char *path, bool kernel, void *ctx)
{
	(void)kernel;
	struct boot_ctx *c = ctx;
	if (layout_classify(path, false, c->token) == LAYOUT_MANAGED)
		c->names_ours = true;
	if (temp_name(basename_of(path)))
		c->names_temp = true;
	if (!c->missing && !model_has_file(c->fs, path)) {
		snprintf(c->missing_buf, sizeof c->missing_buf, "%s", path);
		c->missing = c->missing_buf;
	}
	return 0;
}

/* Does the model boot: every type 1 entry (a *.conf file directly in
 * loader/entries, not hidden, as systemd-boot reads them) names only
 * files that are there? Returns NULL, or the entry and file that fail. */
static const char *model_boots(struct fs *fs, const char *token, char *why, size_t why_len)
{
	const struct node *loader = child(&fs->root, "loader", 6, false);
	const struct node *entries = loader && loader->dir ? child(loader, "entries", 7, false) : NULL;
	if (!entries || !entries->dir)
		return NULL;
	for (size_t i = 0; i < entries->nkids; i++) {
		const struct node *e = entries->kids[i];
		if (e->dir || e->name[0] == '.' || !ends_with_conf(e->name))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s/%s", loader->name, entries->name, e->name);
		struct boot_ctx c = { .fs = fs, .token = token };
		layout_entry_files(e->content ? e->content : "", note_named, &c);
		bool ours = layout_classify(path, false, token) == LAYOUT_MANAGED;
		if ((!ours && c.names_ours) || c.names_temp)
			continue;
		if (c.missing) {
			snprintf(why, why_len, "entry %s names /%s, which is not there", path, c.missing);
			return why;
		}
	}
	return NULL;
}

/* Will every file the source's (managed) entries name be on the target
 * once the plan is done: ours from the source, others already there? */
struct complete_ctx {
	struct fs *src, *dst;
	const char *token;
	bool ok;
};

static int check_complete(const char *path, bool kernel, void *ctx)
{
	(void)kernel;
	struct complete_ctx *c = ctx;
	bool ours = layout_classify(path, false, c->token) == LAYOUT_MANAGED;
	if (!model_has_file(ours ? c->src : c->dst, path) || temp_name(basename_of(path)))
		c->ok = false;
	return 0;
}

static bool source_complete(struct fs *src, struct fs *dst, const struct tree *st, const char *token)
{
	struct complete_ctx c = { .src = src, .dst = dst, .token = token, .ok = true };
	for (size_t i = 0; i < st->n; i++) {
		const struct tree_entry *e = &st->entries[i];
		if (e->kind == TREE_FILE && e->content && layout_is_type1_entry(e->path))
			layout_entry_files(e->content, check_complete, &c);
	}
	return c.ok;
}

/* Is there a real type conflict: a path that some listed source path
 * goes through (or is) which is a file on one side and a directory on
 * the other, by the case rule? */
static bool real_conflict(struct fs *src, struct fs *dst, const struct tree *st)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct tree_entry *e = &st->entries[i];
		if (e->kind != TREE_FILE && e->kind != TREE_DIR)
			continue;
		char prefix[1024];
		snprintf(prefix, sizeof prefix, "%s", e->path);
		for (char *end = prefix + strlen(prefix);;) {
			*end = '\0';
			const struct node *a = lookup(src, prefix, false), *b = lookup(dst, prefix, false);
			if (a && b && a->dir != b->dir)
				return true;
			char *slash = strrchr(prefix, '/');
			if (!slash)
				break;
			end = slash;
		}
	}
	return false;
}

/* ---- applying a plan to the target model ---- */

/* Apply one operation; NULL, or what went wrong. */
static const char *apply_op(struct fs *src, struct fs *dst, const struct plan_op *op)
{
	const char *base, *why;
	struct node *d = parent_of(dst, op->path, &base, false, &why);
	if (!d)
		return why;
	struct node *there = child(d, base, strlen(base), false);

	switch (op->kind) {
	case PLAN_MKDIR:
		if (there)
			return there->dir ? NULL : "a file is in the way of the directory";
		there = new_node(dst, d, base, strlen(base), true);
		there->made = true;
		return NULL;
	case PLAN_COPY:
	case PLAN_REPLACE: {
		const struct node *s = lookup(src, op->path, false);
		if (!s || s->dir)
			return "the source file is not there";
		if (s->size != op->size || s->mtime.tv_sec != op->mtime.tv_sec ||
		    s->mtime.tv_nsec != op->mtime.tv_nsec)
			return "the plan's size or mtime is not the source file's";
		if (op->kind == PLAN_COPY && there)
			return "COPY onto something that is there";
		if (op->kind == PLAN_REPLACE && !there)
			return "REPLACE of a file that is not there";
		if (there && there->dir)
			return "a directory is in the way of the file";
		if (there && there->made)
			return "writes a file this plan already wrote";
		if (!there)
			there = new_node(dst, d, base, strlen(base), false);
		/* rename() onto an existing name keeps its spelling. */
		there->size = s->size;
		there->mtime = s->mtime;
		free(there->content);
		there->content = s->content ? strdup(s->content) : NULL;
		there->made = true;
		return NULL;
	}
	case PLAN_DELETE:
	case PLAN_DELETE_TEMP:
		if (!there)
			return "deletes a file that is not there";
		if (there->dir)
			return "deletes a directory as a file";
		if (there->made)
			return "deletes a file this plan wrote";
		remove_child(d, there);
		return NULL;
	case PLAN_RMDIR:
		if (!there)
			return "removes a directory that is not there";
		if (!there->dir)
			return "removes a file as a directory";
		if (there->nkids > 0)
			return "removes a directory that is not empty";
		if (there->made)
			return "removes a directory this plan made";
		remove_child(d, there);
		return NULL;
	default:
		/* Only plan_build's operations are modelled: anything else from
		 * it is a planner bug. */
		return "an operation plan_build does not make";
	}
}

/* ---- the comparison at the end ---- */

static bool same_file(const struct tree_entry *a, const struct tree_entry *b)
{
	if (a->size != b->size || (a->content == NULL) != (b->content == NULL) ||
	    (a->content && strcmp(a->content, b->content) != 0))
		return false;
	long long ds = (long long)a->mtime.tv_sec - (long long)b->mtime.tv_sec;
	long long dns = ds * 1000000000LL + (a->mtime.tv_nsec - b->mtime.tv_nsec);
	return dns > -2000000000LL && dns < 2000000000LL;
}

static const struct tree_entry *fold_find(const struct tree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (fold_eq(t->entries[i].path, path))
			return &t->entries[i];
	return NULL;
}

static void check_equal(const struct tree *st, const struct tree *t2)
{
	for (size_t i = 0; i < t2->n; i++) {
		const struct tree_entry *e = &t2->entries[i];
		if (e->kind == TREE_STALE_TEMP)
			FUZZ_FAIL("after the plan: stale temp %s is left", e->path);
		if (e->kind != TREE_FILE && e->kind != TREE_DIR)
			continue;
		const struct tree_entry *s = fold_find(st, e->path);
		if (!s || s->kind != e->kind)
			FUZZ_FAIL("after the plan: the target has %s, which the source has not (as a %s)",
				  e->path, e->kind == TREE_DIR ? "directory" : "file");
	}
	for (size_t i = 0; i < st->n; i++) {
		const struct tree_entry *s = &st->entries[i];
		if (s->kind != TREE_FILE && s->kind != TREE_DIR)
			continue;
		const struct tree_entry *e = fold_find(t2, s->path);
		if (!e || e->kind != s->kind)
			FUZZ_FAIL("after the plan: the source's %s is not on the target", s->path);
		if (s->kind == TREE_FILE && !same_file(s, e))
			FUZZ_FAIL("after the plan: %s differs (size %llu/%llu, mtime %lld.%09ld/%lld.%09ld)",
				  s->path, (unsigned long long)s->size, (unsigned long long)e->size,
				  (long long)s->mtime.tv_sec, s->mtime.tv_nsec, (long long)e->mtime.tv_sec,
				  e->mtime.tv_nsec);
	}
}

/* ---- debugging: FUZZ_PLAN_SHOW=1 prints what a run does ---- */

static bool show;

static const char *kind_name(enum tree_kind k)
{
	static const char *const n[] = { "file", "dir", "stale-temp", "other-dir", "other-file" };
	return (unsigned)k < 5 ? n[k] : "?";
}

static void show_tree(const char *label, const struct tree *t)
{
	if (!show)
		return;
	fprintf(stderr, "%s tree:\n", label);
	for (size_t i = 0; i < t->n; i++)
		fprintf(stderr, "  %-10s %s size %llu mtime %lld.%09ld%s\n", kind_name(t->entries[i].kind),
			t->entries[i].path, (unsigned long long)t->entries[i].size,
			(long long)t->entries[i].mtime.tv_sec, t->entries[i].mtime.tv_nsec,
			t->entries[i].content ? " (content)" : "");
}

static void show_fs(const struct node *d, const char *rel)
{
	for (size_t i = 0; i < d->nkids; i++) {
		const struct node *k = d->kids[i];
		char path[1024];
		snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", k->name);
		fprintf(stderr, "  %s%s\n", path, k->dir ? "/" : "");
		if (k->content)
			fprintf(stderr, "    | %s\n", k->content);
		if (k->dir)
			show_fs(k, path);
	}
}

/* ---- the target ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tokens[] = { "0123456789abcdef0123456789abcdef", "fedora" };
	show = getenv("FUZZ_PLAN_SHOW") != NULL;
	struct fs src = { .label = "source" }, dst = { .label = "target" };
	struct gen g = { .in = { .p = data, .n = size }, .src = &src, .dst = &dst };
	g.token = tokens[fuzz_byte(&g.in) & 1];
	for (size_t i = 0; g.token[i]; i++)
		g.upper[i] = (char)(g.token[i] >= 'a' && g.token[i] <= 'z' ? g.token[i] - 32 : g.token[i]);
	for (int i = 0; i < MAX_RECORDS && fuzz_more(&g.in); i++)
		gen_record(&g);

	struct tree st, tt;
	model_scan(&src, g.token, &st);
	model_scan(&dst, g.token, &tt);
	if (show) {
		fprintf(stderr, "token %s\nsource:\n", g.token);
		show_fs(&src.root, "");
		fprintf(stderr, "target:\n");
		show_fs(&dst.root, "");
		show_tree("source", &st);
		show_tree("target", &tt);
	}

	struct keeps keeps = { 0 };
	collect_keeps(&dst.root, "", &tt, &keeps);
	char why_boot[1200];
	bool must_boot = !model_boots(&dst, g.token, why_boot, sizeof why_boot) &&
			 source_complete(&src, &dst, &st, g.token);

	struct plan p;
	struct reason why;
	int r = plan_build(&st, &tt, "/boot@b", &p, &why);
	if (r == -EEXIST) {
		if (show)
			fprintf(stderr, "refused: %s\n", why.text);
		FUZZ_ASSERT(!reason_empty(&why), "a refusal without a reason");
		if (!real_conflict(&src, &dst, &st))
			FUZZ_FAIL("plan_build refused (%s) but the models hold no type conflict", why.text);
		goto out;
	}
	if (r < 0)
		FUZZ_FAIL("plan_build failed: %d (%s)", r, why.text);

	uint64_t bytes = 0;
	for (size_t i = 0; i < p.n; i++)
		if (p.ops[i].kind == PLAN_COPY || p.ops[i].kind == PLAN_REPLACE)
			bytes += p.ops[i].size;
	FUZZ_ASSERT(bytes == p.bytes_to_copy, "bytes_to_copy %llu, the copies add up to %llu",
		    (unsigned long long)p.bytes_to_copy, (unsigned long long)bytes);

	for (size_t i = 0; i < p.n; i++) {
		const struct plan_op *op = &p.ops[i];
		char after[1200];
		snprintf(after, sizeof after, "step %zu (%s %s)", i + 1, plan_op_name(op->kind), op->path);
		if (show)
			fprintf(stderr, "%s\n", after);
		const char *err = apply_op(&src, &dst, op);
		if (err)
			FUZZ_FAIL("%s fails: %s", after, err);
		check_keeps(&dst, &keeps, after);
		if (must_boot && model_boots(&dst, g.token, why_boot, sizeof why_boot))
			FUZZ_FAIL("after %s the target does not boot: %s", after, why_boot);
	}

	struct tree t2;
	model_scan(&dst, g.token, &t2);
	show_tree("resulting target", &t2);
	check_equal(&st, &t2);
	struct plan p2;
	r = plan_build(&st, &t2, "/boot@b", &p2, &why);
	if (r < 0)
		FUZZ_FAIL("the second plan_build failed: %d (%s)", r, why.text);
	if (p2.n != 0)
		FUZZ_FAIL("the second plan is not empty: %zu operations, the first %s %s", p2.n,
			  plan_op_name(p2.ops[0].kind), p2.ops[0].path);
	plan_free(&p2);
	tree_free(&t2);
	plan_free(&p);
out:
	free_keeps(&keeps);
	tree_free(&st);
	tree_free(&tt);
	free_kids(&src.root);
	free_kids(&dst.root);
	return 0;
}
