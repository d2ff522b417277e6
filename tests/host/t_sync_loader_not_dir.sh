# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10 (smaller): a target where loader, or loader/entries, is a file
# and not a directory cannot take entries: it is refused (exit 4, as a
# type conflict is), named, untouched, and status --json says refused;
# the sync does not fail as an error while working (exit 1).
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
mkdir -p "$ESP_ROOT@b/EFI/BOOT" "$ESP_ROOT@c/EFI/BOOT" "$ESP_ROOT@c/loader"
head -c 1000 /dev/urandom >"$ESP_ROOT@b/EFI/BOOT/BOOTX64.EFI"
head -c 1000 /dev/urandom >"$ESP_ROOT@c/EFI/BOOT/BOOTX64.EFI"
echo "not a directory" >"$ESP_ROOT@b/loader"
echo "not a directory" >"$ESP_ROOT@c/loader/entries"
source_esp a "$K1" "$K2"
for l in b c; do snapshot "$l" "$ESP_ROOT@$l"; done
bs_sync
assert_rc 4
for l in b c; do
	assert_err_names "$ESP_ROOT@$l"
	assert_unchanged "$l" "$ESP_ROOT@$l"
done
bs_status --json
for l in b c; do
	jq -e --arg p "$ESP_ROOT@$l" '.esps[] | select(.path == $p) | .state == "refused"' "$T/out" >/dev/null ||
		fail "status: $l not refused: $(jq -c --arg p "$ESP_ROOT@$l" '.esps[] | select(.path == $p) | {state, reason}' "$T/out")"
done
true
