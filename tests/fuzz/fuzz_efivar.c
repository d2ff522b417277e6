/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz_efivar: the EFI variable readers on an efivarfs-like directory
 * built from the input, and the payload parsers on its bytes.
 *
 * Input: one mode byte (bit 0: no firmware directory at all, as on a
 * BIOS boot; bit 1: the "pad" flag below pads to exactly the bound
 * instead of one byte over), then records: one byte naming the variable
 * (its low 6 bits index vars[] below, modulo its size; +0x80 makes it a
 * directory instead of a file; +0x40 pads the data with zeros to the read
 * bound, or one byte over), two little-endian bytes of length and that
 * many bytes, the file as efivarfs shows it (4 attribute bytes, then the
 * payload). A later record of the same variable replaces the earlier one.
 *
 * Invariants:
 *  - efivars_read of every variable agrees with what was written: the
 *    payload and attributes, -ENOENT (no reason) when absent, -EBADMSG
 *    under 4 bytes, -EFBIG over EFIVARS_MAX, an error naming the variable
 *    for a directory;
 *  - booted_parse_partuuid and booted_parse_boot_current, on each
 *    payload and on the whole input: 0 or -EBADMSG with a reason; a
 *    partuuid is the payload's GUID in lower case;
 *  - booted_find (wait 0) gives what the rules of booted.h give from the
 *    files written (LoaderDevicePartUUID, else BootCurrent -> Boot#### ->
 *    loadopt_parse's HD()), and a failure has a one-line reason;
 *  - efivars_list_boot lists exactly the Boot#### (upper-case hex) names. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "booted.h"
#include "efivars.h"
#include "fuzz.h"
#include "loadopt.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct var {
	const char *name, *guid;
} vars[] = {
	{ "LoaderDevicePartUUID", EFIVARS_LOADER_GUID },
	{ "BootCurrent", EFIVARS_GLOBAL_GUID },
	{ "Boot0000", EFIVARS_GLOBAL_GUID },
	{ "Boot0001", EFIVARS_GLOBAL_GUID },
	{ "Boot0002", EFIVARS_GLOBAL_GUID },
	{ "Boot0006", EFIVARS_GLOBAL_GUID },
	{ "BootFFFF", EFIVARS_GLOBAL_GUID },
	{ "Boot000a", EFIVARS_GLOBAL_GUID }, /* lower case: not a Boot#### name */
	{ "BootOrder", EFIVARS_GLOBAL_GUID },
};
#define NVARS (sizeof vars / sizeof vars[0])
enum { V_LDPU, V_BOOTCURRENT };

/* What the scratch directory holds for each variable. */
enum state { ABSENT, FILE_, DIR_ };
struct written {
	enum state state;
	uint8_t *bytes; /* FILE_: the whole file */
	size_t len;
};

static struct written w[NVARS];
static char efi_dir[300], efivars_dir[320];

static void reset(void)
{
	for (size_t i = 0; i < NVARS; i++) {
		free(w[i].bytes);
		w[i] = (struct written){ 0 };
	}
}

static void var_path(size_t i, char *out, size_t n)
{
	snprintf(out, n, "%s/%s-%s", efivars_dir, vars[i].name, vars[i].guid);
}

static int llvm_initialized;

static void init(void)
{
	const char *root = fuzz_scratch("efivar");
	snprintf(efi_dir, sizeof efi_dir, "%s/efi", root);
	snprintf(efivars_dir, sizeof efivars_dir, "%s/efivars", efi_dir);
	log_set_level(LOG_LEVEL_ERROR);
	llvm_initialized = 1;
}

static bool is_upper_hex4(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return s[4] == '\0';
}

static void check_reason_line(const struct reason *why, const char *what)
{
	FUZZ_ASSERT(!reason_empty(why), "%s: failure without a reason", what);
	FUZZ_ASSERT(!strchr(why->text, '\n'), "%s: reason of more than one line: %s", what, why->text);
}

