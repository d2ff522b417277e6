/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* paths: every file and directory of the system this program reads or
 * locks, in one place. The program uses paths_system; unit tests pass
 * their own (fixtures, scratch directories); host tests redirect the
 * system paths with bind mounts in a private mount namespace. */
#pragma once

struct paths {
	const char *mountinfo;   /* the mount table (libmount) */
	const char *fstab;       /* the ESPs' mount lines */
	const char *efivars;     /* efivarfs */
	const char *modules;     /* installed kernel versions */
	const char *machine_id;  /* the entry token when entry_token is absent */
	const char *entry_token; /* kernel-install's entry token */
	const char *lock;        /* one sync at a time */
};

extern const struct paths paths_system;
