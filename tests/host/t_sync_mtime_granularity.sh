# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# "Changed" means another size, or a modification time off by 2 s or more
# (vfat keeps times to 2 s): 1 s apart is in step, 4 s apart is replaced,
# same time but another size is replaced.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
B=$ESP_ROOT@b
t=$(stat -c %Y "$ESP_ROOT@a/$TOKEN/$K1/linux")
touch -d "@$((t + 1))" "$B/$TOKEN/$K1/linux"
bs_sync --dry-run
assert_rc 0
[ ! -s "$T/out" ] || fail "1 s apart counted as changed: $(head -n 3 "$T/out")"
bs_status
assert_rc 0 "1 s apart is in step"

touch -d "@$((t - 4))" "$B/$TOKEN/$K1/linux"
bs_sync --dry-run
assert_rc 0
grep -qxF "$B: replace $TOKEN/$K1/linux" "$T/out" || fail "4 s apart not replaced"
bs_status
assert_rc 4 "4 s apart is not in step"

# One byte more, in a new file (fusefat mishandles appends in place).
cp "$B/$TOKEN/$K2/initrd" "$T/initrd" && printf 'x' >>"$T/initrd" &&
	rm "$B/$TOKEN/$K2/initrd" && cp "$T/initrd" "$B/$TOKEN/$K2/initrd" || fail "setup: grow initrd"
touch -d "@$(stat -c %Y "$ESP_ROOT@a/$TOKEN/$K2/initrd")" "$B/$TOKEN/$K2/initrd"
bs_sync --dry-run
grep -qxF "$B: replace $TOKEN/$K2/initrd" "$T/out" || fail "another size, same time, not replaced"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$B"
