# SPDX-License-Identifier: LGPL-3.0-or-later
# bind at early boot: efivarfs may not be populated yet. With no variable at
# all, bind waits (bounded) and binds as soon as LoaderDevicePartUUID
# appears; with BootCurrent present and no LoaderDevicePartUUID (no
# systemd-boot), it does not wait the full bound.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate a
esp_populate b
( sleep 1.5; mkefivar partuuid "$EFIVARS/LoaderDevicePartUUID-$GUID_LOADER.tmp" "${PARTUUID[b]}" &&
	mv "$EFIVARS/LoaderDevicePartUUID-$GUID_LOADER.tmp" "$EFIVARS/LoaderDevicePartUUID-$GUID_LOADER" ) &
BGPIDS+=($!)
t0=$(date +%s%N)
bs_bind
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
assert_rc 0 "LoaderDevicePartUUID appeared after 1.5 s"
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@b")" ] || fail "ESP root is not a bind of b"
[ "$ms" -ge 1400 ] || fail "bound after ${ms} ms, before the variable existed?"
[ "$ms" -le 8000 ] || fail "bound after ${ms} ms, long after the variable appeared at 1.5 s"
umount "$ESP_ROOT"
wait

# BootCurrent (-> an HD() entry for a) and no LoaderDevicePartUUID: no 10 s wait.
efi_clear
efi_boot_entry 0003 "${PARTUUID[a]}" "Linux Boot Manager (a)"
efi_boot_current 0x0003
t0=$(date +%s%N)
bs_bind
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
assert_rc 0
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@a")" ] || fail "ESP root is not a bind of a"
[ "$ms" -le 5000 ] || fail "waited ${ms} ms for LoaderDevicePartUUID although BootCurrent was there"
