# SPDX-License-Identifier: LGPL-3.0-or-later
# A target holding a kernel newer than the newest in /lib/modules is
# refused (exit 4, named, left untouched); the other target is synced. A
# target with 6.1.0-9 (older by sort -V, "newer" by strcmp) is not refused.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
kernel_add b "$KNEWER"
kernel_add c "$K1"
source_esp a "$K2" "$K3"
snapshot b "$ESP_ROOT@b"
bs_sync
assert_rc 4
assert_err "newer"
assert_err_names "$ESP_ROOT@b"
assert_unchanged b "$ESP_ROOT@b"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@c"
assert_no_path "$ESP_ROOT@c/$TOKEN/$K1"
err_text | grep -F "<T>/boot@c" | grep -qi newer && fail "c ($K1 < $K3 by sort -V) was called newer"
true
