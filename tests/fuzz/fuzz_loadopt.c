/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz_loadopt: loadopt_parse on arbitrary bytes (the payload of a
 * Boot#### variable, without efivarfs's 4 attribute bytes).
 *
 * Invariants:
 *  - it returns 0, -EBADMSG or -ENOMEM, nothing else; -EBADMSG with a
 *    reason, 0 without one;
 *  - on success: the description and the file path are NUL-terminated
 *    printable ASCII within their arrays; partuuid is "" or a lower-case
 *    GUID; without has_hd, partuuid and file are "" and short_form is
 *    false; attributes and path_len are the header's fields;
 *  - the same bytes at an odd address give the same result (the parser
 *    must not depend on alignment), and parsing twice gives the same;
 *  - loadopt_build of a spec made from the same bytes (partition, GUID,
 *    printable description and file) parses back to that spec: the
 *    entries bootsync writes are the entries it reads. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "guid.h"
#include "loadopt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size, int r, const struct loadopt *o,
		  const struct reason *why)
{
	FUZZ_ASSERT(r == 0 || r == -EBADMSG || r == -ENOMEM, "unexpected return %d", r);
	if (r == -EBADMSG)
		FUZZ_ASSERT(!reason_empty(why), "-EBADMSG without a reason");
	if (r != 0)
		return;
	FUZZ_ASSERT(size >= 6, "a %zu-byte option parsed", size);
	FUZZ_ASSERT(fuzz_printable(o->description, sizeof o->description),
		    "description not printable ASCII");
	FUZZ_ASSERT(fuzz_printable(o->file, sizeof o->file), "file not printable ASCII");
	FUZZ_ASSERT(fuzz_printable(o->partuuid, sizeof o->partuuid), "partuuid not printable");
	FUZZ_ASSERT(o->partuuid[0] == '\0' || fuzz_lower_guid(o->partuuid),
		    "partuuid \"%s\" is not a lower-case GUID", o->partuuid);
	FUZZ_ASSERT(o->has_hd == (o->partuuid[0] != '\0'), "has_hd %d but partuuid \"%s\"",
		    o->has_hd, o->partuuid);
	if (!o->has_hd) {
		FUZZ_ASSERT(o->file[0] == '\0', "file \"%s\" without an HD() node", o->file);
		FUZZ_ASSERT(!o->short_form, "short form without an HD() node");
		FUZZ_ASSERT(o->part_number == 0 && o->part_start == 0 && o->part_size == 0,
			    "partition fields without an HD() node");
	}
	uint32_t attr = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
			(uint32_t)data[3] << 24;
	FUZZ_ASSERT(o->attributes == attr, "attributes %08x, header says %08x", o->attributes, attr);
	size_t plen = (size_t)(data[4] | data[5] << 8);
	FUZZ_ASSERT(o->path_len == plen, "path_len %zu, header says %zu", o->path_len, plen);
	FUZZ_ASSERT(plen + 8 <= size, "a %zu-byte path list and a description fit in %zu bytes",
		    plen, size);
}

/* A printable ASCII string of up to max - 1 characters from in. */
static void printable(struct fuzz_in *in, char *out, size_t max)
{
	size_t n = fuzz_byte(in) % max;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(0x20 + fuzz_byte(in) % 0x5f);
	out[n] = '\0';
}

static void roundtrip(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { .p = data, .n = size };
	uint8_t g[16];
	for (size_t i = 0; i < 16; i++)
		g[i] = fuzz_byte(&in);
	char guid[GUID_STR_LEN], desc[LOADOPT_DESC_MAX], file[LOADOPT_FILE_MAX];
	guid_format(g, guid);
	printable(&in, desc, sizeof desc);
	printable(&in, file, 80);
	struct loadopt_spec spec = {
		.attributes = (uint32_t)fuzz_u16(&in) << 16 | fuzz_u16(&in),
		.description = desc,
		.part_number = (uint32_t)fuzz_u16(&in) << 16 | fuzz_u16(&in),
		.part_start = (uint64_t)fuzz_u16(&in) << 32 | fuzz_u16(&in),
		.part_size = (uint64_t)fuzz_u16(&in) << 16 | fuzz_u16(&in),
		.partuuid = guid,
		.file = file,
	};
	uint8_t buf[LOADOPT_BUILD_MAX];
	ssize_t n = loadopt_build(&spec, buf, sizeof buf);
	FUZZ_ASSERT(n > 0, "loadopt_build of a valid spec: %zd", n);
	struct loadopt o;
	struct reason why;
	int r = loadopt_parse(buf, (size_t)n, &o, &why);
	FUZZ_ASSERT(r == 0,
		    "a built option (attributes %08x, description \"%s\", file \"%s\", HD(%u, %llu, %llu)) "
		    "does not parse: %s",
		    spec.attributes, desc, file, spec.part_number, (unsigned long long)spec.part_start,
		    (unsigned long long)spec.part_size, why.text);
	FUZZ_ASSERT(o.has_hd && o.short_form, "a built option has no short-form HD()");
	FUZZ_ASSERT(strcmp(o.partuuid, guid) == 0, "GUID %s read back as %s", guid, o.partuuid);
	FUZZ_ASSERT(o.part_number == spec.part_number && o.part_start == spec.part_start &&
			    o.part_size == spec.part_size,
		    "partition fields do not read back");
	FUZZ_ASSERT(strcmp(o.description, desc) == 0, "description \"%s\" read back as \"%s\"", desc,
		    o.description);
	FUZZ_ASSERT(strcmp(o.file, file) == 0, "file \"%s\" read back as \"%s\"", file, o.file);
	FUZZ_ASSERT(o.attributes == spec.attributes, "attributes do not read back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	roundtrip(data, size);
	struct loadopt o, o2;
	struct reason why, why2;

	int r = loadopt_parse(data, size, &o, &why);
	check(data, size, r, &o, &why);

	/* Again, from an odd address. */
	uint8_t *shifted = malloc(size + 1);
	if (!shifted)
		return 0;
	memcpy(shifted + 1, data, size);
	int r2 = loadopt_parse(shifted + 1, size, &o2, &why2);
	free(shifted);
	FUZZ_ASSERT(r2 == r, "%d at an odd address, %d aligned", r2, r);
	if (r == 0)
		FUZZ_ASSERT(memcmp(&o, &o2, sizeof o) == 0 || (
			    o.attributes == o2.attributes && o.has_hd == o2.has_hd &&
			    o.short_form == o2.short_form && o.part_number == o2.part_number &&
			    o.part_start == o2.part_start && o.part_size == o2.part_size &&
			    o.path_len == o2.path_len && strcmp(o.description, o2.description) == 0 &&
			    strcmp(o.partuuid, o2.partuuid) == 0 && strcmp(o.file, o2.file) == 0),
			    "the result depends on the address of the data");
	else if (r == -EBADMSG)
		FUZZ_ASSERT(strcmp(why.text, why2.text) == 0, "reason \"%s\" then \"%s\"", why.text,
			    why2.text);
	return 0;
}
