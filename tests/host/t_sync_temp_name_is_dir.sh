# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Issue 10.9a: the temporary name of a copy must not be one fixed name
# that anything on the target can hold: a directory named
# .bootsync-tmp.linux in the target's <token>/<v>/ (a foreign tool, a
# crafted disk) does not make the sync fail: exit 0, and the kernel, the
# initrd and the entry land.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
mkdir -p "$ESP_ROOT@b/$TOKEN/$K2/.bootsync-tmp.linux" "$ESP_ROOT@b/$TOKEN/$K2/.bootsync-tmp.initrd"
source_esp a "$K2"
bs_sync
assert_rc 0
for f in "$TOKEN/$K2/linux" "$TOKEN/$K2/initrd" "loader/entries/$TOKEN-$K2.conf"; do
	assert_same "$ESP_ROOT@a/$f" "$ESP_ROOT@b/$f"
done
bs_status --json
jq -e --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | .bootable == true' "$T/out" >/dev/null || fail "b is not bootable"
