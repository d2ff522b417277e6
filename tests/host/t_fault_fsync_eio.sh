# SPDX-License-Identifier: LGPL-3.0-or-later
# Faults (issue 10): EIO from fsync at each step of landing a file on
# the target: the temp file before its rename (#2 kernel, #8 entry), the
# file under its new name after the rename (#3, #9), its directory after
# it (#4, #10), and the entries directory after an entry is deleted
# (#11). Exit 1, the target boots, the next sync converges.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
fault_machine
for n in 2 3 4 8 9 10 11; do
	fault_case "fsync EIO #$n" 1 "fsync,fdatasync:error=EIO:when=$n"
done
