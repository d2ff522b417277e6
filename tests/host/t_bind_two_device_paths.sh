# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10.8: a Boot#### whose FilePathList holds two device paths (UEFI
# 2.10 3.1.3 allows several, each ending with End Entire):
# HD(GPT, the ESP's PARTUUID)/File(\EFI\...)/End Entire, then
# File(\EFI\BOOT\BOOTX64.EFI)/End Entire. With no LoaderDevicePartUUID
# and BootCurrent pointing at it, bind finds the ESP from the first path's
# HD() node and binds it (exit 0).
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
for l in a b; do esp_populate "$l"; done
efi_boot_current 0x0003
mkefivar loadopt "$EFIVARS/Boot0003-$GUID_GLOBAL" "${PARTUUID[b]}" "Linux Boot Manager (b)" \
	--extra-path '\EFI\BOOT\BOOTX64.EFI'
n=$(mount_count)
bs_bind
assert_rc 0 "a load option with two device paths"
[ "$(mount_count)" = $((n + 1)) ] || fail "expected exactly one new mount"
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@b")" ] ||
	fail "ESP root is '$(mount_id "$ESP_ROOT")', expected a bind of $ESP_ROOT@b '$(mount_id "$ESP_ROOT@b")'"