/* The parsers on one payload. */
static void check_parsers(const uint8_t *p, size_t len)
{
	char uuid[GUID_STR_LEN];
	struct reason why;
	int r = booted_parse_partuuid(p, len, uuid, &why);
	FUZZ_ASSERT(r == 0 || r == -EBADMSG, "booted_parse_partuuid returned %d", r);
	if (r < 0)
		check_reason_line(&why, "booted_parse_partuuid");
	else {
		FUZZ_ASSERT(fuzz_lower_guid(uuid), "partuuid \"%s\"", uuid);
		/* The payload: 36 UTF-16LE characters equal to uuid but for
		 * case, then nothing but NULs. */
		FUZZ_ASSERT(len >= 72 && len % 2 == 0, "a GUID from %zu bytes", len);
		for (size_t i = 0; i < len / 2; i++) {
			unsigned c = p[2 * i] | p[2 * i + 1] << 8;
			if (i < 36) {
				unsigned l = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
				FUZZ_ASSERT(l == (unsigned char)uuid[i], "character %zu is U+%04X", i, c);
			} else
				FUZZ_ASSERT(c == 0, "U+%04X after the GUID", c);
		}
	}

	uint16_t cur;
	r = booted_parse_boot_current(p, len, &cur, &why);
	FUZZ_ASSERT(r == (len == 2 ? 0 : -EBADMSG), "booted_parse_boot_current(%zu bytes) = %d", len, r);
	if (r == 0)
		FUZZ_ASSERT(cur == (p[0] | p[1] << 8), "BootCurrent %04x", cur);
	else
		check_reason_line(&why, "booted_parse_boot_current");
}

/* What efivars_read must return for variable i. */
static int expected_read(size_t i)
{
	switch (w[i].state) {
	case ABSENT:
		return -ENOENT;
	case DIR_:
		return -EISDIR;
	case FILE_:
		break;
	}
	if (w[i].len < 4)
		return -EBADMSG;
	if (w[i].len - 4 > EFIVARS_MAX)
		return -EFBIG;
	return 0;
}

static void check_reads(void)
{
	for (size_t i = 0; i < NVARS; i++) {
		uint8_t *d = NULL;
		size_t len = 0;
		uint32_t attr = 0;
		struct reason why;
		int r = efivars_read(efivars_dir, vars[i].name, vars[i].guid, &attr, &d, &len, &why);
		int want = expected_read(i);
		FUZZ_ASSERT(r == want, "efivars_read %s: %d, expected %d", vars[i].name, r, want);
		if (r == 0) {
			const uint8_t *b = w[i].bytes;
			FUZZ_ASSERT(len == w[i].len - 4, "%s: %zu bytes, %zu written", vars[i].name, len,
				    w[i].len - 4);
			FUZZ_ASSERT(memcmp(d, b + 4, len) == 0, "%s: payload differs", vars[i].name);
			FUZZ_ASSERT(attr == ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
					     (uint32_t)b[3] << 24),
				    "%s: attributes %08x", vars[i].name, attr);
			FUZZ_ASSERT(reason_empty(&why), "%s: read with a reason", vars[i].name);
			check_parsers(d, len);
			free(d);
		} else if (r == -ENOENT) {
			FUZZ_ASSERT(reason_empty(&why), "%s: absence with a reason: %s", vars[i].name,
				    why.text);
		} else {
			check_reason_line(&why, vars[i].name);
			FUZZ_ASSERT(strstr(why.text, vars[i].name) && strstr(why.text, vars[i].guid),
				    "reason does not name the variable: %s", why.text);
		}
	}
}

/* BootCurrent as written, or -1 when it cannot be read or parsed. */
static int expected_boot_current(void)
{
	uint16_t cur;
	struct reason why;
	if (expected_read(V_BOOTCURRENT) < 0 ||
	    booted_parse_boot_current(w[V_BOOTCURRENT].bytes + 4, w[V_BOOTCURRENT].len - 4, &cur,
				      &why) < 0)
		return -1;
	return cur;
}

/* booted.h's rules, from the table of what was written. */
static int expected_booted(bool no_firmware, struct booted *want)
{
	*want = (struct booted){ .boot_current = -1 };
	if (no_firmware)
		return -ENOENT;
	int r = expected_read(V_LDPU);
	if (r == 0) {
		struct reason why;
		r = booted_parse_partuuid(w[V_LDPU].bytes + 4, w[V_LDPU].len - 4, want->partuuid, &why);
		want->how = BOOTED_LOADER;
		/* Kept beside the loader's answer: sync puts the entries it
		 * makes right after it in BootOrder. */
		want->boot_current = expected_boot_current();
		return r;
	}
	if (r != -ENOENT)
		return r;
	r = expected_read(V_BOOTCURRENT);
	if (r < 0)
		return r;
	uint16_t cur;
	struct reason why;
	r = booted_parse_boot_current(w[V_BOOTCURRENT].bytes + 4, w[V_BOOTCURRENT].len - 4, &cur,
				      &why);
	if (r < 0)
		return r;
	want->boot_current = cur;
	char name[16];
	snprintf(name, sizeof name, "Boot%04X", (unsigned)cur);
	size_t i;
	for (i = 0; i < NVARS; i++)
		if (strcmp(vars[i].name, name) == 0)
			break;
	if (i == NVARS)
		return -ENOENT;
	r = expected_read(i);
	if (r < 0)
		return r;
	struct loadopt lo;
	r = loadopt_parse(w[i].bytes + 4, w[i].len - 4, &lo, &why);
	if (r < 0)
		return r;
	if (!lo.has_hd)
		return -ENOENT;
	memcpy(want->partuuid, lo.partuuid, sizeof want->partuuid);
	want->how = BOOTED_BOOTCURRENT;
	return 0;
}

