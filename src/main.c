/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* main: the command line. util-linux style: usage(), getopt_long, and the
 * exit codes of verbs.h, documented in --help and bootsync(8). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h" /* generated: BOOTSYNC_VERSION, BOOTSYNC_ESP_ROOT */
#include "esp.h"
#include "generator.h"
#include "log.h"
#include "paths.h"
#include "verbs.h"

/* Options that apply to some verbs only (the others apply to all). */
enum {
	OPT_FOR_DRY_RUN = 1 << 0,
	OPT_FOR_JSON = 1 << 1,
	OPT_FOR_LOCK_TIMEOUT = 1 << 2,
	OPT_FOR_NO_VARIABLES = 1 << 3,
	OPT_FOR_MOUNT_TIMEOUT = 1 << 4,
};

struct verb {
	const char *name;
	int (*run)(const struct options *o);
	unsigned options; /* OPT_FOR_* */
	const char *arg;  /* the name of its one argument, or NULL for none */
};

static const struct verb verbs[] = {
	{ "bind", bind_run, OPT_FOR_MOUNT_TIMEOUT, NULL },
	{ "sync", sync_run, OPT_FOR_DRY_RUN | OPT_FOR_LOCK_TIMEOUT | OPT_FOR_NO_VARIABLES, NULL },
	{ "status", status_run, OPT_FOR_JSON, NULL },
	{ "init", init_run, OPT_FOR_DRY_RUN | OPT_FOR_LOCK_TIMEOUT | OPT_FOR_NO_VARIABLES, "ROOT@X" },
};

static const struct verb *verb_find(const char *name)
{
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* A usage error: one line saying what, one saying where to look.
 * Returns EXIT_USAGE. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	log_error("%s", line);
	fprintf(stderr, "Try 'bootsync --help' for more information.\n");
	return EXIT_USAGE;
}


#define DEFAULT_LOCK_TIMEOUT 60
/* How long bind waits for the booted ESP's mount once its device is there
 * (bootsync-generator orders bind after the device, not the mount): the
 * mount job, an fsck of a vfat at most, takes far less. */
#define DEFAULT_MOUNT_WAIT_MS 10000
/* How long bind waits for systemd-boot's LoaderDevicePartUUID, as the
 * reference does; it stops early when efivarfs shows there is none. */
#define DEFAULT_EFI_WAIT_MS 10000

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: bootsync [OPTIONS] bind|sync|status\n"
		"       bootsync [OPTIONS] init ROOT@X\n"
		"\n"
		"Keep the EFI System Partitions of a mirrored machine in step, so that it\n"
		"boots from any of its disks. ESPs are mounted at ROOT@a ... ROOT@z; the\n"
		"booted one is bind-mounted on ROOT.\n"
		"\n"
		"Verbs:\n"
		"  bind     bind-mount the ESP the firmware booted from on the ESP root\n"
		"  sync     copy the files of this machine's entry token from the ESP root\n"
		"           to every other ESP (only what changed, crash-safely)\n"
		"           and keep systemd-boot on each at least as new as the source's,\n"
		"           with a firmware boot entry for each\n"
		"  status   show every ESP: mounted, device, PARTUUID, booted, bound,\n"
		"           kernels, boot loader, firmware entry, bootable, free space,\n"
		"           in step or what differs\n"
		"  init     bring a new, mounted vfat ESP at ROOT@X into the mirror: boot\n"
		"           loader, firmware boot entry, kernels; then check it boots alone\n"
		"\n"
		"Options:\n"
		"      --esp-root=PATH     the ESP root (default %s)\n"
		"  -n, --dry-run           sync, init: print the plan, write nothing\n"
		"      --json              status: print one JSON object\n"
		"      --lock-timeout=SEC  sync, init: wait at most SEC seconds for another sync\n"
		"                          (default %d)\n"
		"      --no-variables      sync, init: do not create firmware boot entries\n"
		"      --mount-timeout=SEC bind: wait at most SEC seconds for the booted ESP's\n"
		"                          mount (default %d)\n"
		"  -v, --verbose           say more\n"
		"  -q, --quiet             print errors only\n"
		"  -h, --help              show this help and exit\n"
		"  -V, --version           show the version and exit\n"
		"\n"
		"Exit status:\n"
		"  0  success: bound, or every ESP in step\n"
		"  1  an error while working (what was written is consistent)\n"
		"  2  usage error\n"
		"  3  a precondition failed: nothing was done\n"
		"  4  incomplete: an ESP was skipped (not mounted) or refused (newer kernel,\n"
		"     too small); the others were synced. status: some ESP is not in\n"
		"     step or not bootable\n"
		"\n"
		"See bootsync(8).\n",
		BOOTSYNC_ESP_ROOT, DEFAULT_LOCK_TIMEOUT, DEFAULT_MOUNT_WAIT_MS / 1000);
}

