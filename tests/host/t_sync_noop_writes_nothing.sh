# SPDX-License-Identifier: LGPL-3.0-or-later
# A second sync of a 3-kernel ESP writes zero bytes to the target's device
# (sectors written, field 7 of /sys/block/loopN/stat, after a sync(1)), and
# nothing to the source's.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a 96
disk_add b 96
esp_populate b
esp_populate a
for v in "$K1" "$K2" "$K3"; do kernel_add a "$v" 6144 10240; done   # 3 x 16 MiB
source_esp a "$K1" "$K2" "$K3"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
snapshot b "$ESP_ROOT@b"
settle_atime "$ESP_ROOT@a"
settle_atime "$ESP_ROOT@b"
wa=$(sectors_written a)
wb=$(sectors_written b)
bs_sync
assert_rc 0
da=$(( $(sectors_written a) - wa ))
db=$(( $(sectors_written b) - wb ))
[ "$db" = 0 ] || fail "second sync wrote $db sectors to the target ${LOOP[b]}"
[ "$da" = 0 ] || fail "second sync wrote $da sectors to the source ${LOOP[a]}"
assert_unchanged b "$ESP_ROOT@b"
