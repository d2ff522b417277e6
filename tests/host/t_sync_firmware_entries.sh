# SPDX-License-Identifier: LGPL-3.0-or-later
# Every ESP that holds systemd-boot gets its own firmware boot entry,
# HD(partition)/File(\EFI\systemd\systemd-bootx64.efi), named after it,
# made in efivarfs (attributes NV+BS+RT, the lowest free Boot####) and put
# in BootOrder right after the entry the machine booted through. An entry
# that already points there is reused; nothing is written when nothing is
# missing; entries bootsync did not make are never rewritten or
# reordered; --no-variables makes none; a read-only efivarfs is a warning
# and exit 0. status shows each ESP's entry and whether it is in
# BootOrder.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
source_esp a "$K1"
for l in a b c; do esp_sdboot "$l"; done
efi_loader_partuuid "${PARTUUID[a]}"
# OVMF's own Boot0000..0005 (no HD()) and Boot0006, an HD() entry of b
# (the fixture's PARTUUIDs are the default ones of a and b): reused. a's
# entry Boot0003 is made by hand, reused too; Boot0000 is removed, so that
# c's new entry takes the lowest free number.
efi_fixture firmware-entry
rm -f "$EFIVARS/Boot0000-$GUID_GLOBAL" "$EFIVARS/LoaderDevicePartUUID-$GUID_LOADER"
efi_loader_partuuid "${PARTUUID[a]}"
efi_boot_current 0x0003
efi_boot_entry 0003 "${PARTUUID[a]}" "Linux Boot Manager"
printf '\x07\x00\x00\x00\x03\x00\x01\x00\x02\x00' >"$EFIVARS/BootOrder-$GUID_GLOBAL"  # 0003,0001,0002
opt() { "$PYTHON" "$HOSTDIR/readloadopt.py" "$EFIVARS/Boot$1-$GUID_GLOBAL" || fail "Boot$1 malformed"; }
order() { od -An -tx2 -v -j4 "$EFIVARS/BootOrder-$GUID_GLOBAL" | tr -s ' \n' ' ' | sed 's/^ //;s/ $//'; }
a3=$(opt 0003)
part_geom() { # N START SIZE of the ESP partition of disk $1, from sfdisk
	sfdisk -d "$T/disk-$1.img" | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/1 \1 \2/p'
}

bs_sync --dry-run
assert_rc 0
grep -q "^$ESP_ROOT@c: create-boot-entry \"Linux Boot Manager (boot@c)\" HD(1,GPT,${PARTUUID[c]}," "$T/out" || fail "dry run: no entry for c: $(cat "$T/out")"
grep -q "^$ESP_ROOT@[ab]: create-boot-entry" "$T/out" && fail "dry run: an existing entry not reused"
[ -e "$EFIVARS/Boot0000-$GUID_GLOBAL" ] && fail "the dry run wrote a variable"
b6=$(opt 0006)

bs_sync
assert_rc 0
assert_err "boot@c: firmware boot entry Boot0000"
read -r pn ps pz < <(part_geom c)
want=$(printf '0x7 0x1 Linux Boot Manager (boot@c)|HD(%d,GPT,%s,0x%x,0x%x)/File(\\EFI\\systemd\\systemd-bootx64.efi)' "$pn" "${PARTUUID[c]}" "$ps" "$pz")
[ "$(opt 0000)" = "$want" ] || fail "Boot0000 for c: '$(opt 0000)', want '$want'"
[ "$(opt 0003)" = "$a3" ] || fail "the existing entry of a was rewritten"
[ "$(opt 0006)" = "$b6" ] || fail "the existing entry of b was rewritten"
[ "$(order)" = "0003 0000 0001 0002" ] || fail "BootOrder: $(order)"
bs_status --json
jq -e ".esps[] | select(.path == \"$ESP_ROOT@c\") | .firmware_entry.in_boot_order == true and .firmware_entry.name == \"Boot0000\" and (.firmware_entry.description | test(\"boot@c\"))" "$T/out" >/dev/null ||
	fail "status: firmware entry of c: $(jq -c ".esps[] | select(.path == \"$ESP_ROOT@c\") | .firmware_entry" "$T/out")"
jq -e ".esps[] | select(.path == \"$ESP_ROOT@a\") | .firmware_entry.name == \"Boot0003\"" "$T/out" >/dev/null || fail "status: a's entry"
jq -e ".esps[] | select(.path == \"$ESP_ROOT@b\") | .firmware_entry.name == \"Boot0006\" and .firmware_entry.in_boot_order == false" "$T/out" >/dev/null || fail "status: b's entry (not in BootOrder, left so)"
jq -e '.every_esp_boots_alone == true' "$T/out" >/dev/null || fail "status: every_esp_boots_alone is not true: $(jq -c . "$T/out")"

# Nothing missing: nothing written (no variable's mtime moves).
snapshot efivars "$EFIVARS"
sleep 1.1
bs_sync
assert_rc 0
assert_unchanged efivars "$EFIVARS"

# An entry lost (some firmware drops those of an absent disk): made again,
# and not twice in BootOrder; with --no-variables, not.
rm "$EFIVARS/Boot0000-$GUID_GLOBAL"
bs_sync --no-variables
assert_rc 0
[ -e "$EFIVARS/Boot0000-$GUID_GLOBAL" ] && fail "--no-variables made an entry"
bs_sync
assert_rc 0
[ -e "$EFIVARS/Boot0000-$GUID_GLOBAL" ] || fail "c's lost entry was not made again"
[ "$(order)" = "0003 0000 0001 0002" ] || fail "BootOrder after the entry was made again: $(order)"

# A read-only efivarfs: a warning, never a failed sync.
rm "$EFIVARS/Boot0000-$GUID_GLOBAL"
mount -o remount,ro /sys/firmware || fail "remount ro"
bs_sync
assert_rc 0 "read-only efivarfs"
assert_err "warning: .*boot@c: no firmware boot entry made: .*read-only"
bs_status --json
jq -e '.warnings | any(test("efivars is mounted read-only"))' "$T/out" >/dev/null ||
	fail "status does not say that efivarfs is read-only: $(jq -c .warnings "$T/out")"
mount -o remount,rw /sys/firmware
bs_status --json
jq -e ".esps[] | select(.path == \"$ESP_ROOT@c\") | .firmware_entry == null" "$T/out" >/dev/null || fail "status: c has an entry"
jq -e '.every_esp_boots_alone == false' "$T/out" >/dev/null || fail "status: every_esp_boots_alone with c lacking an entry"
