#!/bin/bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# The man page renders without a warning (groff and man), names the
# version of the build, and documents every long option and verb that
# `bootsync --help` prints.
# usage: t_man.sh VERSION [path/to/bootsync]
set -u
cd "$(dirname "$0")/../.." || exit 1
VERSION=$1
BIN=${2:-build/bootsync}
PAGE=man/bootsync.8
fail=0
export LC_ALL=C.UTF-8 MANWIDTH=80

# groff exits 0 on warnings: they must be read from stderr.
warn=$(groff -man -Tutf8 -ww "$PAGE" 2>&1 >/dev/null)
if [ -n "$warn" ]; then echo "FAIL groff warns:"; echo "$warn"; fail=1; else echo "ok   groff -man -ww: no warning"; fi
if command -v man >/dev/null; then
	warn=$(man -l "$PAGE" 2>&1 >/dev/null)
	if [ -n "$warn" ]; then echo "FAIL man -l warns:"; echo "$warn"; fail=1; else echo "ok   man -l: no warning"; fi
fi

if grep -q "^\.TH BOOTSYNC 8 .*\"bootsync $VERSION\"" "$PAGE"; then
	echo "ok   .TH names bootsync $VERSION"
else
	echo "FAIL .TH does not name bootsync $VERSION (Makefile VERSION)"; fail=1
fi

# Compare with the rendered text, where \- has become -.
text=$(groff -man -Tascii -P-cbou "$PAGE" 2>/dev/null)
if [ -x "$BIN" ]; then
	help=$("$BIN" --help)
	for word in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u) bind sync status; do
		if grep -q -- "$word" <<<"$text"; then
			echo "ok   $word documented"
		else
			echo "FAIL $word is in --help, not in $PAGE"; fail=1
		fi
	done
else
	echo "SKIP !!! $BIN not built: the --help options were NOT compared with $PAGE"
fi

# The JSON keys of `status --json` that monitoring relies on, and every key
# that src/status.c writes (json_string(j, "key", ...) and the like).
src_keys=$(grep -oE 'json_[a-z_]+\(&?j, "[a-z_]+"' src/status.c 2>/dev/null | sed -E 's/.*"([a-z_]+)"/\1/' | sort -u)
for key in esp_root token booted_partuuid source newest_kernel esps name path \
	mounted device partuuid booted bound kernels in_step differences op \
	bootable free_bytes size_bytes firmware_entry $src_keys; do
	grep -qw -- "$key" <<<"$text" || { echo "FAIL JSON key $key not documented"; fail=1; }
done
[ $fail = 0 ] && echo "ok   JSON keys documented"
exit $fail
