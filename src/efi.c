/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* efi: which partition did the firmware boot from?
 *
 * Everything here reads raw efivarfs files (4 attribute bytes, then the
 * payload) with a size bound, and treats their content as hostile: a
 * variable can be truncated, crafted by another OS, or written by buggy
 * firmware. Load options are parsed with libefiboot, but only after this
 * file has checked every length the library would otherwise trust (see
 * loadopt_precheck()). */
/* libefivar's headers first: they define EFI_GLOBAL_GUID as an efi_guid_t
 * value, which efi.h's string of the same name must replace here (this is
 * the only file that includes libefivar). The static assertion below
 * catches a reordering. */
#include <efivar/efiboot.h>
#include <efivar/efivar.h>
#undef EFI_GLOBAL_GUID

#include "efi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "log.h"

_Static_assert(sizeof(EFI_GLOBAL_GUID) == EFI_UUID_STR_LEN,
	       "EFI_GLOBAL_GUID must be efi.h's string, not libefivar's efi_guid_t");
_Static_assert(sizeof(EFI_LOADER_GUID) == EFI_UUID_STR_LEN, "EFI_LOADER_GUID must be a string");

/* Bytes of the attribute word that efivarfs puts before the payload. */
#define EFI_ATTR_LEN 4
/* EFI_LOAD_OPTION: UINT32 Attributes, UINT16 FilePathListLength, then the
 * NUL-terminated UCS-2 Description, the FilePathList and OptionalData. */
#define LOADOPT_HDR_LEN 6
#define LOADOPT_PATHLEN_OFF 4
/* EFI_DEVICE_PATH_PROTOCOL header: Type, SubType, UINT16 Length. */
#define DP_HDR_LEN 4
/* How often efi_booted_partuuid looks for LoaderDevicePartUUID. */
#define POLL_MS 50u
/* Room for the reason a parser gives; callers prefix the variable name. */
#define WHY_LEN 160

/* The payload is little-endian whatever the host; read it byte by byte so
 * that neither endianness nor alignment matters. */
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Returns 0 and the payload in *data and *len, or a negative errno with the
 * reason in why: -ENOENT (absent; why left empty), -EBADMSG, -EFBIG, or
 * the errno of the failed open/read. Logs nothing, so that both the loud
 * efi_read_var() and the tolerant efi_list_boot_entries() can use it. */
static int read_var(const char *efivars_dir, const char *name, const char *guid, uint8_t **data,
		    size_t *len, char why[WHY_LEN])
{
	char path[PATH_MAX];
	why[0] = '\0';
	int n = snprintf(path, sizeof path, "%s/%s-%s", efivars_dir, name, guid);
	if (n < 0 || (size_t)n >= sizeof path) {
		snprintf(why, WHY_LEN, "path too long");
		return -ENAMETOOLONG;
	}

	_cleanup_free_ char *buf = NULL;
	size_t got = 0;
	int r = fileio_read_bounded(AT_FDCWD, path, EFI_VAR_MAX + EFI_ATTR_LEN, &buf, &got);
	if (r == -ENOENT)
		return r;
	if (r == -EFBIG) {
		snprintf(why, WHY_LEN, "larger than %d bytes, refusing to read it", EFI_VAR_MAX);
		return r;
	}
	if (r == -EBADF) { /* fileio's answer for a directory, device, ... */
		snprintf(why, WHY_LEN, "not a regular file");
		return r;
	}
	if (r < 0) {
		snprintf(why, WHY_LEN, "cannot read it: %s", strerror(-r));
		return r;
	}
	if (got < EFI_ATTR_LEN) {
		snprintf(why, WHY_LEN, "truncated (%zu bytes, shorter than the %d attribute bytes)",
			 got, EFI_ATTR_LEN);
		return -EBADMSG;
	}

	/* A buffer of exactly the payload's size: parsers that overrun it are
	 * caught by ASan in the tests instead of reading our own slack. */
	size_t plen = got - EFI_ATTR_LEN;
	uint8_t *p = malloc(plen > 0 ? plen : 1);
	if (!p) {
		snprintf(why, WHY_LEN, "out of memory");
		return -ENOMEM;
	}
	memcpy(p, buf + EFI_ATTR_LEN, plen);
	*data = p;
	*len = plen;
	return 0;
}

