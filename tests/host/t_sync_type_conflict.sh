# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
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
# The refusal is reported once: one error line naming b (it used to be
# two, the second "cannot plan a safe sync: File exists"), in words.
n=$(grep -c "^bootsync: .*$ESP_ROOT@b" "$T/err")
[ "$n" = 1 ] || fail "$n error lines name $ESP_ROOT@b, want 1"
! grep -qi 'File exists' "$T/err" || fail "strerror text in the refusal"
assert_err "is a (file|directory) on the source but a (directory|file) on the target"
