/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* efivars: the raw EFI variables of an efivarfs directory.
 *
 * A file NAME-GUID holds 4 attribute bytes, then the payload. Every read
 * is bounded by EFIVARS_MAX and its content is hostile input: another OS,
 * buggy firmware or a truncated write may have left anything there. This
 * layer reads bytes; what they mean is for loadopt.c (Boot####) and
 * booted.c (which ESP booted). It logs nothing: it says what went wrong in
 * a reason naming the variable, and the caller decides how loud to be. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reason.h"

#define EFIVARS_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"
#define EFIVARS_LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
#define EFIVARS_MAX (64 * 1024)

/* Read NAME-GUID from dir. Returns 0 with the payload in *data (malloc'd,
 * exactly *len bytes, without the attributes; caller frees) and, if
 * attributes is not NULL, the attribute word. Errors: -ENOENT when it does
 * not exist (why left empty: absence is an answer), -EBADMSG when it is
 * shorter than the attribute bytes, -EFBIG when the payload is over
 * EFIVARS_MAX, another negative errno when it cannot be read; why then
 * reads "NAME-GUID: <what is wrong>". */
int efivars_read(const char *dir, const char *name, const char *guid, uint32_t *attributes,
		 uint8_t **data, size_t *len, struct reason *why);

/* Attributes of boot variables: non-volatile, boot and runtime access. */
#define EFIVARS_ATTR_NV_BS_RT 0x00000007u

/* Write NAME-GUID in dir: the attribute word and data in one write, as
 * efivarfs requires (it becomes one SetVariable call). efivarfs marks
 * variables it does not know immutable; such a flag is cleared for the
 * write and put back. Returns 0, or a negative errno with why saying in
 * words what refused it (a read-only efivarfs, permission, no space left
 * in the firmware's store). Logs nothing. */
int efivars_write(const char *dir, const char *name, const char *guid, uint32_t attributes,
		  const uint8_t *data, size_t len, struct reason *why);

/* Does NAME-GUID exist in dir (not following a symlink)? */
bool efivars_exists(const char *dir, const char *name, const char *guid);

/* Did the kernel see UEFI firmware? On a UEFI boot it creates the
 * directory holding dir (/sys/firmware/efi) long before userspace runs,
 * whether or not efivarfs is mounted on dir yet. Returns false, with why
 * naming that directory, only when it is known to be missing. */
bool efivars_firmware_present(const char *dir, struct reason *why);

/* The numbers #### of the Boot####-<global GUID> variables in dir (four
 * upper-case hex digits, as the specification spells them), sorted.
 * Returns the count (>= 0) with *numbers set (caller frees; NULL when 0),
 * -ENOENT (not logged) when dir does not exist, or another negative errno,
 * logged with dir's name. */
int efivars_list_boot(const char *dir, uint16_t **numbers);
