# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Issue 10.1: the newer-kernel guard reads UKI names without case, as vfat
# does. A target holding EFI/Linux/<token>-<newer>.EFI (upper-case
# extension; newer than anything in /lib/modules) is refused exactly as
# the same file named .efi is: sync exits 4, the UKI is still there byte
# for byte (nothing on the target changes), and status --json shows that
# ESP with "state":"refused". The other target is synced.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
mkdir -p "$ESP_ROOT@b/EFI/Linux"
head -c 200000 /dev/urandom >"$ESP_ROOT@b/EFI/Linux/$TOKEN-$KNEWER.EFI"
touch -d @1700003000 "$ESP_ROOT@b/EFI/Linux/$TOKEN-$KNEWER.EFI"
cp "$ESP_ROOT@b/EFI/Linux/$TOKEN-$KNEWER.EFI" "$T/uki"
source_esp a "$K2" "$K3"
snapshot b "$ESP_ROOT@b"
bs_sync
assert_rc 4 "a target with a newer UKI named .EFI must be refused"
assert_err_names "$ESP_ROOT@b"
cmp -s "$T/uki" "$ESP_ROOT@b/EFI/Linux/$TOKEN-$KNEWER.EFI" || fail "the newer UKI on b is gone or changed"
assert_unchanged b "$ESP_ROOT@b"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@c"
bs_status --json
assert_rc 4
jq -e --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | .state == "refused" and .in_step == false' "$T/out" >/dev/null ||
	fail "status --json does not show b refused: $(jq -c --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | {state, reason, in_step}' "$T/out")"
assert_unchanged b "$ESP_ROOT@b"
