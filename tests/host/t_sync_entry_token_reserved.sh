# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Issue 10.2: an entry token that names one of the ESP's own top-level
# directories, EFI or loader, in any case (vfat ignores it), would make the
# boot loader, other systems' files, loader.conf and random-seed "managed":
# copied over or deleted. Such a token in /etc/kernel/entry-token is
# refused before anything happens: exit 3, a message naming
# /etc/kernel/entry-token, and every file of every ESP as it was.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
mkdir -p "$ESP_ROOT@b/EFI/Microsoft/Boot"
head -c 60000 /dev/urandom >"$ESP_ROOT@b/EFI/Microsoft/Boot/bootmgfw.efi"
esp_populate a
# RESERVED_TOKENS="..." runs some of them alone.
for tok in ${RESERVED_TOKENS:-EFI efi Efi loader Loader LOADER}; do
	set_entry_token "$tok"
	# A source that passes every other precondition with this token.
	[ -d "$ESP_ROOT@a/$tok/$K2" ] || kernel_add a "$K2"
	modules_add "$K2"
	mountpoint -q "$ESP_ROOT" || bind_root a
	snapshot a "$ESP_ROOT@a"
	snapshot b "$ESP_ROOT@b"
	bs_sync
	assert_rc 3 "entry token '$tok'"
	assert_err_names /etc/kernel/entry-token
	assert_unchanged b "$ESP_ROOT@b"
	assert_unchanged a "$ESP_ROOT@a"
	bs_sync --dry-run
	assert_rc 3 "entry token '$tok', --dry-run"
	[ ! -s "$T/out" ] || fail "entry token '$tok': --dry-run printed a plan: $(head -n 3 "$T/out" | tr '\n' ' ')"
done
for f in EFI/Microsoft/Boot/bootmgfw.efi loader/loader.conf loader/random-seed EFI/systemd/systemd-bootx64.efi EFI/BOOT/BOOTX64.EFI; do
	assert_file "$ESP_ROOT@b/$f"
done
