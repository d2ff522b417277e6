# SPDX-License-Identifier: LGPL-3.0-or-later
# A target that cannot hold the plan is refused whole before any write
# (exit 4, "space" and the byte counts in the message, target untouched,
# no sector written); the other target is synced.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a 96
disk_add b 12
disk_add c 96
esp_populate b
esp_populate c
esp_populate a
for v in "$K1" "$K2" "$K3"; do kernel_add a "$v" 4096 8192; done   # 36 MiB in all
source_esp a "$K1" "$K2" "$K3"
snapshot b "$ESP_ROOT@b"
settle_atime "$ESP_ROOT@b"
wb=$(sectors_written b)
bs_sync
assert_rc 4
assert_err "space"
assert_err_names "$ESP_ROOT@b"
grep -i space "$T/err" | grep -qE '[0-9]{6,}' || fail "the space message gives no byte counts"
[ $(( $(sectors_written b) - wb )) = 0 ] || fail "refused target ${LOOP[b]} was written to"
assert_unchanged b "$ESP_ROOT@b"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@c"
