# SPDX-License-Identifier: LGPL-3.0-or-later
# A target where a managed path has the other type (a file where the source
# has a kernel directory, a directory where the source has an entry) is
# refused whole (exit 4, named, untouched); the other target is synced.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
mkdir -p "$ESP_ROOT@b/loader/entries/$TOKEN-$K1.conf/sub" "$ESP_ROOT@b/$TOKEN"
echo x >"$ESP_ROOT@b/loader/entries/$TOKEN-$K1.conf/sub/f"
echo file >"$ESP_ROOT@b/$TOKEN/$K2"
source_esp a "$K1" "$K2"
snapshot b "$ESP_ROOT@b"
bs_sync
assert_rc 4
assert_err_names "$ESP_ROOT@b"
assert_unchanged b "$ESP_ROOT@b"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@c"
