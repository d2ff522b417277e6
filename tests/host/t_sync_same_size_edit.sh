# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Issue 10.6: an entry edited on the source without a change of size
# ("quiet" -> "debug") less than 2 s after the synced copy's time looks
# unchanged by size and time (vfat's 2 s). Entries are small and bounded,
# so they are compared by content: the next sync brings the edit.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
e=loader/entries/$TOKEN-$K2.conf
t=$(stat -c %Y "$ESP_ROOT@b/$e")
# A new file, not a rewrite in place (fusefat corrupts the FAT on O_TRUNC).
sed 's/ quiet$/ debug/' "$ESP_ROOT@a/$e" >"$T/entry"
rm "$ESP_ROOT@a/$e" && cp "$T/entry" "$ESP_ROOT@a/$e" || fail "setup: edit"
touch -d "@$((t + 1))" "$ESP_ROOT@a/$e"
grep -q ' debug$' "$ESP_ROOT@a/$e" || fail "setup: no debug in the entry"
[ "$(stat -c %s "$ESP_ROOT@a/$e")" = "$(stat -c %s "$ESP_ROOT@b/$e")" ] || fail "setup: sizes differ"
bs_sync
assert_rc 0
cmp -s "$ESP_ROOT@a/$e" "$ESP_ROOT@b/$e" || fail "the edited entry was not synced: target has '$(grep '^options' "$ESP_ROOT@b/$e")'"
bs_status --json
assert_rc 0
