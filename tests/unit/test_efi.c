/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of the EFI layer (efivars.c, loadopt.c, booted.c,
 * bootentry.c, guid.c) on the real efivarfs captures in
 * $FIXTURES/ovmf-sdboot-nvme (expected answers read from the blkid.txt and
 * efibootmgr-v.txt captured beside them) and on crafted bad input. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include <efivar/efiboot.h>
#include <efivar/efivar.h>

#include "bootentry.h"
#include "booted.h"
#include "efivars.h"
#include "guid.h"
#include "loadopt.h"
#include "log.h"
#include "scratch.h"

#define DISK_A "b2413451-73f6-0f49-ab3a-60926f35fe3c"
#define DISK_B "9d70e039-6346-674e-a5d5-59d81b1d69c5"
#define LDPU "LoaderDevicePartUUID-" EFIVARS_LOADER_GUID
#define BOOTCURRENT "BootCurrent-" EFIVARS_GLOBAL_GUID
#define BOOTVAR(n) "Boot" n "-" EFIVARS_GLOBAL_GUID


/* ---- the program's view --------------------------------------------------
 * The EFI layer logs nothing: it returns a reason, and the verb shows it
 * once on stderr (bind's error line). These helpers do just that, so that
 * the assertions below read what a user reads. */

static int read_var(const char *dir, const char *name, const char *guid, uint8_t **data,
		    size_t *len)
{
	struct reason why;
	int r = efivars_read(dir, name, guid, NULL, data, len, &why);
	if (r < 0 && r != -ENOENT)
		log_error("%s", why.text);
	return r;
}

/* 0 with the GPT HD() partition's GUID in out, -ENOENT when the option
 * names no GPT partition, -EBADMSG when malformed; the description (cut to
 * desc_len - 1) in desc when it is not NULL, "" when malformed. */
static int parse_option(const uint8_t *data, size_t len, char out[GUID_STR_LEN], char *desc,
			size_t desc_len)
{
	struct loadopt lo;
	struct reason why;
	int r = loadopt_parse(data, len, &lo, &why);
	if (desc && desc_len > 0)
		snprintf(desc, desc_len, "%s", r == 0 ? lo.description : "");
	if (r < 0)
		return r;
	if (!lo.has_hd)
		return -ENOENT;
	memcpy(out, lo.partuuid, GUID_STR_LEN);
	return 0;
}

static int parse_partuuid(const uint8_t *data, size_t len, char out[GUID_STR_LEN])
{
	struct reason why;
	return booted_parse_partuuid(data, len, out, &why);
}

static int parse_boot_current(const uint8_t *data, size_t len, uint16_t *out)
{
	struct reason why;
	return booted_parse_boot_current(data, len, out, &why);
}

static int find_booted(const char *dir, unsigned wait_ms, char out[GUID_STR_LEN],
		       enum booted_source *how)
{
	struct booted b;
	struct reason why;
	int r = booted_find(dir, wait_ms, &b, &why);
	if (r < 0) {
		log_error("%s", why.text);
		return r;
	}
	memcpy(out, b.partuuid, GUID_STR_LEN);
	*how = b.how;
	return 0;
}

/* The firmware entries that name a GPT partition, as status shows them. */
struct hd_entry {
	uint16_t number;
	char partuuid[GUID_STR_LEN];
	char description[LOADOPT_DESC_MAX];
};

static int list_hd_entries(const char *dir, struct hd_entry **out)
{
	struct bootentry_list l;
	*out = NULL;
	int r = bootentry_list_read(dir, &l);
	if (r < 0)
		return r;
	int n = 0;
	for (size_t i = 0; i < l.n; i++)
		n += l.entries[i].opt.has_hd;
	if (n > 0) {
		*out = calloc((size_t)n, sizeof **out);
		assert_non_null(*out);
	}
	int k = 0;
	for (size_t i = 0; i < l.n; i++) {
		const struct bootentry *e = &l.entries[i];
		if (!e->opt.has_hd)
			continue;
		(*out)[k].number = e->number;
		memcpy((*out)[k].partuuid, e->opt.partuuid, GUID_STR_LEN);
		snprintf((*out)[k].description, sizeof (*out)[k].description, "%s", e->opt.description);
		k++;
	}
	bootentry_list_free(&l);
	return n;
}

/* ---- fixture access ---------------------------------------------------- */

static char *fx_path(const char *folder, const char *rel)
{
	char *p = NULL;
	if (asprintf(&p, "%s/ovmf-sdboot-nvme/%s/%s", scratch_fixtures(), folder, rel) < 0)
		SCRATCH_DIE("out of memory");
	return p;
}

/* The raw file (attributes included) of a fixture variable. */
static uint8_t *fx_var(const char *folder, const char *file, size_t *len)
{
	char *rel = scratch_path("efivars", file);
	char *p = fx_path(folder, rel);
	uint8_t *b = (uint8_t *)scratch_read(p, len);
	free(p);
	free(rel);
	return b;
}

/* The payload of a fixture variable in an exact-size buffer (for ASan). */
static uint8_t *fx_payload(const char *folder, const char *file, size_t *len)
{
	size_t n;
	uint8_t *raw = fx_var(folder, file, &n);
	assert_true(n >= 4);
	uint8_t *p = malloc(n - 4);
	assert_non_null(p);
	memcpy(p, raw + 4, n - 4);
	free(raw);
	*len = n - 4;
	return p;
}

/* PARTUUID of the partition with this PARTLABEL, from blkid.txt. */
static char *blkid_partuuid(const char *folder, const char *partlabel)
{
	char *p = fx_path(folder, "blkid.txt");
	char *text = scratch_read(p, NULL);
	free(p);
	char *result = NULL;
	/* blocks separated by blank lines */
	for (char *blk = text; blk && *blk;) {
		char *next = strstr(blk, "\n\n");
		if (next)
			*next = '\0';
		char want[128];
		snprintf(want, sizeof want, "PARTLABEL=%s\n", partlabel);
		char *u = strstr(blk, "PARTUUID=");
		if (strstr(blk, want) && u) {
			u += strlen("PARTUUID=");
			result = strndup(u, strcspn(u, "\n"));
			break;
		}
		blk = next ? next + 2 : NULL;
	}
	free(text);
	if (!result)
		SCRATCH_DIE("no PARTLABEL=%s in %s/blkid.txt", partlabel, folder);
	return result;
}

/* One Boot#### line of efibootmgr-v.txt. */
struct mgr_entry {
	unsigned number;
	char desc[128];
	char partuuid[GUID_STR_LEN]; /* "" when the path has no HD(...,GPT,...) */
};

