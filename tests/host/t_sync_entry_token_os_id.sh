# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# An entry token that is an OS id (kernel-install --entry-token=os-id writes
# "debian", "fedora", ...) also names the distribution's boot loader
# directory EFI/debian/ (grub, shim). That directory is the boot loader, not
# a managed path: the target's stays, the source's is not copied. Only
# <token>/..., loader/entries/<token>-*.conf and EFI/Linux/<token>-*.efi are
# managed.
. "$(dirname "$0")/lib.sh"
machine_init
set_entry_token debian
disk_add a
disk_add b
esp_populate b
mkdir -p "$ESP_ROOT@b/EFI/debian"
head -c 50000 /dev/urandom >"$ESP_ROOT@b/EFI/debian/grubx64.efi"
echo "search ..." >"$ESP_ROOT@b/EFI/debian/grub.cfg"
snapshot grub "$ESP_ROOT@b/EFI/debian"
source_esp a "$K1" "$K2"
mkdir -p "$ESP_ROOT@a/EFI/debian"
head -c 50000 /dev/urandom >"$ESP_ROOT@a/EFI/debian/shimx64.efi"
bs_sync --dry-run
assert_rc 0
grep -F "EFI/debian" "$T/out" && fail "the plan touches EFI/debian: $(grep -F EFI/debian "$T/out" | tr '\n' ' ')"
bs_sync
assert_rc 0
assert_unchanged grub "$ESP_ROOT@b/EFI/debian"
assert_no_path "$ESP_ROOT@b/EFI/debian/shimx64.efi"
for v in "$K1" "$K2"; do
	assert_same "$ESP_ROOT@a/debian/$v/linux" "$ESP_ROOT@b/debian/$v/linux"
	assert_same "$ESP_ROOT@a/loader/entries/debian-$v.conf" "$ESP_ROOT@b/loader/entries/debian-$v.conf"
done
