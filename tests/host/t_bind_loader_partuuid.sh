# SPDX-License-Identifier: LGPL-3.0-or-later
# bind: LoaderDevicePartUUID (upper case, as systemd-boot writes it) names
# disk b; the ESP root becomes a bind of $ESP_ROOT@b (not the first @ mount),
# then a sync from it reaches a.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate a
esp_populate b
kernel_add b "$K2"
modules_add "$K2"
efi_fixture hd-entry                  # real variables: LoaderDevicePartUUID and BootCurrent name b
efi_loader_partuuid "${PARTUUID[b]}"  # (rewritten from our PARTUUID, same bytes)
cmp -s "$EFIVARS/LoaderDevicePartUUID-$GUID_LOADER" \
	"$FIX/hd-entry/efivars/LoaderDevicePartUUID-$GUID_LOADER" || fail "generator differs from the fixture"
n=$(mount_count)
bs_bind
assert_rc 0
assert_mountpoint "$ESP_ROOT"
[ "$(mount_count)" = $((n + 1)) ] || fail "bind mounted $(( $(mount_count) - n )) things, expected 1"
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@b")" ] ||
	fail "ESP root is '$(mount_id "$ESP_ROOT")', expected a bind of $ESP_ROOT@b '$(mount_id "$ESP_ROOT@b")'"
[ "$(findmnt -n -o FSROOT --mountpoint "$ESP_ROOT")" = / ] || fail "ESP root does not bind the fs root of b"
[ "$(findmnt -n -o SOURCE --mountpoint "$ESP_ROOT" | sed 's/\[.*//')" = "${LOOP[b]}p1" ] || fail "ESP root source is not ${LOOP[b]}p1"
[ -f "$ESP_ROOT/loader/loader.conf" ] && grep -q '# esp b' "$ESP_ROOT/loader/loader.conf" || fail "ESP root does not show b's files"

# A second bind refuses: the root is now a mountpoint.
bs_bind
assert_rc 3
[ "$(mount_count)" = $((n + 1)) ] || fail "second bind mounted something"

# And the booted ESP is now the sync source.
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@b" "$ESP_ROOT@a"

# LoaderDevicePartUUID wins over BootCurrent when they disagree.
umount "$ESP_ROOT"
efi_clear
efi_boot_entry 0007 "${PARTUUID[a]}" "Linux Boot Manager (a)"
efi_boot_current 0x0007
efi_loader_partuuid "${PARTUUID[b]}"
bs_bind
assert_rc 0
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@b")" ] || fail "BootCurrent (a) won over LoaderDevicePartUUID (b)"
