# SPDX-License-Identifier: LGPL-3.0-or-later
# sync refuses (exit 3, a "bootsync: " line naming what is wrong, no target
# touched) when: the ESP root is not a mountpoint; it has no loader/;
# /etc/machine-id is empty, malformed or "uninitialized"; the newest
# /lib/modules version is not on the ESP root; the ESP root is a bind of no
# @ mount, or of a subdirectory of one. Then, with everything restored, sync works (the control).
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
snapshot b "$ESP_ROOT@b"

refused() {
	assert_rc 3 "$1"
	grep -q '^bootsync: ' "$T/err" || fail "$1: no 'bootsync: ' line on stderr"
	assert_unchanged b "$ESP_ROOT@b"
}

umount "$ESP_ROOT"
bs_sync
refused "ESP root not a mountpoint"
assert_err_names "$ESP_ROOT"
bind_root a

mv "$ESP_ROOT@a/loader" "$ESP_ROOT@a/loader.away"
bs_sync
refused "no loader/"
assert_err "loader"
mv "$ESP_ROOT@a/loader.away" "$ESP_ROOT@a/loader"

for id in "" "not-a-machine-id" "uninitialized" "5a1e0c0ffee04b1d8d6c2f3a4b5c6d7"; do
	set_machine_id "$id"
	bs_sync
	refused "machine-id '$id'"
	assert_err_names /etc/machine-id
done
set_machine_id "$MACHINE_ID"

modules_add "$K4"
bs_sync
refused "newest kernel $K4 not on the ESP root"
assert_err "$K4"
modules_del "$K4"

umount "$ESP_ROOT"
mkdir -p "$T/fake"
cp -a "$ESP_ROOT@a/." "$T/fake/"
mount --bind "$T/fake" "$ESP_ROOT"
bs_sync
refused "ESP root bound from no @ mount"
assert_err_names "$ESP_ROOT"
umount "$ESP_ROOT"

# A bind of a subdirectory of an @ mount is not a bind of the ESP.
mkdir -p "$ESP_ROOT@a/sub"
cp -a "$ESP_ROOT@a/loader" "$ESP_ROOT@a/$TOKEN" "$ESP_ROOT@a/sub/"
snapshot a "$ESP_ROOT@a"
mount --bind "$ESP_ROOT@a/sub" "$ESP_ROOT"
bs_sync
refused "ESP root bound from a subdirectory of @a"
assert_err_names "$ESP_ROOT"
assert_unchanged a "$ESP_ROOT@a"
umount "$ESP_ROOT"
rm -rf "${ESP_ROOT:?}@a/sub"
bind_root a

bs_sync
assert_rc 0 "control: all preconditions hold"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
