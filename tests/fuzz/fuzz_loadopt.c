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
 *    must not depend on alignment), and parsing twice gives the same. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