/* Parse efibootmgr-v.txt: the Boot#### lines and BootCurrent. */
static size_t mgr_entries(const char *folder, struct mgr_entry *out, size_t max,
			  unsigned *boot_current)
{
	char *p = fx_path(folder, "efibootmgr-v.txt");
	char *text = scratch_read(p, NULL);
	free(p);
	size_t n = 0;
	*boot_current = 0xffffffff;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned num;
		if (sscanf(line, "BootCurrent: %x", boot_current) == 1)
			continue;
		if (strncmp(line, "Boot", 4) != 0 || sscanf(line + 4, "%4x", &num) != 1 ||
		    (line[8] != '*' && line[8] != ' '))
			continue;
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		assert_true(n < max);
		struct mgr_entry *e = &out[n++];
		memset(e, 0, sizeof *e);
		e->number = num;
		snprintf(e->desc, sizeof e->desc, "%.*s", (int)(tab - (line + 10)), line + 10);
		char *hd = strstr(tab, "HD(");
		if (hd && (hd = strstr(hd, ",GPT,")))
			snprintf(e->partuuid, sizeof e->partuuid, "%.36s", hd + 5);
	}
	free(text);
	return n;
}

/* A scratch copy of a fixture's efivars, without the files named in skip
 * (NULL-terminated list). */
static char *copy_efivars(const char *folder, const char *const *skip)
{
	char *src = fx_path(folder, "efivars");
	char *dst = scratch_dir();
	DIR *d = opendir(src);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		bool skipped = false;
		for (const char *const *s = skip; s && *s; s++)
			skipped |= strcmp(*s, de->d_name) == 0;
		if (skipped)
			continue;
		char *sp = scratch_path(src, de->d_name);
		size_t n;
		char *b = scratch_read(sp, &n);
		scratch_write(dst, de->d_name, b, n);
		free(b);
		free(sp);
	}
	closedir(d);
	free(src);
	return dst;
}

static unsigned long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Ask efi_booted_partuuid about dir, expecting it to fail with want.
 * Returns what it printed on stderr (caller frees); *ms, if not NULL,
 * gets how long it took. */
static char *booted_expect_failure(const char *dir, unsigned wait_ms, int want, unsigned long *ms)
{
	char out[GUID_STR_LEN];
	enum booted_source how;
	struct timespec t0;
	struct capture c;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	capture_begin(&c);
	int r = find_booted(dir, wait_ms, out, &how);
	char *err = capture_end(&c);
	if (ms)
		*ms = ms_since(&t0);
	assert_int_equal(r, want);
	return err;
}

static bool is_lower_guid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	}
	return true;
}

/* ---- reading variables ------------------------------------------------- */

static void test_read_var_strips_attributes(void **state)
{
	(void)state;
	char *dir = fx_path("firmware-entry", "efivars");
	size_t rawlen;
	uint8_t *raw = fx_var("firmware-entry", LDPU, &rawlen);
	uint8_t *data = NULL;
	size_t len = 0;
	assert_int_equal(read_var(dir, "LoaderDevicePartUUID", EFIVARS_LOADER_GUID, &data, &len), 0);
	assert_int_equal(len, rawlen - 4);
	assert_int_equal(len, 74); /* 36 UTF-16 characters and a NUL */
	assert_memory_equal(data, raw + 4, len);
	free(data);
	free(raw);
	free(dir);
}

static void test_read_var_absent(void **state)
{
	(void)state;
	char *dir = fx_path("firmware-entry", "efivars");
	uint8_t *data = NULL;
	size_t len = 0;
	struct capture c;
	capture_begin(&c);
	int r = read_var(dir, "NoSuchVariable", EFIVARS_GLOBAL_GUID, &data, &len);
	char *err = capture_end(&c);
	assert_int_equal(r, -ENOENT);
	assert_null(data);
	assert_string_equal(err, ""); /* absence is an answer, not an error */
	free(err);
	assert_int_equal(read_var("/nonexistent-efivars", "BootCurrent", EFIVARS_GLOBAL_GUID, &data,
				      &len),
			 -ENOENT);
	free(dir);
}

static void test_read_var_short_files(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	static const uint8_t bytes[4] = {0x07, 0x00, 0x00, 0x00};
	for (size_t n = 0; n < 4; n++) {
		scratch_write(dir, LDPU, bytes, n);
		scratch_write(dir, BOOTCURRENT, bytes, n);
		scratch_write(dir, BOOTVAR("0006"), bytes, n);
		uint8_t *data = NULL;
		size_t len = 0;
		struct capture c;
		capture_begin(&c);
		assert_int_equal(
			read_var(dir, "LoaderDevicePartUUID", EFIVARS_LOADER_GUID, &data, &len),
			-EBADMSG);
		assert_int_equal(read_var(dir, "BootCurrent", EFIVARS_GLOBAL_GUID, &data, &len),
				 -EBADMSG);
		assert_int_equal(read_var(dir, "Boot0006", EFIVARS_GLOBAL_GUID, &data, &len),
				 -EBADMSG);
		char *err = capture_end(&c);
		assert_null(data);
		assert_non_null(strstr(err, LDPU ": truncated"));
		assert_non_null(strstr(err, BOOTCURRENT ": truncated"));
		free(err);
	}
	/* exactly the attribute bytes: an empty payload, which no parser takes */
	scratch_write(dir, BOOTCURRENT, bytes, 4);
	uint8_t *data = NULL;
	size_t len = 99;
	assert_int_equal(read_var(dir, "BootCurrent", EFIVARS_GLOBAL_GUID, &data, &len), 0);
	assert_int_equal(len, 0);
	uint16_t cur;
	char out[GUID_STR_LEN];
	assert_int_equal(parse_boot_current(data, len, &cur), -EBADMSG);
	assert_int_equal(parse_partuuid(data, len, out), -EBADMSG);
	assert_int_equal(parse_option(data, len, out, NULL, 0), -EBADMSG);
	free(data);
	scratch_rm(dir);
}

static void test_read_var_oversized(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	size_t big = 4 + EFIVARS_MAX + 1;
	uint8_t *b = calloc(1, big + 4096);
	assert_non_null(b);
	uint8_t *data = NULL;
	size_t len = 0;

	scratch_write(dir, BOOTVAR("0001"), b, big);
	struct capture c;
	capture_begin(&c);
	int r = read_var(dir, "Boot0001", EFIVARS_GLOBAL_GUID, &data, &len);
	char *err = capture_end(&c);
	assert_int_equal(r, -EFBIG);
	assert_null(data);
	assert_non_null(strstr(err, BOOTVAR("0001") ": larger than"));
	free(err);

	scratch_write(dir, BOOTVAR("0002"), b, big + 4096);
	assert_int_equal(read_var(dir, "Boot0002", EFIVARS_GLOBAL_GUID, &data, &len), -EFBIG);

	/* the bound itself is allowed */
	scratch_write(dir, BOOTVAR("0003"), b, big - 1);
	assert_int_equal(read_var(dir, "Boot0003", EFIVARS_GLOBAL_GUID, &data, &len), 0);
	assert_int_equal(len, EFIVARS_MAX);
	/* ... but zeros are no load option */
	char out[GUID_STR_LEN];
	assert_int_equal(parse_option(data, len, out, NULL, 0), -EBADMSG);
	free(data);
	free(b);
	scratch_rm(dir);
}