/* Returns 0, -ENOENT (absent, not logged: absence is an answer), or another
 * negative errno after logging "NAME-GUID: reason". */
int efi_read_var(const char *efivars_dir, const char *name, const char *guid, uint8_t **data,
		 size_t *len)
{
	if (!efivars_dir || !name || !guid || !data || !len)
		return -EINVAL;
	char why[WHY_LEN];
	int r = read_var(efivars_dir, name, guid, data, len, why);
	if (r < 0 && r != -ENOENT)
		log_error("%s-%s: %s", name, guid, why);
	return r;
}

/* Returns 0 or -EBADMSG with the reason in why. Firmware and systemd-boot
 * write upper case; everything else in the system (blkid, mountinfo) is
 * lower case, so that is what we hand out. */
static int parse_partuuid(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN],
			  char why[WHY_LEN])
{
	if (len % 2 != 0) {
		snprintf(why, WHY_LEN, "malformed (odd length %zu, not UTF-16)", len);
		return -EBADMSG;
	}
	char s[EFI_UUID_STR_LEN];
	size_t k = 0, i;
	for (i = 0; i + 1 < len; i += 2) {
		uint16_t c = le16(data + i);
		if (c == 0)
			break;
		if (c < 0x20 || c > 0x7e) {
			snprintf(why, WHY_LEN, "malformed (character U+%04X at %zu is not printable ASCII)",
				 c, i / 2);
			return -EBADMSG;
		}
		if (k == EFI_UUID_STR_LEN - 1) {
			snprintf(why, WHY_LEN, "malformed (longer than a GUID)");
			return -EBADMSG;
		}
		s[k++] = (char)c;
	}
	/* Only more NULs may follow the terminator: anything else means we
	 * are not looking at the string we think. */
	for (; i + 1 < len; i += 2)
		if (le16(data + i) != 0) {
			snprintf(why, WHY_LEN, "malformed (data after the terminating NUL)");
			return -EBADMSG;
		}
	s[k] = '\0';
	if (k != EFI_UUID_STR_LEN - 1) {
		snprintf(why, WHY_LEN, "malformed (\"%s\": %zu characters, a GUID has %d)", s, k,
			 EFI_UUID_STR_LEN - 1);
		return -EBADMSG;
	}
	for (i = 0; i < k; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex(s[i])) {
			snprintf(why, WHY_LEN, "malformed (\"%s\" is not a GUID)", s);
			return -EBADMSG;
		}
	}
	for (i = 0; i <= k; i++)
		out[i] = ascii_lower(s[i]);
	return 0;
}

/* Returns 0 or -EBADMSG; logs nothing (the caller knows the variable). */
int efi_parse_partuuid_string(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN])
{
	char why[WHY_LEN];
	if (!data && len > 0)
		return -EBADMSG;
	return parse_partuuid(data, len, out, why);
}

static int parse_boot_current(const uint8_t *data, size_t len, uint16_t *out, char why[WHY_LEN])
{
	if (len != 2) {
		snprintf(why, WHY_LEN, "malformed (%zu bytes, a boot number has 2)", len);
		return -EBADMSG;
	}
	*out = le16(data);
	return 0;
}

/* Returns 0 or -EBADMSG; logs nothing. */
int efi_parse_boot_current(const uint8_t *data, size_t len, uint16_t *out)
{
	char why[WHY_LEN];
	if (!data || !out)
		return -EBADMSG;
	return parse_boot_current(data, len, out, why);
}

/* libefiboot trusts the lengths inside a load option (read in efivar 37
 * and 39): efi_loadopt_is_valid() looks for the description's NUL with a
 * bound in bytes used as a count of UCS-2 characters (twice too far),
 * efidp_is_valid() checks only the first node of a path and loops forever
 * on an End node of length 0, and efidp_size() walks until an End Entire
 * node wherever that is. Without this check the unit tests' crafted
 * options crash the library or hang it. So before the library sees an option,
 * check its whole structure here: the description ends inside the
 * buffer, the path list fits after it, and the path list is a sequence of
 * nodes of length >= 4 that tiles it exactly and ends with End Entire.
 * Returns 0 and the description's end offset in *desc_end, or -EBADMSG
 * with the reason in why. */
