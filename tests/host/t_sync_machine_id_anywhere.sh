# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10.5b: with the machine id as the token, every path that contains
# it is managed, as the reference's rsync filter --include='**$MACHINE_ID**'
# made it: EFI/<machine-id>/grubx64.efi and loader/entries/foo-<machine-id>.conf
# on the source reach the target, and go from the target when they go from
# the source. (An os-id token, "debian", still never takes EFI/debian/:
# t_sync_entry_token_os_id.)
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
A=$ESP_ROOT@a
B=$ESP_ROOT@b
source_esp a "$K1" "$K2"
mkdir -p "$A/EFI/$MACHINE_ID"
head -c 80000 /dev/urandom >"$A/EFI/$MACHINE_ID/grubx64.efi"
touch -d @1700005000 "$A/EFI/$MACHINE_ID/grubx64.efi"
printf 'title foo\nlinux /%s/%s/linux\n' "$MACHINE_ID" "$K1" >"$A/loader/entries/foo-$MACHINE_ID.conf"
touch -d @1700005002 "$A/loader/entries/foo-$MACHINE_ID.conf"
bs_sync
assert_rc 0
assert_same "$A/EFI/$MACHINE_ID/grubx64.efi" "$B/EFI/$MACHINE_ID/grubx64.efi"
assert_same "$A/loader/entries/foo-$MACHINE_ID.conf" "$B/loader/entries/foo-$MACHINE_ID.conf"
assert_in_step "$A" "$B"

rm -r "$A/EFI/$MACHINE_ID" "$A/loader/entries/foo-$MACHINE_ID.conf"
bs_sync
assert_rc 0
assert_no_path "$B/EFI/$MACHINE_ID"
assert_no_path "$B/loader/entries/foo-$MACHINE_ID.conf"
assert_in_step "$A" "$B"