/* ---- LoaderDevicePartUUID ---------------------------------------------- */

static void check_loader_partuuid(const char *folder, const char *partlabel, const char *expect)
{
	char *want = blkid_partuuid(folder, partlabel);
	assert_string_equal(want, expect);
	size_t len;
	uint8_t *p = fx_payload(folder, LDPU, &len);
	char out[GUID_STR_LEN];
	assert_int_equal(parse_partuuid(p, len, out), 0);
	assert_string_equal(out, want);
	free(p);
	free(want);
}

static void test_loader_partuuid_firmware_entry(void **state)
{
	(void)state;
	check_loader_partuuid("firmware-entry", "boot@a", DISK_A);
}

static void test_loader_partuuid_hd_entry(void **state)
{
	(void)state;
	check_loader_partuuid("hd-entry", "boot@b", DISK_B);
}

/* UTF-16LE of s, with n_nul NULs after it, in an exact-size buffer. */
static uint8_t *utf16(const char *s, size_t n_nul, size_t *len)
{
	size_t n = strlen(s) + n_nul;
	uint8_t *b = calloc(1, 2 * n > 0 ? 2 * n : 1);
	assert_non_null(b);
	for (size_t i = 0; s[i]; i++)
		b[2 * i] = (uint8_t)s[i];
	*len = 2 * n;
	return b;
}

static void expect_partuuid(const char *s, size_t n_nul, int want_r, const char *want)
{
	size_t len;
	uint8_t *b = utf16(s, n_nul, &len);
	char out[GUID_STR_LEN] = "";
	int r = parse_partuuid(b, len, out);
	if (r != want_r)
		fail_msg("\"%s\" + %zu NUL: got %d, want %d", s, n_nul, r, want_r);
	if (want)
		assert_string_equal(out, want);
	free(b);
}

static void test_partuuid_crafted(void **state)
{
	(void)state;
	char out[GUID_STR_LEN];
	size_t len;
	uint8_t *p = fx_payload("firmware-entry", LDPU, &len);

	/* the real one, cut: odd lengths are never UTF-16 */
	assert_int_equal(parse_partuuid(p, len - 1, out), -EBADMSG);
	assert_int_equal(parse_partuuid(p, 1, out), -EBADMSG);
	/* without its NUL it is still the same GUID */
	assert_int_equal(parse_partuuid(p, len - 2, out), 0);
	assert_string_equal(out, DISK_A);
	/* every shorter even cut is not a GUID */
	for (size_t k = 0; k < len - 2; k += 2)
		assert_int_equal(parse_partuuid(p, k, out), -EBADMSG);
	free(p);

	expect_partuuid("B2413451-73F6-0F49-AB3A-60926F35FE3C", 1, 0, DISK_A);
	expect_partuuid("B2413451-73F6-0F49-AB3A-60926F35FE3C", 3, 0, DISK_A);
	expect_partuuid("b2413451-73f6-0f49-ab3a-60926f35fe3c", 0, 0, DISK_A);
	expect_partuuid("", 1, -EBADMSG, NULL);
	expect_partuuid("not a guid", 1, -EBADMSG, NULL);
	expect_partuuid("B2413451-73F6-0F49-AB3A-60926F35FE3", 1, -EBADMSG, NULL);   /* 35 */
	expect_partuuid("B2413451-73F6-0F49-AB3A-60926F35FE3C0", 1, -EBADMSG, NULL); /* 37 */
	expect_partuuid("B2413451x73F6-0F49-AB3A-60926F35FE3C", 1, -EBADMSG, NULL);
	expect_partuuid("B2413451-73F6-0F49-AB3A-60926F35FE3G", 1, -EBADMSG, NULL);
	expect_partuuid("B2413451-73F6-0F4-9AB3A-60926F35FE3C", 1, -EBADMSG, NULL);
	expect_partuuid("{2413451-73F6-0F49-AB3A-60926F35FE3}", 1, -EBADMSG, NULL);

	/* a non-ASCII character (U+00E9) where a hex digit should be */
	uint8_t *b = utf16("B2413451-73F6-0F49-AB3A-60926F35FE3C", 1, &len);
	b[0] = 0xe9;
	assert_int_equal(parse_partuuid(b, len, out), -EBADMSG);
	b[0] = 'B';
	b[1] = 0x04; /* U+0442 */
	assert_int_equal(parse_partuuid(b, len, out), -EBADMSG);
	b[1] = 0;
	assert_int_equal(parse_partuuid(b, len, out), 0);
	free(b);

	/* something after the terminating NUL */
	b = utf16("B2413451-73F6-0F49-AB3A-60926F35FE3C", 2, &len);
	b[len - 2] = 'X';
	assert_int_equal(parse_partuuid(b, len, out), -EBADMSG);
	free(b);
}

/* ---- BootCurrent ------------------------------------------------------- */

static void check_boot_current(const char *folder, uint16_t expect)
{
	struct mgr_entry e[16];
	unsigned cur_txt;
	mgr_entries(folder, e, 16, &cur_txt);
	assert_int_equal(cur_txt, expect);
	size_t len;
	uint8_t *p = fx_payload(folder, BOOTCURRENT, &len);
	uint16_t cur = 0xffff;
	assert_int_equal(parse_boot_current(p, len, &cur), 0);
	assert_int_equal(cur, expect);
	free(p);
}

static void test_boot_current_firmware_entry(void **state)
{
	(void)state;
	check_boot_current("firmware-entry", 0x0002);
}

static void test_boot_current_hd_entry(void **state)
{
	(void)state;
	check_boot_current("hd-entry", 0x0006);
}

