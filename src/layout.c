/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* layout: the Boot Loader Specification's places and vfat's case rule;
 * see layout.h. */
#include "layout.h"

#include <string.h>

static int fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Locale-independent on purpose: vfat folds ASCII only (iocharset=ascii,
 * and systemd-boot compares names the same way). */
int layout_name_ncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = fold((unsigned char)a[i]), y = fold((unsigned char)b[i]);
		if (x != y)
			return x - y;
		if (x == 0)
			return 0;
	}
	return 0;
}

int layout_name_cmp(const char *a, const char *b) { return layout_name_ncmp(a, b, (size_t)-1); }

bool layout_name_is_foreign(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	return name[n - 1] == '.' || name[n - 1] == ' ';
}

bool layout_token_is_reserved(const char *token)
{
	return layout_name_equal(token, "EFI") || layout_name_equal(token, "loader");
}

/* Does name start with "<token>-"? */
static bool starts_with_token_dash(const char *name, const char *token)
{
	size_t n = strlen(token);
	return layout_name_ncmp(name, token, n) == 0 && name[n] == '-';
}

/* The directories that hold token-named entries, with their '/'. */
static const char *const holders[] = { "loader/entries/", "EFI/Linux/" };

bool layout_token_is_machine_id(const char *token)
{
	size_t n = strlen(token);
	if (n != 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = (char)fold((unsigned char)token[i]);
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/* Does path contain token, by the case rule? */
static bool name_contains(const char *path, const char *token)
{
	size_t n = strlen(token);
	for (const char *p = path; *p; p++)
		if (layout_name_ncmp(p, token, n) == 0)
			return true;
	return false;
}

enum layout_place layout_classify(const char *path, bool is_dir, const char *token)
{
	size_t tlen = strlen(token);
	if (layout_name_ncmp(path, token, tlen) == 0 && (path[tlen] == '\0' || path[tlen] == '/'))
		return LAYOUT_MANAGED;
	bool machine_id = layout_token_is_machine_id(token);
	if (machine_id && name_contains(path, token))
		return LAYOUT_MANAGED;

	for (size_t i = 0; i < sizeof holders / sizeof holders[0]; i++) {
		const char *dir = holders[i];
		size_t len = strlen(dir);
		if (layout_name_ncmp(path, dir, len) == 0) {
			/* The first component below decides for everything in it. */
			if (starts_with_token_dash(path + len, token))
				return LAYOUT_MANAGED;
			return machine_id && is_dir ? LAYOUT_WALK : LAYOUT_IGNORE;
		}
		/* The holder itself and its parent, e.g. "loader" and "loader/entries". */
		if (is_dir && layout_name_ncmp(path, dir, len - 1) == 0 && path[len - 1] == '\0')
			return LAYOUT_ON_WAY;
		size_t plen = (size_t)(strchr(dir, '/') - dir);
		if (is_dir && layout_name_ncmp(path, dir, plen) == 0 && path[plen] == '\0')
			return LAYOUT_ON_WAY;
	}
	return machine_id && is_dir ? LAYOUT_WALK : LAYOUT_IGNORE;
}

/* Is the last component of path, directly inside dir (with its '/'), a
 * name ending with ext? */
static bool direct_child_with_ext(const char *path, const char *dir, const char *ext)
{
	size_t dlen = strlen(dir), elen = strlen(ext);
	if (layout_name_ncmp(path, dir, dlen) != 0)
		return false;
	const char *base = path + dlen;
	size_t blen = strlen(base);
	return blen > elen && !strchr(base, '/') && layout_name_equal(base + blen - elen, ext);
}

bool layout_is_entry(const char *path)
{
	return direct_child_with_ext(path, "loader/entries/", ".conf") ||
	       direct_child_with_ext(path, "EFI/Linux/", ".efi");
}

bool layout_is_type1_entry(const char *path)
{
	return direct_child_with_ext(path, "loader/entries/", ".conf");
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* The keys of a type 1 entry that name files on the ESP. */
static bool key_names_file(const char *key, size_t klen, bool *kernel)
{
	static const struct {
		const char *key;
		bool kernel;
	} keys[] = {
		{ "linux", true }, { "efi", true }, { "initrd", false }, { "devicetree", false },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i].key) == klen && strncmp(key, keys[i].key, klen) == 0) {
			*kernel = keys[i].kernel;
			return true;
		}
	return false;
}

int layout_entry_files(const char *content, int (*fn)(const char *path, bool kernel, void *ctx),
		       void *ctx)
{
	for (const char *line = content; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *p = line, *end = line + len;
		line = nl ? nl + 1 : end;
		while (p < end && is_blank(*p))
			p++;
		size_t klen = 0;
		while (p + klen < end && !is_blank(p[klen]))
			klen++;
		bool kernel;
		if (!key_names_file(p, klen, &kernel))
			continue;
		const char *v = p + klen;
		while (v < end && is_blank(*v))
			v++;
		while (end > v && is_blank(end[-1]))
			end--;
		while (v < end && *v == '/')
			v++;
		if (v == end)
			continue;
		char path[4096];
		if ((size_t)(end - v) >= sizeof path)
			continue; /* no ESP holds such a path: nothing it could name */
		memcpy(path, v, (size_t)(end - v));
		path[end - v] = '\0';
		int r = fn(path, kernel, ctx);
		if (r != 0)
			return r;
	}
	return 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of v (vlen bytes) without a boot counting suffix "+LEFT" or
 * "+LEFT-DONE" (digits only). */
static size_t without_tries(const char *v, size_t vlen)
{
	const char *plus = memrchr(v, '+', vlen);
	if (!plus)
		return vlen;
	const char *p = plus + 1, *end = v + vlen;
	size_t digits = 0;
	while (p < end && is_digit(*p))
		p++, digits++;
	bool ok = digits > 0;
	if (ok && p < end && *p == '-') {
		p++;
		digits = 0;
		while (p < end && is_digit(*p))
			p++, digits++;
		ok = digits > 0;
	}
	return ok && p == end ? (size_t)(plus - v) : vlen;
}

bool layout_kernel_version(const char *path, bool is_dir, const char *token, const char **ver,
			   size_t *len)
{
	size_t tlen = strlen(token);
	const char *v = NULL;
	size_t vlen = 0;

	if (is_dir && layout_name_ncmp(path, token, tlen) == 0 && path[tlen] == '/') {
		/* T/VERSION, one level below the token directory. */
		v = path + tlen + 1;
		if (strchr(v, '/'))
			return false;
		vlen = strlen(v);
	} else if (!is_dir && direct_child_with_ext(path, "EFI/Linux/", ".efi")) {
		const char *base = path + strlen("EFI/Linux/");
		if (!starts_with_token_dash(base, token))
			return false;
		v = base + tlen + 1;
		vlen = without_tries(v, strlen(v) - strlen(".efi"));
	} else
		return false;
	if (vlen == 0 || !is_digit(v[0]))
		return false;
	*ver = v;
	*len = vlen;
	return true;
}

/* systemd's architecture names (the suffix of systemd-boot<arch>.efi) and
 * the UEFI removable-media file names (UEFI 2.10, 3.5.1.1). */
static const struct layout_loader loaders[] = {
#if defined(__x86_64__)
	{ "x64", "EFI/systemd/systemd-bootx64.efi", "EFI/BOOT/BOOTX64.EFI", "\\EFI\\systemd\\systemd-bootx64.efi" },
#elif defined(__i386__)
	{ "ia32", "EFI/systemd/systemd-bootia32.efi", "EFI/BOOT/BOOTIA32.EFI", "\\EFI\\systemd\\systemd-bootia32.efi" },
#elif defined(__aarch64__)
	{ "aa64", "EFI/systemd/systemd-bootaa64.efi", "EFI/BOOT/BOOTAA64.EFI", "\\EFI\\systemd\\systemd-bootaa64.efi" },
#elif defined(__arm__)
	{ "arm", "EFI/systemd/systemd-bootarm.efi", "EFI/BOOT/BOOTARM.EFI", "\\EFI\\systemd\\systemd-bootarm.efi" },
#elif defined(__riscv) && __riscv_xlen == 64
	{ "riscv64", "EFI/systemd/systemd-bootriscv64.efi", "EFI/BOOT/BOOTRISCV64.EFI", "\\EFI\\systemd\\systemd-bootriscv64.efi" },
#elif defined(__loongarch64)
	{ "loongarch64", "EFI/systemd/systemd-bootloongarch64.efi", "EFI/BOOT/BOOTLOONGARCH64.EFI", "\\EFI\\systemd\\systemd-bootloongarch64.efi" },
#else
#error "unknown UEFI architecture: add its systemd-boot and removable-media names"
#endif
};

const struct layout_loader *layout_native_loader(void) { return &loaders[0]; }