static void check_booted(bool no_firmware)
{
	struct booted b, want;
	struct reason why;
	int r = booted_find(efivars_dir, 0, &b, &why);
	int e = expected_booted(no_firmware, &want);
	FUZZ_ASSERT(r == e, "booted_find = %d, expected %d (%s)", r, e, why.text);
	if (r < 0) {
		check_reason_line(&why, "booted_find");
		return;
	}
	FUZZ_ASSERT(fuzz_lower_guid(b.partuuid), "booted partuuid \"%s\"", b.partuuid);
	FUZZ_ASSERT(strcmp(b.partuuid, want.partuuid) == 0, "booted %s, expected %s", b.partuuid,
		    want.partuuid);
	FUZZ_ASSERT(b.how == want.how, "booted through %s", booted_source_name(b.how));
	FUZZ_ASSERT(b.boot_current == want.boot_current, "BootCurrent %d, expected %d (through %s)",
		    b.boot_current, want.boot_current, booted_source_name(b.how));
}

static int num_cmp(const void *a, const void *b)
{
	return *(const uint16_t *)a - *(const uint16_t *)b;
}

static void check_list(bool no_firmware)
{
	uint16_t *nums = NULL;
	int n = efivars_list_boot(efivars_dir, &nums);
	if (no_firmware) {
		FUZZ_ASSERT(n == -ENOENT, "efivars_list_boot without a directory: %d", n);
		return;
	}
	uint16_t want[NVARS];
	int k = 0;
	for (size_t i = 0; i < NVARS; i++)
		if (w[i].state != ABSENT && strncmp(vars[i].name, "Boot", 4) == 0 &&
		    is_upper_hex4(vars[i].name + 4))
			want[k++] = (uint16_t)strtoul(vars[i].name + 4, NULL, 16);
	qsort(want, (size_t)k, sizeof *want, num_cmp);
	FUZZ_ASSERT(n == k, "efivars_list_boot: %d, expected %d", n, k);
	for (int i = 0; i < k; i++)
		FUZZ_ASSERT(nums[i] == want[i], "Boot%04X listed, Boot%04X expected", nums[i], want[i]);
	free(nums);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!llvm_initialized)
		init();
	struct fuzz_in in = { .p = data, .n = size };
	uint8_t mode = fuzz_byte(&in);
	bool no_firmware = mode & 1;
	size_t pad_to = EFIVARS_MAX + 4 + ((mode & 2) ? 0 : 1);

	fuzz_rm_rf(efi_dir);
	reset();
	if (!no_firmware && (mkdir(efi_dir, 0755) < 0 || mkdir(efivars_dir, 0755) < 0))
		FUZZ_FAIL("mkdir %s: %s", efivars_dir, strerror(errno));

	while (!no_firmware && fuzz_more(&in)) {
		uint8_t id = fuzz_byte(&in);
		size_t len = fuzz_u16(&in), got;
		const uint8_t *p = fuzz_bytes(&in, len, &got);
		size_t i = (id & 0x3f) % NVARS;
		char path[400];
		var_path(i, path, sizeof path);
		fuzz_rm_rf(path);
		free(w[i].bytes);
		w[i] = (struct written){ 0 };
		if (id & 0x80) {
			if (mkdir(path, 0755) < 0)
				FUZZ_FAIL("mkdir %s: %s", path, strerror(errno));
			w[i].state = DIR_;
			continue;
		}
		size_t n = (id & 0x40) && got < pad_to ? pad_to : got;
		w[i].bytes = calloc(n ? n : 1, 1);
		if (!w[i].bytes)
			FUZZ_FAIL("out of memory");
		memcpy(w[i].bytes, p, got);
		w[i].len = n;
		w[i].state = FILE_;
		fuzz_write(path, w[i].bytes, n);
	}

	check_parsers(data, size);
	check_reads();
	check_booted(no_firmware);
	check_list(no_firmware);
	reset();
	return 0;
}