static int loadopt_precheck(const uint8_t *opt, size_t len, size_t *desc_end, char why[WHY_LEN])
{
	if (len < LOADOPT_HDR_LEN) {
		snprintf(why, WHY_LEN, "truncated (%zu bytes, a load option header has %d)", len,
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
		snprintf(why, WHY_LEN, "description not NUL-terminated");
		return -EBADMSG;
	}

	size_t pathlen = le16(opt + LOADOPT_PATHLEN_OFF);
	if (pathlen < DP_HDR_LEN) {
		snprintf(why, WHY_LEN, "device path list length %zu is shorter than a node", pathlen);
		return -EBADMSG;
	}
	if (pathlen > len - end) {
		snprintf(why, WHY_LEN, "device path list length %zu overruns the variable (%zu bytes left)",
			 pathlen, len - end);
		return -EBADMSG;
	}

	size_t off = end, stop = end + pathlen;
	bool end_entire = false;
	while (off < stop) {
		if (stop - off < DP_HDR_LEN) {
			snprintf(why, WHY_LEN, "device path node at offset %zu truncated", off);
			return -EBADMSG;
		}
		uint8_t type = opt[off], subtype = opt[off + 1];
		size_t nlen = le16(opt + off + 2);
		if (nlen < DP_HDR_LEN || nlen > stop - off) {
			snprintf(why, WHY_LEN,
				 "device path node at offset %zu has length %zu (%zu bytes left in the list)",
				 off, nlen, stop - off);
			return -EBADMSG;
		}
		if (type == EFIDP_END_TYPE && nlen != DP_HDR_LEN) {
			snprintf(why, WHY_LEN, "device path end node at offset %zu has length %zu", off,
				 nlen);
			return -EBADMSG;
		}
		end_entire = type == EFIDP_END_TYPE && subtype == EFIDP_END_ENTIRE;
		off += nlen;
	}
	if (!end_entire) {
		snprintf(why, WHY_LEN, "device path list does not end with an End node");
		return -EBADMSG;
	}
	*desc_end = end;
	return 0;
}

/* Copy libefiboot's UTF-8 description as printable ASCII: one '?' per
 * non-ASCII character or control byte, so it is safe in a log line or
 * JSON. */
static void desc_to_ascii(const unsigned char *u, char *desc, size_t desc_len)
{
	size_t j = 0;
	for (; *u && j + 1 < desc_len; u++) {
		if ((*u & 0xc0) == 0x80)
			continue; /* continuation byte of a character already replaced */
		desc[j++] = (*u >= 0x20 && *u < 0x7f) ? (char)*u : '?';
	}
	desc[j] = '\0';
}

/* An EFI GUID's first three fields are little-endian, the rest is bytes. */
static void guid_format(const uint8_t g[16], char out[EFI_UUID_STR_LEN])
{
	snprintf(out, EFI_UUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3], g[2],
		 g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
		 g[15]);
}

/* Returns 0 (GPT HD() found), -ENOENT (valid, no GPT HD() node), -EBADMSG
 * (malformed, reason in why) or -ENOMEM. */
