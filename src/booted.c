/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* booted: the booted ESP from EFI variables; see booted.h. */
#include "booted.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "efivars.h"
#include "fileio.h"
#include "loadopt.h"
#include "log.h"

/* How often booted_find() looks for LoaderDevicePartUUID. */
#define POLL_MS 50u

#define LDPU "LoaderDevicePartUUID-" EFIVARS_LOADER_GUID
#define BOOTCURRENT "BootCurrent-" EFIVARS_GLOBAL_GUID

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

const char *booted_source_name(enum booted_source how)
{
	return how == BOOTED_LOADER ? "LoaderDevicePartUUID" : "BootCurrent";
}

/* Returns 0 or -EBADMSG; firmware and systemd-boot write upper case,
 * everything else in the system (blkid, mountinfo) lower case, which is
 * what we hand out. */
int booted_parse_partuuid(const uint8_t *data, size_t len, char out[GUID_STR_LEN],
			  struct reason *why)
{
	if (!data && len > 0) {
		reason_set(why, "malformed (no data)");
		return -EBADMSG;
	}
	if (len % 2 != 0) {
		reason_set(why, "malformed (odd length %zu, not UTF-16)", len);
		return -EBADMSG;
	}
	char s[GUID_STR_LEN];
	size_t k = 0, i;
	for (i = 0; i + 1 < len; i += 2) {
		uint16_t c = le16(data + i);
		if (c == 0)
			break;
		if (c < 0x20 || c > 0x7e) {
			reason_set(why, "malformed (character U+%04X at %zu is not printable ASCII)", c,
				   i / 2);
			return -EBADMSG;
		}
		if (k == GUID_STR_LEN - 1) {
			reason_set(why, "malformed (longer than a GUID)");
			return -EBADMSG;
		}
		s[k++] = (char)c;
	}
	/* Only more NULs may follow the terminator: anything else means we
	 * are not looking at the string we think. */
	for (; i + 1 < len; i += 2)
		if (le16(data + i) != 0) {
			reason_set(why, "malformed (data after the terminating NUL)");
			return -EBADMSG;
		}
	s[k] = '\0';
	if (k != GUID_STR_LEN - 1) {
		reason_set(why, "malformed (\"%s\": %zu characters, a GUID has %d)", s, k,
			   GUID_STR_LEN - 1);
		return -EBADMSG;
	}
	if (!guid_is_valid(s)) {
		reason_set(why, "malformed (\"%s\" is not a GUID)", s);
		return -EBADMSG;
	}
	for (i = 0; i <= k; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
	return 0;
}

/* Returns 0 or -EBADMSG. */
int booted_parse_boot_current(const uint8_t *data, size_t len, uint16_t *out, struct reason *why)
{
	if (!data || len != 2) {
		reason_set(why, "malformed (%zu bytes, a boot number has 2)", data ? len : 0);
		return -EBADMSG;
	}
	*out = le16(data);
	return 0;
}

/* Read BootCurrent, the Boot#### the firmware started, into *cur.
 * Returns 0 or a negative errno with why set (-ENOENT: there is none). */
static int read_boot_current(const char *dir, uint16_t *cur, struct reason *why)
{
	_cleanup_free_ uint8_t *data = NULL;
	size_t len = 0;
	struct reason sub;
	int r = efivars_read(dir, "BootCurrent", EFIVARS_GLOBAL_GUID, NULL, &data, &len, why);
	if (r < 0)
		return r;
	r = booted_parse_boot_current(data, len, cur, &sub);
	if (r < 0)
		reason_set(why, "%s: %s", BOOTCURRENT, sub.text);
	return r;
}

/* BootCurrent -> Boot#### -> HD(). Returns 0 or a negative errno, why set. */
static int from_boot_current(const char *dir, unsigned wait_ms, struct booted *b,
			     struct reason *why)
{
	struct reason sub;
	uint16_t cur;
	int r = read_boot_current(dir, &cur, why);
	if (r == -ENOENT) {
		reason_set(why, "no LoaderDevicePartUUID nor BootCurrent in %s (waited %u ms): not "
				"booted through UEFI, or efivarfs not mounted",
			   dir, wait_ms);
		return r;
	}
	if (r < 0)
		return r;
	b->boot_current = cur;