static void test_boot_current_crafted(void **state)
{
	(void)state;
	static const uint8_t b[3] = {0xef, 0xbe, 0x00};
	uint16_t cur = 0;
	assert_int_equal(parse_boot_current(b, 2, &cur), 0);
	assert_int_equal(cur, 0xbeef); /* little-endian */
	assert_int_equal(parse_boot_current(b, 0, &cur), -EBADMSG);
	assert_int_equal(parse_boot_current(b, 1, &cur), -EBADMSG);
	assert_int_equal(parse_boot_current(b, 3, &cur), -EBADMSG);

	/* and through efi_booted_partuuid, which must say which variable */
	static const char *const skip[] = {LDPU, NULL};
	static const uint8_t file[7] = {0x06, 0, 0, 0, 0x06, 0x00, 0x00};
	for (size_t n = 5; n <= 7; n += 2) {
		char *dir = copy_efivars("hd-entry", skip);
		scratch_write(dir, BOOTCURRENT, file, n);
		char out[GUID_STR_LEN];
		enum booted_source how;
		struct capture c;
		capture_begin(&c);
		int r = find_booted(dir, 0, out, &how);
		char *err = capture_end(&c);
		assert_int_equal(r, -EBADMSG);
		assert_non_null(strstr(err, BOOTCURRENT ": malformed"));
		free(err);
		scratch_rm(dir);
	}
}

/* ---- Boot#### ---------------------------------------------------------- */

static void check_every_boot_entry(const char *folder)
{
	struct mgr_entry e[16];
	unsigned cur;
	size_t n = mgr_entries(folder, e, 16, &cur);
	assert_int_equal(n, 7);

	/* as many Boot#### variables as efibootmgr showed */
	char *dir = fx_path(folder, "efivars");
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t files = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		files += strncmp(de->d_name, "Boot0", 5) == 0;
	closedir(d);
	assert_int_equal(files, n);

	size_t with_hd = 0;
	for (size_t i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof name, "Boot%04X", e[i].number);
		uint8_t *data = NULL;
		size_t len = 0;
		assert_int_equal(read_var(dir, name, EFIVARS_GLOBAL_GUID, &data, &len), 0);
		char out[GUID_STR_LEN] = "";
		char desc[128] = "x";
		int r = parse_option(data, len, out, desc, sizeof desc);
		assert_string_equal(desc, e[i].desc);
		if (e[i].partuuid[0]) {
			assert_int_equal(r, 0);
			assert_string_equal(out, e[i].partuuid);
			with_hd++;
		} else {
			assert_int_equal(r, -ENOENT);
		}
		/* desc is optional, and a short buffer truncates */
		assert_int_equal(parse_option(data, len, out, NULL, 0), r);
		char small[5];
		assert_int_equal(parse_option(data, len, out, small, sizeof small), r);
		assert_int_equal(strncmp(small, e[i].desc, 4), 0);
		assert_int_equal(strlen(small), strlen(e[i].desc) < 4 ? strlen(e[i].desc) : 4);
		free(data);
	}
	assert_int_equal(with_hd, 1);
	free(dir);
}

static void test_every_boot_entry_firmware_entry(void **state)
{
	(void)state;
	check_every_boot_entry("firmware-entry");
}

static void test_every_boot_entry_hd_entry(void **state)
{
	(void)state;
	check_every_boot_entry("hd-entry");
}

/* Every truncation of every real load option is refused or has no
 * partition; none crashes (ASan) and none but the whole finds the GUID. */
static void test_truncated_boot_options(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	static const char *const names[] = {"0000", "0001", "0002", "0003", "0004", "0005", "0006"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char file[64], var[16];
		snprintf(var, sizeof var, "Boot%s", names[i]);
		snprintf(file, sizeof file, "%s-%s", var, EFIVARS_GLOBAL_GUID);
		size_t full;
		uint8_t *raw = fx_var("hd-entry", file, &full);
		for (size_t k = 0; k < full; k++) {
			/* through a file ... */
			scratch_write(dir, file, raw, k);
			uint8_t *data = NULL;
			size_t len = 0;
			char out[GUID_STR_LEN];
			char desc[128];
			struct capture c;
			capture_begin(&c);
			int r = read_var(dir, var, EFIVARS_GLOBAL_GUID, &data, &len);
			char *err = capture_end_echo(&c, 0);
			if (k < 4)
				assert_non_null(strstr(err, ": truncated"));
			free(err);
			if (r == 0)
				r = parse_option(data, len, out, desc, sizeof desc);
			free(data);
			if (r != -EBADMSG && r != -ENOENT)
				fail_msg("%s cut to %zu of %zu bytes: %d", var, k, full, r);
			if (strcmp(names[i], "0006") == 0)
				assert_int_equal(r, -EBADMSG); /* no optional data to lose */
			/* ... and as an exact-size buffer */
			if (k >= 4) {
				uint8_t *p = malloc(k - 4 > 0 ? k - 4 : 1);
				memcpy(p, raw + 4, k - 4);
				int r2 = parse_option(p, k - 4, out, desc, sizeof desc);
				assert_int_equal(r2, r);
				free(p);
			}
		}
		free(raw);
	}
	scratch_rm(dir);
}

/* Build a load option: attributes 1, description (ASCII), path bytes, and
 * optional data. Returns an exact-size heap buffer. */
static uint8_t *build_option(const char *desc, const uint8_t *path, size_t pathlen,
			     size_t *len)
{
	size_t dl = 2 * (strlen(desc) + 1);
	*len = 6 + dl + pathlen;
	uint8_t *b = calloc(1, *len);
	assert_non_null(b);
	b[0] = 1;
	b[4] = (uint8_t)(pathlen & 0xff);
	b[5] = (uint8_t)(pathlen >> 8);
	for (size_t i = 0; desc[i]; i++)
		b[6 + 2 * i] = (uint8_t)desc[i];
	memcpy(b + 6 + dl, path, pathlen);
	return b;
}

/* An HD() node of the given length (42 is right) into p. */
static size_t hd_node(uint8_t *p, uint16_t length, uint8_t format, uint8_t sigtype)
{
	/* 9d70e039-6346-674e-a5d5-59d81b1d69c5 as stored: first three fields LE */
	static const uint8_t sig[16] = {0x39, 0xe0, 0x70, 0x9d, 0x46, 0x63, 0x4e, 0x67,
					0xa5, 0xd5, 0x59, 0xd8, 0x1b, 0x1d, 0x69, 0xc5};
	memset(p, 0, 42);
	p[0] = 0x04;
	p[1] = 0x01;
	p[2] = (uint8_t)(length & 0xff);
	p[3] = (uint8_t)(length >> 8);
	p[4] = 1;     /* partition 1 */
	p[13] = 0x08; /* start 0x800 */
	memcpy(p + 24, sig, 16);
	p[40] = format;
	p[41] = sigtype;
	return 42;
}

static size_t end_node(uint8_t *p, uint16_t length)
{
	p[0] = 0x7f;
	p[1] = 0xff;
	p[2] = (uint8_t)(length & 0xff);
	p[3] = (uint8_t)(length >> 8);
	return 4;
}

