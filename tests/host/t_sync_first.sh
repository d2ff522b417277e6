# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# First sync: kernels, initrds, entries and a UKI of the token reach an
# empty target, byte for byte, with their modification times; nothing else
# on the target changes; no temp file is left.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate a
mkdir -p "$ESP_ROOT@a/EFI/Linux"
head -c 300000 /dev/urandom >"$ESP_ROOT@a/EFI/Linux/$TOKEN-$K2.efi"
touch -d @1700001000 "$ESP_ROOT@a/EFI/Linux/$TOKEN-$K2.efi"
source_esp a "$K1" "$K2" "$K3"
esp_populate b
cp "$ESP_ROOT@b/loader/loader.conf" "$T/b-loader.conf"
cp "$ESP_ROOT@b/loader/random-seed" "$T/b-seed"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
for v in "$K1" "$K2" "$K3"; do
	for f in "$TOKEN/$v/linux" "$TOKEN/$v/initrd" "loader/entries/$TOKEN-$v.conf"; do
		assert_same "$ESP_ROOT@a/$f" "$ESP_ROOT@b/$f"
	done
done
assert_same "$ESP_ROOT@a/EFI/Linux/$TOKEN-$K2.efi" "$ESP_ROOT@b/EFI/Linux/$TOKEN-$K2.efi"
cmp -s "$T/b-loader.conf" "$ESP_ROOT@b/loader/loader.conf" || fail "b's loader.conf was touched"
cmp -s "$T/b-seed" "$ESP_ROOT@b/loader/random-seed" || fail "b's random-seed was touched"
# The source is untouched by a sync.
assert_no_temp "$ESP_ROOT@a"
