# SPDX-License-Identifier: LGPL-3.0-or-later
# sync on a machine without UEFI (no /sys/firmware/efi: a BIOS boot, a
# container) has no firmware entry to make, so it does not open the ESPs'
# block devices to read their partition tables (libblkid): a no-op sync
# reads the two trees and nothing else. It used to probe every ESP at
# every run, which doubled a cold no-op sync's disk reads (make bench).
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1"
bs_sync
assert_rc 0
rm -rf /sys/firmware/efi
strace_sync "$T/trace" open,openat,openat2
assert_rc 0 "no-op sync without UEFI"
if grep -E '"/dev/[^"]*"' "$T/trace" | grep -v '"/dev/null"' >"$T/devs"; then
	fail "sync without UEFI opened a device: $(head -n3 "$T/devs")"
fi
# With UEFI it does read them (the firmware entries name the partitions):
# the assertion above is not vacuous.
mkdir -p "$EFIVARS"
strace_sync "$T/trace" open,openat,openat2
assert_rc 0 "no-op sync with an (empty) efivarfs"
grep -qE '"/dev/[^"]*"' "$T/trace" || fail "sync with efivars present opened no device: the test sees nothing"
