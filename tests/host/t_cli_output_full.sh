# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10 (smaller): output that cannot be written is an error: bootsync
# --version and --help with stdout on /dev/full (ENOSPC on every write)
# exit non-zero, as does status (which already does).
. "$(dirname "$0")/lib.sh"
for args in --version -V --help; do
	RC=0
	"$BOOTSYNC" $args >/dev/full 2>"$T/err" || RC=$?
	LAST_CMD="bootsync $args >/dev/full"
	[ "$RC" != 0 ] || fail "bootsync $args >/dev/full exited 0"
done
true
