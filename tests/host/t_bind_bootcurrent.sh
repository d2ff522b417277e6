# SPDX-License-Identifier: LGPL-3.0-or-later
# bind without LoaderDevicePartUUID: BootCurrent -> Boot#### -> HD() node.
# The firmware's own entries (fixture Boot0000..0005) stay in place; our
# Boot0007 points at disk b with an HD(1,GPT,...) node.
. "$(dirname "$0")/lib.sh"
machine_init
# The generator must reproduce the real efibootmgr entry byte for byte.
mkefivar loadopt "$T/Boot0006" 9d70e039-6346-674e-a5d5-59d81b1d69c5 "Linux Boot Manager (b)" --start 0x800 --size 0x5cc60
cmp -s "$T/Boot0006" "$FIX/hd-entry/efivars/Boot0006-$GUID_GLOBAL" || fail "load option generator differs from the fixture"

disk_add a
disk_add b
disk_add c
for l in a b c; do esp_populate "$l"; done
efi_fixture firmware-entry
rm -f "$EFIVARS"/LoaderDevicePartUUID-* "$EFIVARS"/Loader*-"$GUID_LOADER"
# Boot0006 of the fixture names b's real PARTUUID, which is also ours for b:
# point a fresh entry at c instead, and boot from it.
efi_boot_entry 0007 "${PARTUUID[c]}" "Linux Boot Manager (c)"
efi_boot_current 0x0007
n=$(mount_count)
bs_bind
assert_rc 0
[ "$(mount_count)" = $((n + 1)) ] || fail "expected exactly one new mount"
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@c")" ] ||
	fail "ESP root is '$(mount_id "$ESP_ROOT")', expected a bind of $ESP_ROOT@c '$(mount_id "$ESP_ROOT@c")'"
grep -q '# esp c' "$ESP_ROOT/loader/loader.conf" || fail "ESP root does not show c's files"
umount "$ESP_ROOT"

# The real hd-entry variables minus LoaderDevicePartUUID: BootCurrent 0006 -> b.
efi_clear
efi_fixture hd-entry
rm -f "$EFIVARS"/LoaderDevicePartUUID-*
bs_bind
assert_rc 0
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@b")" ] || fail "hd-entry fixture: ESP root is not a bind of b"
