/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* loadopt: parse EFI_LOAD_OPTION; see loadopt.h.
 *
 * libefiboot is used for what it does safely (UCS-2 to UTF-8 of the
 * description, the HD() node's layout), not for validation: it trusts the
 * lengths inside an option (read in efivar 37 and 39: efi_loadopt_is_valid()
 * bounds the description in bytes used as a count of characters and
 * compares the first path's size with the whole list, which refuses an
 * option with two paths; efidp_is_valid() checks only a path's first node
 * and loops forever on an End node of length 0). So the structure is
 * checked here first, and the first path is walked here. */
#include "loadopt.h"

#include <efivar/efiboot.h>
#include <efivar/efivar.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* EFI_LOAD_OPTION: UINT32 Attributes, UINT16 FilePathListLength, then the
 * NUL-terminated UCS-2 Description, the FilePathList and OptionalData. */
#define LOADOPT_HDR_LEN 6
#define LOADOPT_PATHLEN_OFF 4
/* EFI_DEVICE_PATH_PROTOCOL header: Type, SubType, UINT16 Length. */
#define DP_HDR_LEN 4
#define DP_MEDIA_FILE 0x04

/* Little-endian whatever the host, read byte by byte: neither endianness
 * nor alignment matters. */
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }

/* The device path node types of UEFI 2.10, 10.3.1: hardware, ACPI,
 * messaging, media, BIOS boot specification, end. Any other byte means we
 * are not reading a device path. */
static bool known_type(uint8_t type)
{
	return (type >= EFIDP_HARDWARE_TYPE && type <= EFIDP_BIOS_BOOT_TYPE) || type == EFIDP_END_TYPE;
}

/* The whole structure; returns 0 with the description's end offset in
 * *desc_end, or -EBADMSG with the reason. */
static int precheck(const uint8_t *opt, size_t len, size_t *desc_end, struct reason *why)
{
	if (len < LOADOPT_HDR_LEN) {
		reason_set(why, "truncated (%zu bytes, a load option header has %d)", len,
			   LOADOPT_HDR_LEN);
		return -EBADMSG;
	}
	size_t end = 0;
	for (size_t off = LOADOPT_HDR_LEN; off + 1 < len; off += 2)
		if (opt[off] == 0 && opt[off + 1] == 0) {
			end = off + 2;
			break;
		}
	if (end == 0) {
		reason_set(why, "description not NUL-terminated");
		return -EBADMSG;
	}

	size_t pathlen = le16(opt + LOADOPT_PATHLEN_OFF);
	if (pathlen < DP_HDR_LEN) {
		reason_set(why, "device path list length %zu is shorter than a node", pathlen);
		return -EBADMSG;
	}
	if (pathlen > len - end) {
		reason_set(why, "device path list length %zu overruns the variable (%zu bytes left)",
			   pathlen, len - end);
		return -EBADMSG;
	}

	size_t off = end, stop = end + pathlen;
	bool end_entire = false;
	while (off < stop) {
		if (stop - off < DP_HDR_LEN) {
			reason_set(why, "device path node at offset %zu truncated", off);
			return -EBADMSG;
		}
		uint8_t type = opt[off], subtype = opt[off + 1];
		size_t nlen = le16(opt + off + 2);
		if (nlen < DP_HDR_LEN || nlen > stop - off) {
			reason_set(why,
				   "device path node at offset %zu has length %zu (%zu bytes left in the list)",
				   off, nlen, stop - off);
			return -EBADMSG;
		}
		if (!known_type(type)) {
			reason_set(why, "device path node at offset %zu has unknown type 0x%02x", off, type);
			return -EBADMSG;
		}
		if (type == EFIDP_END_TYPE && nlen != DP_HDR_LEN) {
			reason_set(why, "device path end node at offset %zu has length %zu", off, nlen);
			return -EBADMSG;
		}
		end_entire = type == EFIDP_END_TYPE && subtype == EFIDP_END_ENTIRE;
		off += nlen;
	}
	if (!end_entire) {
		reason_set(why, "device path list does not end with an End node");
		return -EBADMSG;
	}
	*desc_end = end;
	return 0;
}

