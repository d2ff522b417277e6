/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* token: the entry token that names this machine's boot entries.
 *
 * /etc/kernel/entry-token if it exists (first line, trimmed), else
 * /etc/machine-id (exactly 32 lower-case hex digits, "uninitialized" and
 * all-zero refused). A token must be 1..64 characters of [A-Za-z0-9._-]
 * and not "." or "..": it is used as a path component. Nor may it be "EFI"
 * or "loader" in any case (layout_token_is_reserved): the firmware's and
 * the boot loader's directories are never this machine's. */
#pragma once
#include <stddef.h>

#include "reason.h"

#define TOKEN_MAX 64

/* Returns 0 and writes the token to out, or a negative errno with why
 * naming the file and what is wrong with it (missing, empty, malformed,
 * too long): -EBADMSG for bad content, the read's errno (e.g. -ENOENT for
 * a missing machine-id) otherwise. An entry-token file that exists but is
 * bad is an error, with no fall back to the machine id. entry_token_path
 * may be NULL (machine id only). The program passes paths_system's; unit
 * tests, fixtures. Logs nothing. */
int token_read(const char *entry_token_path, const char *machine_id_path, char out[TOKEN_MAX + 1],
	       struct reason *why);

/* Is s a valid token (see above)? 1 or 0; NULL is not. */
int token_is_valid(const char *s);
