# SPDX-License-Identifier: LGPL-3.0-or-later
# Faults (issue 10): ENOSPC from mkdir of the new kernel's directory on
# the target. Exit 1, nothing half-made, the target boots, the next sync
# converges.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
fault_machine
fault_case "mkdir ENOSPC" 1 "mkdirat,mkdir:error=ENOSPC:when=1"
