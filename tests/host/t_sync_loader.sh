# SPDX-License-Identifier: LGPL-3.0-or-later
# The boot loader is kept in step, never down: a newer systemd-boot on the
# source (its LoaderInfo version raised) reaches the targets' EFI/systemd/
# and their EFI/BOOT/BOOTX64.EFI where that is systemd-boot, last, after
# the kernels; an older one on the source never overwrites a newer one on
# a target (left alone, a warning, exit 0); a fallback that is not
# systemd-boot (shim, another system's loader) is never touched;
# loader.conf and random-seed stay each ESP's own. status shows each
# ESP's loader version and whether it is behind.
# esp-fs: ext4 vfat
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
source_esp a "$K1"
REAL=$(sdboot_version)
NEWER=252.99-1~deb12u2
esp_sdboot a "$NEWER"
esp_sdboot b            # the real one: older than a's
esp_sdboot c "" nofallback
echo "shim, not systemd-boot" >"$T/shim"
rm -f "$ESP_ROOT@c/EFI/BOOT/BOOTX64.EFI" && cp "$T/shim" "$ESP_ROOT@c/EFI/BOOT/BOOTX64.EFI"
seed_b=$(md5sum <"$ESP_ROOT@b/loader/random-seed")
conf_b=$(md5sum <"$ESP_ROOT@b/loader/loader.conf")

bs_sync --dry-run
assert_rc 0
grep -qxF "$ESP_ROOT@b: update-loader EFI/systemd/systemd-bootx64.efi" "$T/out" || fail "dry run: no loader update for b"
grep -qxF "$ESP_ROOT@b: update-loader EFI/BOOT/BOOTX64.EFI" "$T/out" || fail "dry run: no fallback update for b"
[ "$(grep "^$ESP_ROOT@b: " "$T/out" | grep -v create-boot-entry | tail -n 1 | cut -d" " -f2)" = update-loader ] || fail "the loader does not land last: $(cat "$T/out")"
! grep -q "$ESP_ROOT@c: update-loader EFI/BOOT" "$T/out" || fail "dry run: the shim of c would be replaced"

bs_status --json
jq -e ".esps[] | select(.path == \"$ESP_ROOT@b\") | .loader.version == \"$REAL\" and .loader.behind == true" "$T/out" >/dev/null ||
	fail "status: b's loader: $(jq -c ".esps[] | select(.path == \"$ESP_ROOT@b\") | .loader" "$T/out")"
jq -e ".esps[] | select(.path == \"$ESP_ROOT@a\") | .loader.version == \"$NEWER\" and .loader.behind == false" "$T/out" >/dev/null ||
	fail "status: a's loader"

bs_sync
assert_rc 0
cmp -s "$ESP_ROOT@a/EFI/systemd/systemd-bootx64.efi" "$ESP_ROOT@b/EFI/systemd/systemd-bootx64.efi" || fail "b's systemd-boot not updated"
cmp -s "$ESP_ROOT@a/EFI/systemd/systemd-bootx64.efi" "$ESP_ROOT@b/EFI/BOOT/BOOTX64.EFI" || fail "b's fallback not updated"
cmp -s "$ESP_ROOT@a/EFI/systemd/systemd-bootx64.efi" "$ESP_ROOT@c/EFI/systemd/systemd-bootx64.efi" || fail "c's systemd-boot not updated"
cmp -s "$T/shim" "$ESP_ROOT@c/EFI/BOOT/BOOTX64.EFI" || fail "c's shim was touched"
[ "$(md5sum <"$ESP_ROOT@b/loader/random-seed")" = "$seed_b" ] || fail "b's random-seed changed"
[ "$(md5sum <"$ESP_ROOT@b/loader/loader.conf")" = "$conf_b" ] || fail "b's loader.conf changed"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
assert_no_temp "$ESP_ROOT@b"
bs_status --json
assert_rc 0 "in step after the loader update"
jq -e "all(.esps[]; .loader.version == \"$NEWER\" and .loader.behind == false)" "$T/out" >/dev/null ||
	fail "status after the update: $(jq -c '[.esps[].loader]' "$T/out")"

# Nothing more to do: no write.
bs_sync --dry-run
assert_rc 0
[ ! -s "$T/out" ] || fail "a second plan is not empty: $(cat "$T/out")"

# Never down: a source whose systemd-boot is older than b's.
esp_sdboot a            # the real (older) one on the source now
bs_sync
assert_rc 0 "a newer loader on a target is a warning, not a failure"
assert_err "boot@b: .*newer than the source.s.*left alone"
[ "$(sdboot_version "$ESP_ROOT@b/EFI/systemd/systemd-bootx64.efi")" = "$NEWER" ] || fail "b's newer loader was downgraded"
[ "$(sdboot_version "$ESP_ROOT@b/EFI/BOOT/BOOTX64.EFI")" = "$NEWER" ] || fail "b's newer fallback was downgraded"
bs_status
assert_out "loader: systemd-boot $NEWER .*newer than the source's"
