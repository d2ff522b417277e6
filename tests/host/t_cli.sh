# SPDX-License-Identifier: LGPL-3.0-or-later
# The command line: --help (exit 0, every option and verb, the exit codes),
# --version, usage errors exit 2 (unknown option, unknown verb, no verb,
# bad --lock-timeout).
. "$(dirname "$0")/lib.sh"
machine_init
bs --help
assert_rc 0 "--help"
cp "$T/out" "$T/help"
for o in --esp-root --dry-run --json --lock-timeout --verbose --quiet --help --version bind sync status; do
	grep -qF -- "$o" "$T/help" || fail "--help does not mention $o"
done
for o in -n -v -q -h -V; do
	grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$T/help" || fail "--help does not mention $o"
done
grep -qi exit "$T/help" || fail "--help does not document the exit codes"
for c in 0 1 2 3 4; do grep -iE "(^|[^0-9])$c([^0-9]|\$)" "$T/help" | grep -q . || fail "--help does not list exit code $c"; done
bs -h
assert_rc 0 "-h"
cmp -s "$T/help" "$T/out" || fail "-h and --help differ"

bs --version
assert_rc 0 "--version"
grep -qE '[0-9]' "$T/out" || fail "--version prints no version"

bs --no-such-option status
assert_rc 2 "unknown option"
[ -s "$T/err" ] || fail "unknown option: nothing on stderr"
bs status --no-such-option
assert_rc 2 "unknown option after the verb"
bs frobnicate
assert_rc 2 "unknown verb"
assert_err_names frobnicate
bs
assert_rc 2 "no verb"
bs --lock-timeout=abc sync
assert_rc 2 "--lock-timeout=abc"