static int parse_seconds(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > 86400)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* After --help or --version: a write error (stdout on a full disk, a
 * closed pipe) is a failure, not a success that printed nothing. */
static int stdout_status(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_error("error writing to standard output");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	/* The same program is installed as the systemd generator. */
	const char *base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argc > 0 && argv[0] ? argv[0] : "";
	if (strcmp(base, "bootsync-generator") == 0)
		return generator_run(argc, argv, &paths_system, BOOTSYNC_ESP_ROOT);

	enum { OPT_ESP_ROOT = 0x100, OPT_JSON, OPT_LOCK_TIMEOUT, OPT_NO_VARIABLES, OPT_MOUNT_TIMEOUT };
	static const struct option longopts[] = {
		{ "esp-root", required_argument, NULL, OPT_ESP_ROOT },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
		{ "no-variables", no_argument, NULL, OPT_NO_VARIABLES },
		{ "mount-timeout", required_argument, NULL, OPT_MOUNT_TIMEOUT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = {
		.esp_root = BOOTSYNC_ESP_ROOT,
		.lock_timeout = DEFAULT_LOCK_TIMEOUT,
		.efi_wait_ms = DEFAULT_EFI_WAIT_MS,
		.mount_wait_ms = DEFAULT_MOUNT_WAIT_MS,
	};
	const char *esp_root_arg = BOOTSYNC_ESP_ROOT;
	unsigned given = 0; /* OPT_FOR_* seen on the command line */
	int c;

	while ((c = getopt_long(argc, argv, "nvqhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ESP_ROOT:
			esp_root_arg = optarg;
			break;
		case 'n':
			o.dry_run = true;
			given |= OPT_FOR_DRY_RUN;
			break;
		case OPT_JSON:
			o.json = true;
			given |= OPT_FOR_JSON;
			break;
		case OPT_LOCK_TIMEOUT:
			if (parse_seconds(optarg, &o.lock_timeout) < 0)
				return usage_error("--lock-timeout=%s: not a number of seconds (0..86400)",
						   optarg);
			given |= OPT_FOR_LOCK_TIMEOUT;
			break;
		case OPT_MOUNT_TIMEOUT: {
			unsigned sec;
			if (parse_seconds(optarg, &sec) < 0 || sec > 600)
				return usage_error("--mount-timeout=%s: not a number of seconds (0..600)",
						   optarg);
			o.mount_wait_ms = sec * 1000;
			given |= OPT_FOR_MOUNT_TIMEOUT;
			break;
		}
		case OPT_NO_VARIABLES:
			o.no_variables = true;
			given |= OPT_FOR_NO_VARIABLES;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'q':
			log_set_level(LOG_LEVEL_ERROR);
			break;
		case 'h':
			usage(stdout);
			return stdout_status();
		case 'V':
			printf("bootsync %s\n", BOOTSYNC_VERSION);
			return stdout_status();
		default:
			/* getopt_long has said what was wrong. */
			fprintf(stderr, "Try 'bootsync --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("no verb given: bind, sync, status or init");
	const struct verb *verb = verb_find(argv[optind]);
	if (!verb)
		return usage_error("unknown verb '%s': bind, sync, status or init", argv[optind]);
	int nargs = argc - optind - 1;
	if (verb->arg && nargs == 0)
		return usage_error("%s needs %s", verb->name, verb->arg);
	if (nargs > (verb->arg ? 1 : 0))
		return usage_error("unexpected argument '%s'", argv[optind + (verb->arg ? 2 : 1)]);
	o.arg = verb->arg ? argv[optind + 1] : NULL;
	/* --lock-timeout is accepted everywhere, as it always was: a script
	 * may pass it to every call; only the verbs that lock use it. */
	static const struct { unsigned flag; const char *name; } only[] = {
		{ OPT_FOR_DRY_RUN, "--dry-run" },
		{ OPT_FOR_JSON, "--json" },
		{ OPT_FOR_NO_VARIABLES, "--no-variables" },
		{ OPT_FOR_MOUNT_TIMEOUT, "--mount-timeout" },
	};
	for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
		if ((given & only[i].flag) && !(verb->options & only[i].flag))
			return usage_error("%s does not apply to %s", only[i].name, verb->name);

	char *root = esp_root_normalise(esp_root_arg);
	if (!root) {
		fprintf(stderr, "Try 'bootsync --help' for more information.\n");
		return EXIT_USAGE;
	}
	o.esp_root = root;
	int ret = verb->run(&o);
	free(root);
	/* A write error on stdout (status piped to a full disk) must not pass
	 * for success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_error("error writing to standard output");
		if (ret == EXIT_OK)
			ret = EXIT_ERROR;
	}
	return ret;
}
