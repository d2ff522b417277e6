# SPDX-License-Identifier: LGPL-3.0-or-later
# bind refuses, exit 3, one line naming the reason, nothing mounted:
# ESP root already a mountpoint; ESP root not empty; no @ mount has the
# PARTUUID; two @ mounts with the booted PARTUUID (cloned disk);
# BootCurrent entry without HD() (the real firmware-entry
# variables minus LoaderDevicePartUUID); LoaderDevicePartUUID truncated.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate a
esp_populate b
efi_loader_partuuid "${PARTUUID[a]}"

refused() { # refused WHY: exit 3, nothing more mounted, ESP root unchanged
	local why=$1 n=$2
	assert_rc 3 "$why"
	[ "$(mount_count)" = "$n" ] || fail "$why: something was mounted"
	[ "$(grep -c '^bootsync: ' "$T/err")" -ge 1 ] || fail "$why: no 'bootsync: ' line on stderr"
}

# 1. already a mountpoint
mount -t tmpfs tmpfs "$ESP_ROOT"
n=$(mount_count)
bs_bind
refused "already a mountpoint" "$n"
assert_err "already a mountpoint"
assert_err_names "$ESP_ROOT"
[ "$(findmnt -n -o FSTYPE --mountpoint "$ESP_ROOT")" = tmpfs ] || fail "ESP root mount changed"
umount "$ESP_ROOT"

# 2. not empty
touch "$ESP_ROOT/stray"
n=$(mount_count)
bs_bind
refused "not empty" "$n"
assert_err "not empty"
assert_err_names "$ESP_ROOT"
assert_not_mountpoint "$ESP_ROOT"
rm "$ESP_ROOT/stray"

# 3. no @ mount has the PARTUUID (it names a disk that is not mounted):
# bind waits --mount-timeout for it (its mount job may be running), then
# refuses.
efi_loader_partuuid 0badc0de-1111-4222-8333-444455556666
n=$(mount_count)
bs_bind --mount-timeout=1
refused "unknown PARTUUID" "$n"
assert_err "waited 1000 ms"
assert_err "0badc0de-1111-4222-8333-444455556666"
assert_not_mountpoint "$ESP_ROOT"
# ... also when the disk exists but its partition is not mounted at an @
esp_umount b
efi_loader_partuuid "${PARTUUID[b]}"
n=$(mount_count)
bs_bind --mount-timeout=0
refused "PARTUUID of an unmounted disk" "$n"
assert_err "${PARTUUID[b]}"
assert_not_mountpoint "$ESP_ROOT"
esp_mount b

# 4. BootCurrent names the firmware's own entry: no HD() node
efi_clear
efi_fixture firmware-entry
rm -f "$EFIVARS"/LoaderDevicePartUUID-*
n=$(mount_count)
bs_bind
refused "BootCurrent without HD()" "$n"
assert_err "Boot0002"
assert_not_mountpoint "$ESP_ROOT"

# 5. LoaderDevicePartUUID truncated: in its attributes, mid-GUID, odd length
for cut in 3 40 41; do
	efi_clear
	efi_loader_partuuid "${PARTUUID[a]}" --truncate $cut
	n=$(mount_count)
	bs_bind
	refused "LoaderDevicePartUUID cut at $cut bytes" "$n"
	assert_err "LoaderDevicePartUUID"
	assert_not_mountpoint "$ESP_ROOT"
done

# 6. two @ mounts with the same PARTUUID (a cloned disk): ambiguous
efi_clear
disk_add c 64 mount "${PARTUUID[a]}"
esp_populate c
efi_loader_partuuid "${PARTUUID[a]}"
n=$(mount_count)
bs_bind
refused "two ESPs with the booted PARTUUID" "$n"
assert_err_names "$ESP_ROOT@a" "$ESP_ROOT@c"
assert_not_mountpoint "$ESP_ROOT"
