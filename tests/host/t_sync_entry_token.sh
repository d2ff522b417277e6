# SPDX-License-Identifier: LGPL-3.0-or-later
# /etc/kernel/entry-token replaces the machine id as the token: its paths
# are synced; paths named after the machine id are then unmanaged and left
# alone on both sides.
. "$(dirname "$0")/lib.sh"
machine_init
set_entry_token debian
disk_add a
disk_add b
esp_populate b
mkdir -p "$ESP_ROOT@b/$MACHINE_ID/5.10.0-1-amd64" "$ESP_ROOT@a/$MACHINE_ID/6.0.0-1-amd64"
head -c 4000 /dev/urandom >"$ESP_ROOT@b/$MACHINE_ID/5.10.0-1-amd64/linux"
head -c 4000 /dev/urandom >"$ESP_ROOT@a/$MACHINE_ID/6.0.0-1-amd64/linux"
echo "title mid" >"$ESP_ROOT@b/loader/entries/$MACHINE_ID-5.10.0-1-amd64.conf"
snapshot mid "$ESP_ROOT@b/$MACHINE_ID"
source_esp a "$K1" "$K2"
[ -f "$ESP_ROOT@a/debian/$K2/linux" ] || fail "setup: token paths not under debian/"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
assert_same "$ESP_ROOT@a/debian/$K2/initrd" "$ESP_ROOT@b/debian/$K2/initrd"
assert_same "$ESP_ROOT@a/loader/entries/debian-$K1.conf" "$ESP_ROOT@b/loader/entries/debian-$K1.conf"
assert_unchanged mid "$ESP_ROOT@b/$MACHINE_ID"
assert_file "$ESP_ROOT@b/loader/entries/$MACHINE_ID-5.10.0-1-amd64.conf"
assert_no_path "$ESP_ROOT@b/$MACHINE_ID/6.0.0-1-amd64"