static int parse_built(const uint8_t *path, size_t pathlen, char out[GUID_STR_LEN])
{
	size_t len;
	uint8_t *b = build_option("crafted", path, pathlen, &len);
	char desc[32];
	int r = parse_option(b, len, out, desc, sizeof desc);
	if (r != -EBADMSG)
		assert_string_equal(desc, "crafted");
	free(b);
	return r;
}

static void test_hd_crafted(void **state)
{
	(void)state;
	uint8_t path[128];
	char out[GUID_STR_LEN];
	size_t n;

	/* sanity of the builder: a right GPT HD() + End */
	n = hd_node(path, 42, 0x02, 0x02);
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), 0);
	assert_string_equal(out, DISK_B);

	/* MBR disks: HD() without a partition GUID */
	n = hd_node(path, 42, 0x01, 0x01);
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), -ENOENT);
	n = hd_node(path, 42, 0x01, 0x02);
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), -ENOENT);
	n = hd_node(path, 42, 0x02, 0x00);
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), -ENOENT);

	/* an MBR HD() then a GPT one: the GPT one is found */
	n = hd_node(path, 42, 0x01, 0x01);
	n += hd_node(path + n, 42, 0x02, 0x02);
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), 0);
	assert_string_equal(out, DISK_B);

	/* an HD() too short for its fields, with consistent lengths */
	n = hd_node(path, 20, 0x02, 0x02);
	n = 20;
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), -EBADMSG);

	/* only an End node: valid, no partition */
	n = end_node(path, 4);
	assert_int_equal(parse_built(path, n, out), -ENOENT);

	/* no End node */
	n = hd_node(path, 42, 0x02, 0x02);
	assert_int_equal(parse_built(path, n, out), -EBADMSG);

	/* End node of length 0 (libefiboot's validator would spin on it) */
	n = hd_node(path, 42, 0x02, 0x02);
	n += end_node(path + n, 0);
	assert_int_equal(parse_built(path, n, out), -EBADMSG);
	/* ... and first */
	n = end_node(path, 0);
	assert_int_equal(parse_built(path, 4, out), -EBADMSG);
	/* End node of length 8 */
	n = hd_node(path, 42, 0x02, 0x02);
	n += end_node(path + n, 8);
	memset(path + n, 0, 4);
	assert_int_equal(parse_built(path, n + 4, out), -EBADMSG);

	/* HD() node lengths that lie */
	static const uint16_t lies[] = {0, 1, 3, 4, 41, 43, 46, 200, 0xffff};
	for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
		n = hd_node(path, lies[i], 0x02, 0x02);
		n += end_node(path + n, 4);
		int r = parse_built(path, n, out);
		if (r != -EBADMSG)
			fail_msg("HD() length %u: %d", lies[i], r);
	}

	/* an unknown node type */
	n = hd_node(path, 42, 0x02, 0x02);
	path[0] = 0x42;
	n += end_node(path + n, 4);
	assert_int_equal(parse_built(path, n, out), -EBADMSG);

	/* an empty path list */
	assert_int_equal(parse_built(path, 0, out), -EBADMSG);
}

/* Lying lengths in the real Boot0006 of hd-entry. */
static void test_lying_lengths_real_option(void **state)
{
	(void)state;
	size_t len;
	uint8_t *orig = fx_payload("hd-entry", BOOTVAR("0006"), &len);
	uint8_t *p = malloc(len);
	char out[GUID_STR_LEN];
	uint16_t fpll = (uint16_t)(orig[4] | orig[5] << 8);
	assert_int_equal(fpll, 116); /* HD(42) + File(70) + End(4) */
	/* where the HD() node is */
	static const uint8_t hd_hdr[4] = {0x04, 0x01, 0x2a, 0x00};
	uint8_t *hd = memmem(orig, len, hd_hdr, sizeof hd_hdr);
	assert_non_null(hd);
	size_t hd_off = (size_t)(hd - orig);

	memcpy(p, orig, len);
	assert_int_equal(parse_option(p, len, out, NULL, 0), 0);
	assert_string_equal(out, DISK_B);

	/* FilePathListLength too large, too small, zero */
	static const int deltas[] = {1, 2, 4, 100, -1, -2, -4, -70, -112, -115, -116};
	for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
		memcpy(p, orig, len);
		uint16_t v = (uint16_t)(fpll + deltas[i]);
		p[4] = (uint8_t)(v & 0xff);
		p[5] = (uint8_t)(v >> 8);
		int r = parse_option(p, len, out, NULL, 0);
		if (r != -EBADMSG)
			fail_msg("FilePathListLength %u (real %u): %d", v, fpll, r);
	}
	memcpy(p, orig, len);
	p[4] = p[5] = 0xff;
	assert_int_equal(parse_option(p, len, out, NULL, 0), -EBADMSG);

	/* the HD() node's own length (112 would swallow the File() node and
	 * still tile the list: a consistent, if odd, option) */
	static const uint16_t lies[] = {0, 2, 4, 41, 43, 110, 116, 117, 0xffff};
	for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
		memcpy(p, orig, len);
		p[hd_off + 2] = (uint8_t)(lies[i] & 0xff);
		p[hd_off + 3] = (uint8_t)(lies[i] >> 8);
		int r = parse_option(p, len, out, NULL, 0);
		if (r != -EBADMSG)
			fail_msg("HD() length %u: %d", lies[i], r);
	}

	/* the End node's length: 0 would make libefiboot loop forever */
	for (uint16_t v = 0; v < 8; v++) {
		if (v == 4)
			continue;
		memcpy(p, orig, len);
		p[len - 2] = (uint8_t)v;
		assert_int_equal(parse_option(p, len, out, NULL, 0), -EBADMSG);
	}

	/* the description's terminator removed: it runs into the path */
	memcpy(p, orig, len);
	for (size_t i = 6; i < hd_off; i++)
		if (p[i] == 0)
			p[i] = 'A';
	assert_int_equal(parse_option(p, len, out, NULL, 0), -EBADMSG);
	/* ... and a buffer with no 16-bit NUL at all */
	memset(p, 'A', len);
	assert_int_equal(parse_option(p, len, out, NULL, 0), -EBADMSG);

	/* MBR signature in the real node */
	memcpy(p, orig, len);
	p[hd_off + 40] = 0x01;
	p[hd_off + 41] = 0x01;
	char desc[64];
	assert_int_equal(parse_option(p, len, out, desc, sizeof desc), -ENOENT);
	assert_string_equal(desc, "Linux Boot Manager (b)");

	free(p);
	free(orig);
}

/* Random damage to real options: any answer but a crash or a wrong kind
 * of error. A fixed seed keeps it reproducible. */
