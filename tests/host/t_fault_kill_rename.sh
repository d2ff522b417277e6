# SPDX-License-Identifier: LGPL-3.0-or-later
# Faults (issue 10): SIGKILL at each rename that lands a file on the
# target, just before it (#1 initrd, #2 kernel, #3 entry: strace delivers
# the signal on entry to the call) and just after it (at the fsync that
# follows: #3, #6, #9). Killed (exit 137), the target boots, the temp file
# left is removed by the next sync, which converges.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
fault_machine
for n in 1 2 3; do
	fault_case "SIGKILL at rename #$n" 137 "renameat,renameat2,rename:signal=SIGKILL:when=$n"
	fault_case "SIGKILL after rename #$n" 137 "fsync,fdatasync:signal=SIGKILL:when=$((n * 3))"
done
