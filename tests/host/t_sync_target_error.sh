# SPDX-License-Identifier: LGPL-3.0-or-later
# A write error on one target (its filesystem went read-only, as vfat does
# with errors=remount-ro) is an error while working: exit 1, the target
# named, left as it was; the other target is still synced. --esp-root with
# a trailing slash means the same root.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
source_esp a "$K1" "$K2"
mount -o remount,ro "$ESP_ROOT@b" || fail "remount b read-only"
snapshot b "$ESP_ROOT@b"
bs_sync
assert_rc 1
assert_err_names "$ESP_ROOT@b"
assert_err "read-only"
assert_unchanged b "$ESP_ROOT@b"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@c"

mount -o remount,rw "$ESP_ROOT@b" || fail "remount b read-write"
bs sync --esp-root="$ESP_ROOT/"
assert_rc 0 "--esp-root=$ESP_ROOT/"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
