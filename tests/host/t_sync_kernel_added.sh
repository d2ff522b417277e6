# SPDX-License-Identifier: LGPL-3.0-or-later
# A kernel added on the source reaches the target (-q: silent; -v: names
# the target even when in step); files that did not
# change are not rewritten (same inode on the target); a rebuilt initrd
# (new bytes and mtime, same size) replaces the old one through a new file
# (temp file + rename: a new inode, never a rewrite in place).
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync -q
assert_rc 0
[ ! -s "$T/err" ] || fail "-q: a successful sync printed on stderr"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
ino_linux=$(stat -c %i "$ESP_ROOT@b/$TOKEN/$K1/linux")
ino_entry=$(stat -c %i "$ESP_ROOT@b/loader/entries/$TOKEN-$K1.conf")
ino_initrd=$(stat -c %i "$ESP_ROOT@b/$TOKEN/$K2/initrd")

kernel_add a "$K3"
modules_add "$K3"
head -c $((2048 * 1024)) /dev/urandom >"$ESP_ROOT@a/$TOKEN/$K2/initrd"
touch -d @1700500000 "$ESP_ROOT@a/$TOKEN/$K2/initrd"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
assert_same "$ESP_ROOT@a/$TOKEN/$K3/linux" "$ESP_ROOT@b/$TOKEN/$K3/linux"
assert_same "$ESP_ROOT@a/$TOKEN/$K3/initrd" "$ESP_ROOT@b/$TOKEN/$K3/initrd"
assert_same "$ESP_ROOT@a/loader/entries/$TOKEN-$K3.conf" "$ESP_ROOT@b/loader/entries/$TOKEN-$K3.conf"
assert_same "$ESP_ROOT@a/$TOKEN/$K2/initrd" "$ESP_ROOT@b/$TOKEN/$K2/initrd"
[ "$(stat -c %i "$ESP_ROOT@b/$TOKEN/$K1/linux")" = "$ino_linux" ] || fail "unchanged $K1/linux was rewritten"
[ "$(stat -c %i "$ESP_ROOT@b/loader/entries/$TOKEN-$K1.conf")" = "$ino_entry" ] || fail "unchanged entry of $K1 was rewritten"
[ "$(stat -c %i "$ESP_ROOT@b/$TOKEN/$K2/initrd")" != "$ino_initrd" ] ||
	fail "the changed initrd of $K2 was rewritten in place (same inode), not replaced by rename"
# -v says what it found for each target, even when nothing is to do.
bs_sync -v
assert_rc 0
assert_err_names "$ESP_ROOT@b"