static int parse_load_option(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN],
			     char *desc, size_t desc_len, char why[WHY_LEN])
{
	if (desc && desc_len > 0)
		desc[0] = '\0';
	why[0] = '\0';
	if (!data)
		len = 0;
	if (len > EFI_VAR_MAX) {
		snprintf(why, WHY_LEN, "larger than %d bytes", EFI_VAR_MAX);
		return -EBADMSG;
	}

	/* Our own copy: libefiboot wants a mutable, 2-byte aligned option,
	 * and an exact-size heap buffer lets ASan see any overrun. */
	_cleanup_free_ uint8_t *opt = malloc(len > 0 ? len : 1);
	if (!opt)
		return -ENOMEM;
	if (len > 0)
		memcpy(opt, data, len);

	size_t desc_end;
	int r = loadopt_precheck(opt, len, &desc_end, why);
	if (r < 0)
		return r;
	size_t pathlen = le16(opt + LOADOPT_PATHLEN_OFF);

	efi_load_option *lo = (efi_load_option *)opt;
	if (!efi_loadopt_is_valid(lo, len)) {
		efi_error_clear();
		snprintf(why, WHY_LEN, "libefiboot rejects it as a load option");
		return -EBADMSG;
	}
	efidp dp = efi_loadopt_path(lo, (ssize_t)len);
	if (!dp || (uint8_t *)dp != opt + desc_end ||
	    efi_loadopt_pathlen(lo, (ssize_t)len) != pathlen) {
		efi_error_clear();
		snprintf(why, WHY_LEN, "libefiboot finds no device path where it should be");
		return -EBADMSG;
	}

	if (desc && desc_len > 0) {
		/* The limit is in UCS-2 characters including the NUL, which the
		 * precheck found inside the buffer. The returned string belongs
		 * to libefiboot and is freed by its next call: copy it now. */
		ssize_t nchars = (ssize_t)((desc_end - LOADOPT_HDR_LEN) / 2);
		const unsigned char *u = efi_loadopt_desc(lo, nchars);
		if (!u)
			return -ENOMEM;
		desc_to_ascii(u, desc, desc_len);
	}

	/* Walk the first device path to its End Entire node. The precheck
	 * proved that every node fits; keep a byte count anyway so that the
	 * walk can never leave the list even if that proof were wrong. */
	const_efidp node = dp;
	size_t left = pathlen;
	while (left >= DP_HDR_LEN) {
		ssize_t sz = efidp_node_size(node);
		if (sz < DP_HDR_LEN || (size_t)sz > left) {
			snprintf(why, WHY_LEN, "device path node of length %zd in %zu bytes", sz, left);
			return -EBADMSG;
		}
		if (efidp_type(node) == EFIDP_MEDIA_TYPE && efidp_subtype(node) == EFIDP_MEDIA_HD) {
			if ((size_t)sz < sizeof(efidp_hd)) {
				snprintf(why, WHY_LEN, "HD() node of %zd bytes, shorter than %zu", sz,
					 sizeof(efidp_hd));
				return -EBADMSG;
			}
			const efidp_hd *hd = &node->hd;
			/* An MBR disk's HD() carries a 4-byte disk signature, not a
			 * PARTUUID we could match: keep looking. */
			if (hd->format == EFIDP_HD_FORMAT_GPT &&
			    hd->signature_type == EFIDP_HD_SIGNATURE_GUID) {
				uint8_t sig[16];
				memcpy(sig, hd->signature, sizeof sig);
				guid_format(sig, out);
				return 0;
			}
		}
		const_efidp next = NULL;
		int k = efidp_next_node(node, &next);
		if (k == 0)
			break; /* End Entire */
		if (k < 0) {
			snprintf(why, WHY_LEN, "libefiboot cannot step to the next device path node");
			return -EBADMSG;
		}
		left -= (size_t)sz;
		node = next;
	}
	return -ENOENT;
}

/* Returns 0, -ENOENT (valid, no GPT HD() node) or -EBADMSG; logs nothing. */
int efi_parse_load_option(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN], char *desc,
			  size_t desc_len)
{
	char why[WHY_LEN];
	return parse_load_option(data, len, out, desc, desc_len, why);
}

static unsigned long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (long long)(now.tv_sec - since->tv_sec) * 1000 +
		       (now.tv_nsec - since->tv_nsec) / 1000000;
	return ms < 0 ? 0 : (unsigned long)ms;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL); /* an early wake-up only means one more poll */
}

