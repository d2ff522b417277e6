/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* verbs: bind, sync, status and init, each returning the program's exit code. */
#pragma once
#include <stdbool.h>

enum exit_code {
	EXIT_OK = 0,           /* bound; every ESP in step */
	EXIT_ERROR = 1,        /* an error while working; what was written is consistent */
	EXIT_USAGE = 2,        /* bad command line */
	EXIT_PRECONDITION = 3, /* a precondition failed: nothing was done */
	EXIT_INCOMPLETE = 4,   /* some ESP skipped or refused; the others synced */
};

struct options {
	const char *esp_root; /* normalised */
	bool dry_run;
	bool json;
	bool no_variables;     /* sync, init: never write EFI variables */
	const char *arg;       /* init: ROOT@X */
	unsigned lock_timeout; /* seconds */
	unsigned efi_wait_ms;  /* bind: wait for LoaderDevicePartUUID */
	unsigned mount_wait_ms; /* bind: wait for the booted ESP's mount */
};

int bind_run(const struct options *o);
int sync_run(const struct options *o);
int status_run(const struct options *o);
int init_run(const struct options *o);