static void test_fuzz_real_options(void **state)
{
	(void)state;
	static const char *const files[] = {BOOTVAR("0006"), BOOTVAR("0002"), BOOTVAR("0000")};
	uint32_t seed = 0x2545f491;
	size_t found = 0, none = 0, bad = 0;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len;
		uint8_t *orig = fx_payload("firmware-entry", files[f], &len);
		for (int iter = 0; iter < 20000; iter++) {
			seed = seed * 1664525u + 1013904223u;
			size_t n = len - (seed >> 28) % 4 * ((seed >> 20) % 3 == 0);
			uint8_t *p = malloc(n > 0 ? n : 1);
			memcpy(p, orig, n);
			int flips = 1 + (int)((seed >> 8) % 4);
			for (int k = 0; k < flips; k++) {
				seed = seed * 1664525u + 1013904223u;
				size_t at = (seed >> 8) % n;
				/* bias towards length-ish values */
				static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x03, 0x04,
							       0x2a, 0x7f, 0xff};
				p[at] = (seed & 1) ? vals[(seed >> 4) % 8] : (uint8_t)(seed >> 16);
			}
			char out[GUID_STR_LEN] = "";
			char desc[128];
			int r = parse_option(p, n, out, desc, sizeof desc);
			if (r != 0 && r != -ENOENT && r != -EBADMSG)
				fail_msg("%s iteration %d: %d", files[f], iter, r);
			if (r == 0)
				assert_true(is_lower_guid(out));
			found += r == 0;
			none += r == -ENOENT;
			bad += r == -EBADMSG;
			for (const char *c = desc; *c; c++)
				assert_true(*c >= 0x20 && *c < 0x7f);
			free(p);
		}
		free(orig);
	}
	/* the damage reached every outcome, not only the first check */
	print_message("fuzz: %zu found, %zu without partition, %zu malformed\n", found, none, bad);
	assert_true(found > 1000 && none > 1000 && bad > 1000);
}

/* ---- efi_booted_partuuid ----------------------------------------------- */

static void check_booted(const char *folder, const char *expect)
{
	char *dir = fx_path(folder, "efivars");
	char out[GUID_STR_LEN] = "";
	enum booted_source how = BOOTED_BOOTCURRENT;
	assert_int_equal(find_booted(dir, 0, out, &how), 0);
	assert_string_equal(out, expect);
	assert_int_equal(how, BOOTED_LOADER);
	free(dir);
}

static void test_booted_firmware_entry(void **state)
{
	(void)state;
	check_booted("firmware-entry", DISK_A);
}

static void test_booted_hd_entry(void **state)
{
	(void)state;
	check_booted("hd-entry", DISK_B);
}

/* Found through LoaderDevicePartUUID, the Boot#### the firmware started is
 * still known (BootCurrent): sync puts the entries it makes right after it
 * in BootOrder. The lab found them appended after the firmware's own
 * entries (EFI Internal Shell among them) when it was not. */
static void check_booted_boot_current(const char *folder, int expect)
{
	char *dir = fx_path(folder, "efivars");
	struct booted b;
	struct reason why;
	assert_int_equal(booted_find(dir, 0, &b, &why), 0);
	assert_int_equal(b.how, BOOTED_LOADER);
	assert_int_equal(b.boot_current, expect);
	free(dir);
}

static void test_booted_loader_boot_current(void **state)
{
	(void)state;
	check_booted_boot_current("firmware-entry", 0x0002);
	check_booted_boot_current("hd-entry", 0x0006);
}

static void test_booted_loader_no_boot_current(void **state)
{
	(void)state;
	static const char *const skip[] = {"BootCurrent-" EFIVARS_GLOBAL_GUID, NULL};
	char *dir = copy_efivars("firmware-entry", skip);
	struct booted b;
	struct reason why;
	assert_int_equal(booted_find(dir, 0, &b, &why), 0);
	assert_int_equal(b.how, BOOTED_LOADER);
	assert_int_equal(b.boot_current, -1);
	scratch_rm(dir);
}

static void test_fallback_hd_entry(void **state)
{
	(void)state;
	static const char *const skip[] = {LDPU, NULL};
	char *dir = copy_efivars("hd-entry", skip);
	char out[GUID_STR_LEN] = "";
	enum booted_source how = BOOTED_LOADER;
	assert_int_equal(find_booted(dir, 0, out, &how), 0);
	assert_string_equal(out, DISK_B);
	assert_int_equal(how, BOOTED_BOOTCURRENT);
	scratch_rm(dir);
}

static void test_fallback_firmware_entry(void **state)
{
	(void)state;
	static const char *const skip[] = {LDPU, NULL};
	char *dir = copy_efivars("firmware-entry", skip);
	char *err = booted_expect_failure(dir, 0, -ENOENT, NULL);
	/* one clear line: which entry, what it is, what is missing */
	assert_non_null(strstr(err, "BootCurrent Boot0002 (\"UEFI QEMU NVMe Ctrl diska 1\")"));
	assert_non_null(strstr(err, "no HD() partition node"));
	assert_non_null(strstr(err, "LoaderDevicePartUUID"));
	assert_int_equal(strchr(err, '\n') - err + 1, strlen(err));
	free(err);
	scratch_rm(dir);
}

static void test_fallback_missing_option(void **state)
{
	(void)state;
	static const char *const skip[] = {LDPU, NULL};
	char *dir = copy_efivars("hd-entry", skip);
	static const uint8_t cur[6] = {0x06, 0, 0, 0, 0x0a, 0x00}; /* Boot000A */
	scratch_write(dir, BOOTCURRENT, cur, sizeof cur);
	char *err = booted_expect_failure(dir, 0, -ENOENT, NULL);
	assert_non_null(strstr(err, "Boot000A, which does not exist"));
	free(err);

	/* BootCurrent names a malformed option */
	size_t n;
	uint8_t *raw = fx_var("hd-entry", BOOTVAR("0006"), &n);
	raw[n - 2] = 0; /* End node length 0 */
	scratch_write(dir, BOOTVAR("000A"), raw, n);
	free(raw);
	err = booted_expect_failure(dir, 0, -EBADMSG, NULL);
	assert_non_null(strstr(err, BOOTVAR("000A") ": malformed load option"));
	free(err);
	scratch_rm(dir);
}

static void test_malformed_loader_var_no_fallback(void **state)
{
	(void)state;
	char *dir = copy_efivars("hd-entry", NULL);
	size_t n;
	uint8_t *raw = fx_var("hd-entry", LDPU, &n);
	scratch_write(dir, LDPU, raw, n - 1); /* odd payload */
	free(raw);
	/* BootCurrent would name disk b, but a broken loader answer is not
	 * papered over */
	char *err = booted_expect_failure(dir, 0, -EBADMSG, NULL);
	assert_non_null(strstr(err, LDPU ": malformed (odd length 73"));
	free(err);
	scratch_rm(dir);
}

