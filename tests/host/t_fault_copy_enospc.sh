# SPDX-License-Identifier: LGPL-3.0-or-later
# Faults (issue 10): ENOSPC while a file's data is copied to the target,
# in copy_file_range and (after copy_file_range's EXDEV fallback) in write,
# for a kernel file and for an entry. Each run exits 1 with the target
# named, leaves the target booting (every entry and every file it names
# complete: the source's or the old one), and the next sync converges
# (exit 0, in step, no temp file). The plan: fault_machine in lib.sh.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
fault_machine
for n in 1 3; do
	fault_case "copy_file_range ENOSPC #$n" 1 "copy_file_range:error=ENOSPC:when=$n"
	fault_case "write ENOSPC #$n" 1 "write:error=ENOSPC:when=$n"
done
fault_case "write ENOSPC #2 (the kernel, after its initrd landed)" 1 "write:error=ENOSPC:when=2"