static bool var_exists(const char *efivars_dir, const char *name, const char *guid)
{
	char path[PATH_MAX];
	struct stat st;
	int n = snprintf(path, sizeof path, "%s/%s-%s", efivars_dir, name, guid);
	if (n < 0 || (size_t)n >= sizeof path)
		return false;
	return fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* BootCurrent -> Boot#### -> HD(). Returns 0 or a negative errno, logged. */
static int booted_from_boot_current(const char *efivars_dir, unsigned wait_ms,
				    char out[EFI_UUID_STR_LEN])
{
	_cleanup_free_ uint8_t *data = NULL;
	size_t len = 0;
	char why[WHY_LEN];
	int r = read_var(efivars_dir, "BootCurrent", EFI_GLOBAL_GUID, &data, &len, why);
	if (r == -ENOENT) {
		log_error("no LoaderDevicePartUUID nor BootCurrent in %s (waited %u ms): not booted "
			  "through UEFI, or efivarfs not mounted",
			  efivars_dir, wait_ms);
		return r;
	}
	if (r < 0) {
		log_error("BootCurrent-%s: %s", EFI_GLOBAL_GUID, why);
		return r;
	}
	uint16_t cur;
	r = parse_boot_current(data, len, &cur, why);
	if (r < 0) {
		log_error("BootCurrent-%s: %s", EFI_GLOBAL_GUID, why);
		return r;
	}

	char opt_name[sizeof "Boot0000"];
	snprintf(opt_name, sizeof opt_name, "Boot%04X", (unsigned)cur);
	_cleanup_free_ uint8_t *opt = NULL;
	size_t opt_len = 0;
	r = read_var(efivars_dir, opt_name, EFI_GLOBAL_GUID, &opt, &opt_len, why);
	if (r == -ENOENT) {
		log_error("no LoaderDevicePartUUID, and BootCurrent names %s, which does not exist",
			  opt_name);
		return r;
	}
	if (r < 0) {
		log_error("%s-%s: %s", opt_name, EFI_GLOBAL_GUID, why);
		return r;
	}
	char desc[128];
	r = parse_load_option(opt, opt_len, out, desc, sizeof desc, why);
	if (r == -ENOENT) {
		log_error("no LoaderDevicePartUUID, and BootCurrent %s (\"%s\") has no HD() partition "
			  "node: cannot tell which ESP the firmware booted from",
			  opt_name, desc);
		return r;
	}
	if (r == -EBADMSG) {
		log_error("%s-%s: malformed load option (%s)", opt_name, EFI_GLOBAL_GUID, why);
		return r;
	}
	if (r < 0)
		return log_error_errno(r, "%s-%s: cannot parse", opt_name, EFI_GLOBAL_GUID);
	log_debug("booted ESP from BootCurrent %s (\"%s\"): %s", opt_name, desc, out);
	return 0;
}

/* Does the directory that holds efivars_dir exist? On a UEFI boot the
 * kernel creates /sys/firmware/efi long before userspace runs, whether or
 * not efivarfs is mounted on its efivars yet; without it no variable will
 * ever appear, and waiting for one only delays the boot.
 * Returns false, with that directory's name in parent, only when it is
 * known to be missing; true when it exists or when that cannot be told. */
static bool efi_firmware_dir_exists(const char *efivars_dir, char parent[PATH_MAX])
{
	int n = snprintf(parent, PATH_MAX, "%s", efivars_dir);
	if (n < 0 || n >= PATH_MAX)
		return true; /* cannot tell: keep the bounded wait */
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return true;
	*slash = '\0';
	struct stat st;
	return stat(parent, &st) == 0 || errno != ENOENT;
}

/* Returns 0, or a negative errno after logging one line. */
int efi_booted_partuuid(const char *efivars_dir, unsigned wait_ms, char out[EFI_UUID_STR_LEN],
			enum efi_booted_source *how)
{
	if (!efivars_dir || !out || !how)
		return -EINVAL;
	char firmware_dir[PATH_MAX];
	if (!efi_firmware_dir_exists(efivars_dir, firmware_dir)) {
		log_error("%s does not exist: the system was not booted through UEFI, so no "
			  "firmware variable names the booted ESP",
			  firmware_dir);
		return -ENOENT;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	bool said_waiting = false;

	for (;;) {
		_cleanup_free_ uint8_t *data = NULL;
		size_t len = 0;
		char why[WHY_LEN];
		int r = read_var(efivars_dir, "LoaderDevicePartUUID", EFI_LOADER_GUID, &data, &len, why);
		if (r == 0) {
			/* A malformed answer from the boot loader is not replaced
			 * by a guess: binding the wrong ESP would make it the sync
			 * source and overwrite the fresh one. */
			r = parse_partuuid(data, len, out, why);
			if (r < 0) {
				log_error("LoaderDevicePartUUID-%s: %s", EFI_LOADER_GUID, why);
				return r;
			}
			*how = EFI_BOOTED_LOADER;
			log_debug("booted ESP from LoaderDevicePartUUID: %s", out);
			return 0;
		}
		if (r != -ENOENT) {
			log_error("LoaderDevicePartUUID-%s: %s", EFI_LOADER_GUID, why);
			return r;
		}
		/* efivarfs shows all variables at once when it is mounted: if
		 * BootCurrent is there and the loader's variable is not, the
		 * loader was not systemd-boot and waiting cannot help. */
		if (var_exists(efivars_dir, "BootCurrent", EFI_GLOBAL_GUID))
			break;
		unsigned long spent = elapsed_ms(&start);
		if (spent >= wait_ms)
			break;
		if (!said_waiting) {
			log_debug("waiting up to %u ms for efivarfs at %s", wait_ms, efivars_dir);
			said_waiting = true;
		}
		unsigned long rest = wait_ms - spent;
		sleep_ms(rest < POLL_MS ? (unsigned)rest : POLL_MS);
	}

	int r = booted_from_boot_current(efivars_dir, wait_ms, out);
	if (r < 0)
		return r;
	*how = EFI_BOOTED_BOOTCURRENT;
	return 0;
}

/* Is name "Boot####-<global guid>" with #### four upper-case hex digits
 * (the spec's spelling; efivarfs shows what the firmware wrote)? */
static bool boot_var_name(const char *name, uint16_t *number)
{
	static const char suffix[] = "-" EFI_GLOBAL_GUID;
	if (strncmp(name, "Boot", 4) != 0)
		return false;
	unsigned v = 0;
	for (int i = 4; i < 8; i++) {
		char c = name[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned)(c - 'A' + 10);
		else
			return false;
	}
	if (strcmp(name + 8, suffix) != 0)
		return false;
	*number = (uint16_t)v;
	return true;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct efi_boot_entry *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

/* Returns the number of entries (>= 0) with *entries set (caller frees;
 * NULL when there are none), -ENOENT if efivars_dir does not exist (not
 * logged: a machine booted without UEFI has none), or another negative
 * errno, logged. Unreadable or malformed entries are skipped with a
 * warning, entries without a GPT HD() node silently; the result is sorted
 * by boot number. */
int efi_list_boot_entries(const char *efivars_dir, struct efi_boot_entry **entries)
{
	if (!efivars_dir || !entries)
		return -EINVAL;
	*entries = NULL;
	int fd = fileio_open_dir(AT_FDCWD, efivars_dir);
	if (fd == -ENOENT)
		return fd;
	if (fd < 0)
		return log_error_errno(fd, "cannot open %s", efivars_dir);
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return log_error_errno(e, "cannot read %s", efivars_dir);
	}

	struct efi_boot_entry *list = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno != 0)
				r = log_error_errno(errno, "cannot read %s", efivars_dir);
			break;
		}
		uint16_t number;
		if (!boot_var_name(de->d_name, &number))
			continue;

		char name[sizeof "Boot0000"];
		snprintf(name, sizeof name, "Boot%04X", (unsigned)number);
		_cleanup_free_ uint8_t *data = NULL;
		size_t len = 0;
		char why[WHY_LEN];
		int k = read_var(efivars_dir, name, EFI_GLOBAL_GUID, &data, &len, why);
		if (k == -ENOENT)
			continue; /* deleted since readdir */
		if (k < 0) {
			log_warn("%s: skipped (%s)", de->d_name, why);
			continue;
		}
		struct efi_boot_entry e = {.number = number};
		k = parse_load_option(data, len, e.partuuid, e.description, sizeof e.description, why);
		if (k == -ENOENT)
			continue;
		if (k == -EBADMSG) {
			log_warn("%s: skipped, malformed load option (%s)", de->d_name, why);
			continue;
		}
		if (k < 0) {
			r = log_error_errno(k, "%s: cannot parse", de->d_name);
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct efi_boot_entry *nl = reallocarray(list, ncap, sizeof *nl);
			if (!nl) {
				r = -ENOMEM;
				break;
			}
			list = nl;
			cap = ncap;
		}
		list[n++] = e;
	}
	closedir(d);
	if (r < 0) {
		free(list);
		return r;
	}
	if (n > 1)
		qsort(list, n, sizeof *list, entry_cmp);
	*entries = list;
	return (int)n;
}

/* Empty strings never match: an unknown PARTUUID must not equal another. */
bool efi_uuid_equal(const char *a, const char *b)
{
	if (!a || !b || !*a || !*b)
		return false;
	for (; *a && *b; a++, b++)
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
	return *a == *b;
}
