# SPDX-License-Identifier: LGPL-3.0-or-later
# A kernel removed from the source is removed from the target: its entry,
# its files and its directory; a UKI of the token gone from the source goes.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
mkdir -p "$ESP_ROOT@a/EFI/Linux"
head -c 100000 /dev/urandom >"$ESP_ROOT@a/EFI/Linux/$TOKEN-$K1.efi"
source_esp a "$K1" "$K2" "$K3"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
assert_file "$ESP_ROOT@b/EFI/Linux/$TOKEN-$K1.efi"

kernel_del a "$K1"
rm "$ESP_ROOT@a/EFI/Linux/$TOKEN-$K1.efi"
modules_del "$K1"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
assert_no_path "$ESP_ROOT@b/loader/entries/$TOKEN-$K1.conf"
assert_no_path "$ESP_ROOT@b/$TOKEN/$K1"
assert_no_path "$ESP_ROOT@b/EFI/Linux/$TOKEN-$K1.efi"
assert_file "$ESP_ROOT@b/$TOKEN/$K2/linux"
assert_file "$ESP_ROOT@b/EFI/systemd/systemd-bootx64.efi"