/* Copy UTF-8 as printable ASCII: one '?' per non-ASCII character or
 * control byte, so that it is safe in a log line, a terminal or JSON. */
static void utf8_to_ascii(const unsigned char *u, char *out, size_t out_len)
{
	size_t j = 0;
	for (; *u && j + 1 < out_len; u++) {
		if ((*u & 0xc0) == 0x80)
			continue; /* continuation byte of a character already replaced */
		out[j++] = (*u >= 0x20 && *u < 0x7f) ? (char)*u : '?';
	}
	out[j] = '\0';
}

/* Append a File() node's UCS-2 path (nlen bytes of node) to out. */
static void file_append(char out[LOADOPT_FILE_MAX], const uint8_t *node, size_t nlen)
{
	size_t j = strlen(out);
	for (size_t off = DP_HDR_LEN; off + 1 < nlen && j + 1 < LOADOPT_FILE_MAX; off += 2) {
		uint16_t c = le16(node + off);
		if (c == 0)
			break;
		out[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[j] = '\0';
}

/* Walk the first device path of the list, from off to its End Entire or
 * End Instance node. Returns 0 or -EBADMSG. */
static int walk_first_path(const uint8_t *opt, size_t off, size_t stop, struct loadopt *o,
			   struct reason *why)
{
	bool first = true;
	/* precheck() proved that the nodes tile [off, stop); the bound stays
	 * anyway, so that the walk can never leave the list. */
	while (stop - off >= DP_HDR_LEN) {
		const uint8_t *node = opt + off;
		uint8_t type = node[0], subtype = node[1];
		size_t nlen = le16(node + 2);
		if (nlen < DP_HDR_LEN || nlen > stop - off) {
			reason_set(why, "device path node of length %zu in %zu bytes", nlen, stop - off);
			return -EBADMSG;
		}
		if (type == EFIDP_END_TYPE)
			return 0; /* End Entire, or End Instance: the first path ends */
		if (type == EFIDP_MEDIA_TYPE && subtype == EFIDP_MEDIA_HD && !o->has_hd) {
			efidp_hd hd;
			if (nlen < sizeof hd) {
				reason_set(why, "HD() node of %zu bytes, shorter than %zu", nlen, sizeof hd);
				return -EBADMSG;
			}
			memcpy(&hd, node, sizeof hd);
			/* An MBR disk's HD() carries a 4-byte disk signature, not a
			 * PARTUUID we could match: keep looking. */
			if (hd.format == EFIDP_HD_FORMAT_GPT && hd.signature_type == EFIDP_HD_SIGNATURE_GUID) {
				o->has_hd = true;
				o->short_form = first;
				o->part_number = le32(node + 4);
				o->part_start = (uint64_t)le32(node + 8) | (uint64_t)le32(node + 12) << 32;
				o->part_size = (uint64_t)le32(node + 16) | (uint64_t)le32(node + 20) << 32;
				guid_format(hd.signature, o->partuuid);
			}
		} else if (type == EFIDP_MEDIA_TYPE && subtype == DP_MEDIA_FILE && o->has_hd) {
			file_append(o->file, node, nlen);
		}
		first = false;
		off += nlen;
	}
	return 0;
}

/* Returns 0, -EBADMSG (reason in why) or -ENOMEM; see loadopt.h. */
int loadopt_parse(const uint8_t *data, size_t len, struct loadopt *out, struct reason *why)
{
	memset(out, 0, sizeof *out);
	reason_clear(why);
	if (!data)
		len = 0;

	/* Our own copy: libefiboot wants a mutable, 2-byte aligned option,
	 * and an exact-size heap buffer lets ASan see any overrun. */
	_cleanup_free_ uint8_t *opt = malloc(len > 0 ? len : 1);
	if (!opt)
		return -ENOMEM;
	if (len > 0)
		memcpy(opt, data, len);

	size_t desc_end;
	int r = precheck(opt, len, &desc_end, why);
	if (r < 0)
		return r;
	out->attributes = le32(opt);
	out->path_len = le16(opt + LOADOPT_PATHLEN_OFF);

	/* The limit is in UCS-2 characters including the NUL, which precheck()
	 * found inside the buffer. The string belongs to libefiboot and is
	 * freed by its next call: copy it now. */
	ssize_t nchars = (ssize_t)((desc_end - LOADOPT_HDR_LEN) / 2);
	const unsigned char *u = efi_loadopt_desc((efi_load_option *)opt, nchars);
	if (!u) {
		efi_error_clear();
		return -ENOMEM;
	}
	utf8_to_ascii(u, out->description, sizeof out->description);

	r = walk_first_path(opt, desc_end, desc_end + out->path_len, out, why);
	if (r < 0)
		memset(out, 0, sizeof *out);
	return r;
}

static bool printable_ascii(const char *s, size_t max)
{
	size_t n = 0;
	for (; *s; s++, n++)
		if (*s < 0x20 || *s > 0x7e || n >= max)
			return false;
	return true;
}

/* Returns the length or a negative errno; see loadopt.h. */
ssize_t loadopt_build(const struct loadopt_spec *spec, uint8_t *buf, size_t cap)
{
	uint8_t sig[16];
	if (guid_parse(spec->partuuid, sig) < 0 ||
	    !printable_ascii(spec->description, LOADOPT_DESC_MAX - 1) ||
	    !printable_ascii(spec->file, LOADOPT_FILE_MAX - 1) || cap > SSIZE_MAX)
		return -EINVAL;

	/* The device path: HD(), File(), End Entire. */
	uint8_t dp[LOADOPT_BUILD_MAX];
	ssize_t n = efidp_make_hd(dp, sizeof dp, spec->part_number, spec->part_start,
				  spec->part_size, sig, EFIDP_HD_FORMAT_GPT, EFIDP_HD_SIGNATURE_GUID);
	if (n < 0 || (size_t)n >= sizeof dp)
		goto fail;
	ssize_t k = efidp_make_file(dp + n, (ssize_t)sizeof dp - n, (char *)spec->file);
	if (k < 0 || (size_t)(n + k) >= sizeof dp)
		goto fail;
	n += k;
	k = efidp_make_end_entire(dp + n, (ssize_t)sizeof dp - n);
	if (k < 0)
		goto fail;
	n += k;

	/* Zeroed first: libefiboot (efivar 37) writes no terminator for an
	 * empty description, leaving whatever the buffer held (found by the
	 * fuzz target's round trip). */
	memset(buf, 0, cap);
	ssize_t len = efi_loadopt_create(buf, (ssize_t)cap, spec->attributes, (efidp)dp, n,
					 (unsigned char *)spec->description, NULL, 0);
	if (len < 0 || (size_t)len > cap) {
		efi_error_clear();
		return -ENOSPC;
	}
	/* What is written to the firmware must be what was asked for: read
	 * it back with this file's own parser before anyone writes it. */
	struct loadopt back;
	struct reason why;
	if (loadopt_parse(buf, (size_t)len, &back, &why) < 0 || !back.has_hd || !back.short_form ||
	    back.attributes != spec->attributes || back.part_number != spec->part_number ||
	    back.part_start != spec->part_start || back.part_size != spec->part_size ||
	    !guid_equal(back.partuuid, spec->partuuid) || strcmp(back.file, spec->file) != 0 ||
	    strcmp(back.description, spec->description) != 0)
		return -EIO;
	return len;
fail:
	efi_error_clear();
	return -EINVAL;
}