static void test_no_efivars_waits_then_fails(void **state)
{
	(void)state;
	char *dir = scratch_dir(); /* efivarfs "not mounted yet": empty */
	unsigned long ms;
	char *err = booted_expect_failure(dir, 120, -ENOENT, &ms);
	assert_true(ms >= 120); /* it did wait */
	assert_non_null(strstr(err, "not booted through UEFI, or efivarfs not mounted"));
	free(err);

	err = booted_expect_failure("/nonexistent-efivars", 0, -ENOENT, NULL);
	assert_non_null(strstr(err, "/nonexistent-efivars"));
	free(err);
	scratch_rm(dir);
}

/* No /sys/firmware/efi at all (a BIOS boot, a container): no variable can
 * ever appear, so bind must fail at once instead of spending its wait. */
static void test_no_firmware_dir_fails_at_once(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	char *efivars = NULL;
	assert_true(asprintf(&efivars, "%s/efi/efivars", dir) > 0); /* no "efi" */
	unsigned long ms;
	char *err = booted_expect_failure(efivars, 60000, -ENOENT, &ms);
	assert_true(ms < 30000); /* did not spend the 60 s wait */
	assert_non_null(strstr(err, "not booted through UEFI"));
	char *firmware_dir = NULL;
	assert_true(asprintf(&firmware_dir, "%s/efi does not exist", dir) > 0);
	assert_non_null(strstr(err, firmware_dir));
	free(firmware_dir);
	free(err);
	free(efivars);
	scratch_rm(dir);
}

/* BootCurrent present, loader variable absent: no systemd-boot, so the
 * long wait must not be spent. */
static void test_no_wait_when_populated(void **state)
{
	(void)state;
	static const char *const skip[] = {LDPU, NULL};
	char *dir = copy_efivars("hd-entry", skip);
	char out[GUID_STR_LEN];
	enum booted_source how;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(find_booted(dir, 10000, out, &how), 0);
	assert_true(ms_since(&t0) < 5000);
	assert_string_equal(out, DISK_B);
	assert_int_equal(how, BOOTED_BOOTCURRENT);
	scratch_rm(dir);
}

/* The loader variable appears while we wait (efivarfs mounted late). */
static void test_waits_for_loader_var(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	size_t n;
	uint8_t *raw = fx_var("firmware-entry", LDPU, &n);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct timespec ts = {0, 150 * 1000000L};
		nanosleep(&ts, NULL);
		scratch_write(dir, "tmp", raw, n);
		char *from = scratch_path(dir, "tmp"), *to = scratch_path(dir, LDPU);
		_exit(rename(from, to) == 0 ? 0 : 1);
	}
	char out[GUID_STR_LEN] = "";
	enum booted_source how = BOOTED_BOOTCURRENT;
	int r = find_booted(dir, 10000, out, &how);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(r, 0);
	assert_string_equal(out, DISK_A);
	assert_int_equal(how, BOOTED_LOADER);
	free(raw);
	scratch_rm(dir);
}

/* ---- efi_list_boot_entries --------------------------------------------- */

static void check_list(const char *folder)
{
	char *dir = fx_path(folder, "efivars");
	struct hd_entry *e = NULL;
	assert_int_equal(list_hd_entries(dir, &e), 1);
	assert_non_null(e);
	assert_int_equal(e[0].number, 6);
	assert_string_equal(e[0].partuuid, DISK_B);
	assert_string_equal(e[0].description, "Linux Boot Manager (b)");
	free(e);
	free(dir);
}

static void test_list_firmware_entry(void **state)
{
	(void)state;
	check_list("firmware-entry");
}

static void test_list_hd_entry(void **state)
{
	(void)state;
	check_list("hd-entry");
}

static void test_list_crafted_dir(void **state)
{
	(void)state;
	char *dir = copy_efivars("hd-entry", NULL);
	size_t n;
	uint8_t *b6 = fx_var("hd-entry", BOOTVAR("0006"), &n);
	/* names that are not Boot#### of the global GUID: ignored */
	scratch_write(dir, "Boot000a-" EFIVARS_GLOBAL_GUID, b6, n);
	scratch_write(dir, "Boot00061-" EFIVARS_GLOBAL_GUID, b6, n);
	scratch_write(dir, "Boot006-" EFIVARS_GLOBAL_GUID, b6, n);
	scratch_write(dir, "Boot0007-" EFIVARS_LOADER_GUID, b6, n);
	scratch_write(dir, "Boot0007-" EFIVARS_GLOBAL_GUID "x", b6, n);
	scratch_write(dir, "BootNext-" EFIVARS_GLOBAL_GUID, b6, n);
	/* a malformed entry: skipped with a warning */
	scratch_write(dir, BOOTVAR("0003"), b6, n - 1);
	/* a second HD() entry, numbered before and after */
	scratch_write(dir, BOOTVAR("FFFF"), b6, n);
	scratch_write(dir, BOOTVAR("0001"), b6, n);
	free(b6);

	struct hd_entry *e = NULL;
	struct capture c;
	capture_begin(&c);
	int r = list_hd_entries(dir, &e);
	char *err = capture_end(&c);
	assert_int_equal(r, 3);
	assert_int_equal(e[0].number, 0x0001);
	assert_int_equal(e[1].number, 0x0006);
	assert_int_equal(e[2].number, 0xffff);
	for (int i = 0; i < 3; i++)
		assert_string_equal(e[i].partuuid, DISK_B);
	assert_non_null(strstr(err, BOOTVAR("0003") ": skipped"));
	free(err);
	free(e);
	scratch_rm(dir);

	/* an empty directory: none */
	dir = scratch_dir();
	e = (struct hd_entry *)&r; /* must be reset */
	assert_int_equal(list_hd_entries(dir, &e), 0);
	assert_null(e);
	scratch_rm(dir);

	/* no directory at all: -ENOENT, quietly */
	capture_begin(&c);
	r = list_hd_entries("/nonexistent-efivars", &e);
	err = capture_end(&c);
	assert_int_equal(r, -ENOENT);
	assert_string_equal(err, "");
	free(err);
}

/* ---- efi_uuid_equal ---------------------------------------------------- */