	char name[sizeof "Boot0000"];
	snprintf(name, sizeof name, "Boot%04X", (unsigned)cur);
	_cleanup_free_ uint8_t *opt = NULL;
	size_t opt_len = 0;
	r = efivars_read(dir, name, EFIVARS_GLOBAL_GUID, NULL, &opt, &opt_len, why);
	if (r == -ENOENT) {
		reason_set(why, "no LoaderDevicePartUUID, and BootCurrent names %s, which does not exist",
			   name);
		return r;
	}
	if (r < 0)
		return r;
	struct loadopt lo;
	r = loadopt_parse(opt, opt_len, &lo, &sub);
	if (r == -EBADMSG) {
		reason_set(why, "%s-%s: malformed load option (%s)", name, EFIVARS_GLOBAL_GUID, sub.text);
		return r;
	}
	if (r < 0) {
		reason_set(why, "%s-%s: cannot parse it: %s", name, EFIVARS_GLOBAL_GUID,
			   fileio_error_words(r));
		return r;
	}
	if (!lo.has_hd) {
		reason_set(why, "no LoaderDevicePartUUID, and BootCurrent %s (\"%s\") has no HD() "
				"partition node: cannot tell which ESP the firmware booted from",
			   name, lo.description);
		return -ENOENT;
	}
	memcpy(b->partuuid, lo.partuuid, sizeof b->partuuid);
	b->how = BOOTED_BOOTCURRENT;
	log_debug("booted ESP from BootCurrent %s (\"%s\"): %s", name, lo.description, b->partuuid);
	return 0;
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
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL); /* an early wake-up only means one more poll */
}

/* Returns 0, or a negative errno with why set; see booted.h. */
int booted_find(const char *dir, unsigned wait_ms, struct booted *out, struct reason *why)
{
	memset(out, 0, sizeof *out);
	out->boot_current = -1;
	reason_clear(why);
	if (!efivars_firmware_present(dir, why)) {
		/* why: "/sys/firmware/efi does not exist: ..." */
		size_t n = strlen(why->text);
		snprintf(why->text + n, sizeof why->text - n, ", so no firmware variable names the "
							      "booted ESP");
		return -ENOENT;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	bool said_waiting = false;

	for (;;) {
		_cleanup_free_ uint8_t *data = NULL;
		size_t len = 0;
		int r = efivars_read(dir, "LoaderDevicePartUUID", EFIVARS_LOADER_GUID, NULL, &data,
				     &len, why);
		if (r == 0) {
			/* A malformed answer from the boot loader is not replaced
			 * by a guess. */
			struct reason sub;
			r = booted_parse_partuuid(data, len, out->partuuid, &sub);
			if (r < 0) {
				reason_set(why, "%s: %s", LDPU, sub.text);
				return r;
			}
			out->how = BOOTED_LOADER;
			/* Kept beside it when it can be read: sync puts the
			 * entries it makes right after it in BootOrder. */
			uint16_t cur;
			struct reason ignored;
			out->boot_current = read_boot_current(dir, &cur, &ignored) == 0 ? cur : -1;
			log_debug("booted ESP from LoaderDevicePartUUID: %s", out->partuuid);
			return 0;
		}
		if (r != -ENOENT)
			return r;
		/* efivarfs shows all variables at once when it is mounted: if
		 * BootCurrent is there and the loader's variable is not, the
		 * loader was not systemd-boot and waiting cannot help. */
		if (efivars_exists(dir, "BootCurrent", EFIVARS_GLOBAL_GUID))
			break;
		unsigned long spent = elapsed_ms(&start);
		if (spent >= wait_ms)
			break;
		if (!said_waiting) {
			log_debug("waiting up to %u ms for efivarfs at %s", wait_ms, dir);
			said_waiting = true;
		}
		unsigned long rest = wait_ms - spent;
		sleep_ms(rest < POLL_MS ? (unsigned)rest : POLL_MS);
	}
	return from_boot_current(dir, wait_ms, out, why);
}
