# SPDX-License-Identifier: LGPL-3.0-or-later
# status says in words why an ESP does not boot, never with strerror text
# of an errno that means something else: an entry named like this
# machine's that is a directory or a FIFO is not an entry (systemd-boot
# skips it), so it neither makes the ESP unbootable nor shows as "cannot
# be read: Bad file descriptor"; an entry too large to be one says so.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
mkdir "$ESP_ROOT@b/loader/entries/$TOKEN-odd-dir.conf"
mkfifo "$ESP_ROOT@b/loader/entries/$TOKEN-odd-fifo.conf"
bs_status --json
! grep -qi 'bad file descriptor' "$T/out" "$T/err" || fail "strerror text: $(grep -hi 'bad file' "$T/out" "$T/err")"
b=".esps[] | select(.path == \"$ESP_ROOT@b\")"
[ "$(jq -r "$b | .bootable" "$T/out")" = true ] ||
	fail "b not bootable because of a directory/FIFO named like an entry: $(jq -c "$b | {bootable, bootable_reason}" "$T/out")"
rmdir "$ESP_ROOT@b/loader/entries/$TOKEN-odd-dir.conf"
rm "$ESP_ROOT@b/loader/entries/$TOKEN-odd-fifo.conf"

# An entry of 100 KiB is not one this program reads: the reason says so.
head -c 100000 /dev/zero | tr '\0' '#' >"$ESP_ROOT@b/loader/entries/$TOKEN-huge.conf"
bs_status --json
[ "$(jq -r "$b | .bootable" "$T/out")" = false ] || fail "b with a 100 KiB entry: bootable"
reason=$(jq -r "$b | .bootable_reason" "$T/out")
case $reason in *"$TOKEN-huge.conf"*larger*) ;; *) fail "reason for a 100 KiB entry: '$reason'";; esac
! grep -qi 'too large\|file too big' "$T/out" || fail "strerror text for the huge entry: $reason"
