# SPDX-License-Identifier: LGPL-3.0-or-later
# status on a machine booted without UEFI (no /sys/firmware/efi: a BIOS
# boot, a container) is not an error: it says so in its output, where the
# booted ESP would be, and prints nothing on stderr (it used to print an
# error line at every run). Exit 0 when every ESP is in step.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1"
bs_sync
assert_rc 0
rm -rf /sys/firmware/efi
bs_status
assert_rc 0 "in step, no UEFI"
[ ! -s "$T/err" ] || fail "status printed on stderr without UEFI: $(cat "$T/err")"
assert_out "^booted from: unknown \(.*not booted through UEFI"
bs_status --json
assert_rc 0 "--json, no UEFI"
[ ! -s "$T/err" ] || fail "status --json printed on stderr without UEFI: $(cat "$T/err")"
[ "$(jq -r '.booted_partuuid, .booted_from, (.esps[0].booted|tostring)' "$T/out" | tr '\n' ' ')" = "null null null " ] ||
	fail "booted fields without UEFI: $(jq -c '{booted_partuuid, booted_from, b: .esps[0].booted}' "$T/out")"
