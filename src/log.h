/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* log: messages on stderr, one line each, prefixed "bootsync: ". */
#pragma once
#include <stdarg.h>

enum log_level { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_set_level(enum log_level level);

/* All return -err (if err > 0) or -EIO, so that "return log_error_errno(r, ...)"
 * both reports and propagates. */
int log_error_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
