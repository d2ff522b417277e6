# SPDX-License-Identifier: LGPL-3.0-or-later
# Faults (issue 10): EIO from the rename that lands a file on the target
# (#1 initrd, #2 kernel, #3 entry). Exit 1, the temp file removed (or
# removed by the next sync), the target boots, the next sync converges.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
fault_machine
for n in 1 2 3; do
	fault_case "rename EIO #$n" 1 "renameat,renameat2,rename:error=EIO:when=$n"
done
