# SPDX-License-Identifier: LGPL-3.0-or-later
# bootsync init ROOT@X brings a replacement ESP into the mirror: on a blank
# vfat ESP it copies systemd-boot (and the removable-media copy, as the
# source has one), loader.conf (the ESP has none; never the random seed),
# the kernels and entries, makes its firmware boot entry, and says that it
# boots alone; on an ESP with another system's files they stay, a
# fallback that is not systemd-boot is not touched. --dry-run prints the
# plan and writes nothing. Refusals, each with its message, exit 3 and
# nothing written: not mounted, not vfat, the source, too small (with the
# numbers), boot entries of another entry token.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
DISK_FS[c]=vfat DISK_FS[d]=vfat DISK_FS[e]=vfat DISK_FS[f]=vfat
for l in c d e f; do size=64; [ $l = e ] && size=40; disk_add $l $size nomount; done
esp_populate b
source_esp a "$K1" "$K2"
esp_sdboot a
esp_sdboot b
efi_loader_partuuid "${PARTUUID[a]}"
efi_boot_current 0x0001
efi_boot_entry 0001 "${PARTUUID[a]}" "Linux Boot Manager"
printf '\x07\x00\x00\x00\x01\x00' >"$EFIVARS/BootOrder-$GUID_GLOBAL"
bs_sync
assert_rc 4 "the new disks are not mounted yet"
# The new disks are mounted after the mirror's last sync, as a
# replacement disk is.
for l in c d e f; do esp_mount $l; done
C=$ESP_ROOT@c

# --dry-run: the whole plan, nothing written.
snapshot c "$C"
nvars=$(ls "$EFIVARS" | wc -l)
bs init --esp-root="$ESP_ROOT" --dry-run "$C"
assert_rc 0 "init --dry-run"
for op in "mkdir EFI" "mkdir loader/entries" "copy loader/entries/$TOKEN-$K2.conf" \
	"update-loader EFI/systemd/systemd-bootx64.efi" "update-loader EFI/BOOT/BOOTX64.EFI" \
	"update-loader loader/loader.conf"; do
	grep -qxF "$C: $op" "$T/out" || fail "init --dry-run lacks '$op': $(cat "$T/out")"
done
grep -q "^$C: create-boot-entry \"Linux Boot Manager (boot@c)\"" "$T/out" || fail "init --dry-run: no boot entry"
grep -q "boot@b" "$T/out" && fail "init --dry-run plans for another ESP"
assert_unchanged c "$C"
[ "$(ls "$EFIVARS" | wc -l)" = "$nvars" ] || fail "init --dry-run wrote a variable"

bs init --esp-root="$ESP_ROOT" "$C"
assert_rc 0 "init on a blank vfat ESP"
assert_out "boot@c boots alone"
cmp -s "$ESP_ROOT@a/EFI/systemd/systemd-bootx64.efi" "$C/EFI/systemd/systemd-bootx64.efi" || fail "no systemd-boot on c"
cmp -s "$ESP_ROOT@a/EFI/BOOT/BOOTX64.EFI" "$C/EFI/BOOT/BOOTX64.EFI" || fail "no fallback loader on c"
cmp -s "$ESP_ROOT@a/loader/loader.conf" "$C/loader/loader.conf" || fail "no loader.conf on c"
assert_no_path "$C/loader/random-seed"
assert_in_step "$ESP_ROOT@a" "$C"
bs_status --json
n=$(jq -r ".esps[] | select(.path == \"$C\") | .firmware_entry.name" "$T/out")
[ -n "$n" ] && [ "$n" != null ] || fail "no firmware entry for c"
read -r ps pz < <(sfdisk -d "$T/disk-c.img" | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p')
want=$(printf '0x7 0x1 Linux Boot Manager (boot@c)|HD(1,GPT,%s,0x%x,0x%x)/File(\\EFI\\systemd\\systemd-bootx64.efi)' "${PARTUUID[c]}" "$ps" "$pz")
[ "$("$PYTHON" "$HOSTDIR/readloadopt.py" "$EFIVARS/$n-$GUID_GLOBAL")" = "$want" ] ||
	fail "c's entry $n: $("$PYTHON" "$HOSTDIR/readloadopt.py" "$EFIVARS/$n-$GUID_GLOBAL"), want $want"
[ "$(od -An -tx2 -v -j4 "$EFIVARS/BootOrder-$GUID_GLOBAL" | tr -s ' \n' ' ' | cut -d' ' -f2-3)" = "0001 ${n#Boot}" ] ||
	fail "BootOrder after init: c's entry not right after the booted one: $(od -An -tx2 -v -j4 "$EFIVARS/BootOrder-$GUID_GLOBAL")"
bs_status --json
jq -e ".esps[] | select(.path == \"$C\") | .in_step and .bootable and .firmware_entry.in_boot_order" "$T/out" >/dev/null ||
	fail "status after init: $(jq -c ".esps[] | select(.path == \"$C\")" "$T/out")"
bs init --esp-root="$ESP_ROOT" "$C"
assert_rc 0 "init again: nothing to do"

# Another system's files stay; a shim in the fallback path is not touched.
D=$ESP_ROOT@d
mkdir -p "$D/EFI/Microsoft/Boot" "$D/EFI/BOOT"
echo "Windows boot manager" >"$D/EFI/Microsoft/Boot/bootmgfw.efi"
echo "shim" >"$D/EFI/BOOT/BOOTX64.EFI"
bs init --esp-root="$ESP_ROOT" "$D"
assert_rc 0 "init on an ESP with another system's files"
[ "$(cat "$D/EFI/Microsoft/Boot/bootmgfw.efi")" = "Windows boot manager" ] || fail "another system's file was touched"
[ "$(cat "$D/EFI/BOOT/BOOTX64.EFI")" = "shim" ] || fail "a fallback that is not systemd-boot was touched"
cmp -s "$ESP_ROOT@a/EFI/systemd/systemd-bootx64.efi" "$D/EFI/systemd/systemd-bootx64.efi" || fail "no systemd-boot on d"

refused() { # refused WHY PATTERN
	assert_rc 3 "$1"
	assert_err "$2"
}
esp_umount f
bs init --esp-root="$ESP_ROOT" "$ESP_ROOT@f"
refused "not mounted" "boot@f is not mounted"
bs init --esp-root="$ESP_ROOT" "$ESP_ROOT@b"
refused "not vfat" "boot@b is not a vfat filesystem .*ext4"
bs init --esp-root="$ESP_ROOT" "$ESP_ROOT@a"
refused "the source" "boot@a is the source"
bs init --esp-root="$ESP_ROOT" "$ESP_ROOT@q"
refused "no such ESP" "boot@q is not one of the ESPs"

E=$ESP_ROOT@e
mkdir -p "$E/loader/entries"
echo "title other" >"$E/loader/entries/0123456789abcdef0123456789abcdef-6.1.conf"
snapshot e "$E"
bs init --esp-root="$ESP_ROOT" "$E"
refused "another token's entries" "boot@e: it already holds loader/entries/0123456789abcdef0123456789abcdef-6.1.conf"
assert_unchanged e "$E"
rm "$E/loader/entries/0123456789abcdef0123456789abcdef-6.1.conf"
kernel_add a "$K3" 20480 20480
modules_add "$K3"
snapshot e "$E"
bs init --esp-root="$ESP_ROOT" "$E"
refused "too small" "boot@e: not enough space: the sync needs [0-9]+ bytes, [0-9]+ bytes are free"
assert_unchanged e "$E"
