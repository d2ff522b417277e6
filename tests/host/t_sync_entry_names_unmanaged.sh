# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10.5a: a source entry that names a file outside the managed places
# (linux /vmlinuz-<v> at the ESP root, which sync does not copy) leaves the
# target with an entry whose kernel is missing. That target is not in step
# with a source that boots: sync does not exit 0 (it exits 4, incomplete),
# and status --json does not call it in_step: true while bootable: false.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K2"
A=$ESP_ROOT@a
head -c 100000 /dev/urandom >"$A/vmlinuz-$K2"
e=$A/loader/entries/$TOKEN-$K2.conf
sed -i "s|^linux .*|linux      /vmlinuz-$K2|" "$e"
touch -d "@$(($(ktime "$K2") + 4))" "$e"
grep -q "^linux  *\\/vmlinuz-$K2\$" "$e" || fail "setup: entry"
bs_status --json
jq -e --arg p "$A" '.esps[] | select(.path == $p) | .bootable == true' "$T/out" >/dev/null || fail "setup: the source does not boot"

bs_sync
assert_rc 4 "the target cannot boot what the source boots"
assert_err_names "$ESP_ROOT@b"
bs_status --json
assert_rc 4
jq -e --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | .in_step == false' "$T/out" >/dev/null ||
	fail "status --json: b is reported in step: $(jq -c --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | {state, in_step, bootable, bootable_reason}' "$T/out")"
jq -e '.in_step == false' "$T/out" >/dev/null || fail "status --json: the mirror is reported in step"
