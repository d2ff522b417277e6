# SPDX-License-Identifier: LGPL-3.0-or-later
# Faults (issue 10): EIO from unlink on the target: of the old entry
# (#1), of its initrd (#2, after the entry is gone), of its kernel
# directory (#4, rmdir). Exit 1, the target boots (no entry names a
# deleted file), the next sync converges.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
fault_machine
for n in 1 2 4; do
	fault_case "unlink EIO #$n" 1 "unlinkat,unlink,rmdir:error=EIO:when=$n"
done
