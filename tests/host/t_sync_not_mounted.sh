# SPDX-License-Identifier: LGPL-3.0-or-later
# A target whose mountpoint exists but has nothing mounted is skipped (exit
# 4, "not mounted", named), nothing is written into the bare directory, and
# the other target is synced.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b 64 nomount
disk_add c
esp_populate c
source_esp a "$K1" "$K2"
snapshot dir "$ESP_ROOT@b"
bs_sync
assert_rc 4
assert_err "not mounted"
assert_err_names "$ESP_ROOT@b"
assert_unchanged dir "$ESP_ROOT@b"
[ -z "$(ls -A "$ESP_ROOT@b")" ] || fail "something was written into the bare mountpoint $ESP_ROOT@b"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@c"
