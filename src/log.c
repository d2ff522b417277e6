/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* log: one-line messages on stderr, filtered by the level set from -v / -q. */
#include "log.h"

#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum log_level current_level = LOG_LEVEL_INFO;

void log_set_level(enum log_level level) { current_level = level; }

static void log_v(enum log_level level, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void log_v(enum log_level level, int err, const char *fmt, va_list ap)
{
	if (level > current_level)
		return;
	/* One fprintf per line: lines from concurrent runs do not interleave. */
	char raw[1024], line[2048];
	int n = vsnprintf(raw, sizeof raw, fmt, ap);
	if (n < 0)
		return;
	/* Names from a foreign disk are in these lines: no control character
	 * or invalid UTF-8 may reach the terminal or the journal as it is. */
	text_escape(raw, line, sizeof line);
	const char *prefix = level == LOG_LEVEL_WARN ? "warning: " : "";
	if (err > 0)
		fprintf(stderr, "bootsync: %s%s: %s\n", prefix, line, strerror(err));
	else
		fprintf(stderr, "bootsync: %s%s\n", prefix, line);
}

int log_error_errno(int err, const char *fmt, ...)
{
	va_list ap;
	err = abs(err);
	va_start(ap, fmt);
	log_v(LOG_LEVEL_ERROR, err, fmt, ap);
	va_end(ap);
	return err > 0 ? -err : -EIO;
}

#define DEFINE_LOG(name, level)                                                                    \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_v(level, 0, fmt, ap);                                                          \
		va_end(ap);                                                                        \
	}
DEFINE_LOG(log_error, LOG_LEVEL_ERROR)
DEFINE_LOG(log_warn, LOG_LEVEL_WARN)
DEFINE_LOG(log_info, LOG_LEVEL_INFO)
DEFINE_LOG(log_debug, LOG_LEVEL_DEBUG)
