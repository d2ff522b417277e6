# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: vfat
# Issue 10.3 (source side): on a vfat source whose payload sits in a
# token directory of another case (5A1E0C0FFEE04B1D8D6C2F3A4B5C6D7E/)
# while its entry names /<lower-case token>/... (which the firmware's vfat
# finds), the payload is this machine's: the sync copies it, so the
# target gets kernel and initrd with the entry, and status says the target
# is bootable.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate a
esp_populate b
A=$ESP_ROOT@a
B=$ESP_ROOT@b
UP=$(echo "$TOKEN" | tr a-f A-F)
# (No case-only rename or rewrite in place: fusefat mishandles both.)
TOKEN=$UP kernel_add a "$K2"
e=$A/loader/entries/$UP-$K2.conf
sed "s|/$UP/|/$TOKEN/|" "$e" >"$T/entry" && rm "$e" && cp "$T/entry" "$A/loader/entries/$TOKEN-$K2.conf" || fail "setup: entry"
touch -d "@$(($(ktime "$K2") + 4))" "$A/loader/entries/$TOKEN-$K2.conf"
grep -q "^linux  *\\/$TOKEN/$K2/linux" "$A/loader/entries/$TOKEN-$K2.conf" || fail "setup: entry"
ls "$A" | grep -qxF "$UP" || fail "setup: no upper-case token directory on a"
source_esp a "$K2"
bs_status --json
jq -e --arg p "$A" '.esps[] | select(.path == $p) | .bootable == true' "$T/out" >/dev/null ||
	fail "setup: the source is not bootable: $(jq -c --arg p "$A" '.esps[] | select(.path == $p) | .bootable_reason' "$T/out")"

bs_sync
assert_rc 0
for f in linux initrd; do
	[ -f "$B/$TOKEN/$K2/$f" ] || fail "$TOKEN/$K2/$f did not reach the target"
	cmp -s "$A/$UP/$K2/$f" "$B/$TOKEN/$K2/$f" || fail "$TOKEN/$K2/$f on the target differs from the source's"
done
assert_file "$B/loader/entries/$TOKEN-$K2.conf"
bs_status --json
jq -e --arg p "$B" '.esps[] | select(.path == $p) | .bootable == true and .in_step == true' "$T/out" >/dev/null ||
	fail "status: target not bootable or not in step: $(jq -c --arg p "$B" '.esps[] | select(.path == $p) | {state, in_step, bootable, bootable_reason, differences}' "$T/out")"