static void test_uuid_equal(void **state)
{
	(void)state;
	assert_true(guid_equal(DISK_A, DISK_A));
	assert_true(guid_equal(DISK_A, "B2413451-73F6-0F49-AB3A-60926F35FE3C"));
	assert_true(guid_equal("B2413451-73F6-0F49-AB3A-60926F35FE3C", DISK_A));
	assert_true(guid_equal("b2413451-73F6-0f49-AB3a-60926f35FE3C", DISK_A));
	assert_false(guid_equal(DISK_A, DISK_B));
	assert_false(guid_equal(DISK_A, "b2413451-73f6-0f49-ab3a-60926f35fe3d"));
	assert_false(guid_equal(DISK_A, "b2413451-73f6-0f49-ab3a-60926f35fe3"));
	assert_false(guid_equal(DISK_A, DISK_A "0"));
	assert_false(guid_equal(DISK_A, ""));
	assert_false(guid_equal("", ""));
	assert_false(guid_equal(NULL, DISK_A));
	assert_false(guid_equal(DISK_A, NULL));
	assert_false(guid_equal(NULL, NULL));
}

/* ---- loadopt_build ------------------------------------------------------- */

/* The entry this program makes for an ESP is, byte for byte, the one
 * `efibootmgr -c -d /dev/nvme1n1 -p 1 -L "Linux Boot Manager (b)" -l
 * '\EFI\systemd\systemd-bootx64.efi'` wrote to real firmware (the
 * fixture hd-entry's Boot0006), and both this program's parser and
 * libefiboot read it back as the same device path. */
static void test_build_equals_efibootmgr(void **state)
{
	(void)state;
	size_t flen;
	uint8_t *fix = fx_payload("hd-entry", BOOTVAR("0006"), &flen);
	struct loadopt_spec spec = {
		.attributes = LOADOPT_ACTIVE,
		.description = "Linux Boot Manager (b)",
		.part_number = 1,
		.part_start = 0x800,
		.part_size = 0x5cc60,
		.partuuid = DISK_B,
		.file = "\\EFI\\systemd\\systemd-bootx64.efi",
	};
	uint8_t buf[LOADOPT_BUILD_MAX];
	ssize_t n = loadopt_build(&spec, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal((size_t)n, flen);
	assert_memory_equal(buf, fix, flen);

	struct loadopt lo;
	struct reason why;
	assert_int_equal(loadopt_parse(buf, (size_t)n, &lo, &why), 0);
	assert_true(lo.has_hd && lo.short_form);
	assert_string_equal(lo.partuuid, DISK_B);
	assert_int_equal(lo.part_number, 1);
	assert_int_equal(lo.part_start, 0x800);
	assert_int_equal(lo.part_size, 0x5cc60);
	assert_string_equal(lo.file, "\\EFI\\systemd\\systemd-bootx64.efi");
	assert_string_equal(lo.description, "Linux Boot Manager (b)");
	assert_int_equal(lo.attributes, LOADOPT_ACTIVE);

	efi_load_option *opt = (efi_load_option *)buf;
	assert_true(efi_loadopt_is_valid(opt, (size_t)n));
	char text[512];
	efidp dp = efi_loadopt_path(opt, n);
	assert_non_null(dp);
	assert_true(efidp_format_device_path(text, sizeof text, dp, efi_loadopt_pathlen(opt, n)) > 0);
	assert_string_equal(text, "HD(1,GPT," DISK_B ",0x800,0x5cc60)/File(\\EFI\\systemd\\systemd-bootx64.efi)");
	free(fix);

	/* Refused: not a GUID, a description or path that is not printable
	 * ASCII, no room. */
	struct loadopt_spec bad = spec;
	bad.partuuid = "not-a-guid";
	assert_int_equal(loadopt_build(&bad, buf, sizeof buf), -EINVAL);
	bad = spec;
	bad.description = "Linux\x1b[31m";
	assert_int_equal(loadopt_build(&bad, buf, sizeof buf), -EINVAL);
	bad = spec;
	bad.file = "\\EFI\\\xc3\xa9";
	assert_int_equal(loadopt_build(&bad, buf, sizeof buf), -EINVAL);
	assert_int_equal(loadopt_build(&spec, buf, 20), -ENOSPC);

	/* An empty description right after a longer one, in the same buffer:
	 * libefiboot writes no terminator for it (found by fuzz_loadopt's
	 * round trip); the option must still be the one asked for. */
	bad = spec;
	bad.description = "abc";
	assert_true(loadopt_build(&bad, buf, sizeof buf) > 0);
	bad.description = "";
	n = loadopt_build(&bad, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(loadopt_parse(buf, (size_t)n, &lo, &why), 0);
	assert_string_equal(lo.description, "");
	assert_string_equal(lo.file, spec.file);
}

int main(void)
{
	scratch_fixtures(); /* dies loudly if FIXTURES is unset */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_var_strips_attributes),
		cmocka_unit_test(test_read_var_absent),
		cmocka_unit_test(test_read_var_short_files),
		cmocka_unit_test(test_read_var_oversized),
		cmocka_unit_test(test_loader_partuuid_firmware_entry),
		cmocka_unit_test(test_loader_partuuid_hd_entry),
		cmocka_unit_test(test_partuuid_crafted),
		cmocka_unit_test(test_boot_current_firmware_entry),
		cmocka_unit_test(test_boot_current_hd_entry),
		cmocka_unit_test(test_boot_current_crafted),
		cmocka_unit_test(test_every_boot_entry_firmware_entry),
		cmocka_unit_test(test_every_boot_entry_hd_entry),
		cmocka_unit_test(test_truncated_boot_options),
		cmocka_unit_test(test_hd_crafted),
		cmocka_unit_test(test_lying_lengths_real_option),
		cmocka_unit_test(test_fuzz_real_options),
		cmocka_unit_test(test_booted_firmware_entry),
		cmocka_unit_test(test_booted_hd_entry),
		cmocka_unit_test(test_booted_loader_boot_current),
		cmocka_unit_test(test_booted_loader_no_boot_current),
		cmocka_unit_test(test_fallback_hd_entry),
		cmocka_unit_test(test_fallback_firmware_entry),
		cmocka_unit_test(test_fallback_missing_option),
		cmocka_unit_test(test_malformed_loader_var_no_fallback),
		cmocka_unit_test(test_no_efivars_waits_then_fails),
		cmocka_unit_test(test_no_firmware_dir_fails_at_once),
		cmocka_unit_test(test_no_wait_when_populated),
		cmocka_unit_test(test_waits_for_loader_var),
		cmocka_unit_test(test_list_firmware_entry),
		cmocka_unit_test(test_list_hd_entry),
		cmocka_unit_test(test_list_crafted_dir),
		cmocka_unit_test(test_uuid_equal),
		cmocka_unit_test(test_build_equals_efibootmgr),
	};
	return cmocka_run_group_tests_name("efi", tests, NULL, NULL);
}
