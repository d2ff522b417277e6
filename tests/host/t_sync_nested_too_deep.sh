# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10 (smaller): a target whose managed tree is nested deeper than the
# scan's bound is refused (exit 4, named, untouched) with a reason of its
# own: not "Too many levels of symbolic links" (ELOOP's text) nor
# "Argument list too long" (E2BIG's), which would send the user after
# symlinks that are not there. Also in status --json's reason.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
d=$ESP_ROOT@b/$TOKEN/$K1
for i in $(seq 20); do d=$d/d$i; done
mkdir -p "$d"
echo deep >"$d/f"
source_esp a "$K1" "$K2"
snapshot b "$ESP_ROOT@b"
bs_sync
assert_rc 4
assert_err_names "$ESP_ROOT@b"
assert_unchanged b "$ESP_ROOT@b"
err_text | grep -iE 'too many levels of symbolic links|argument list too long' &&
	fail "the refusal reads like errno text: $(err_text | grep -iE 'symbolic|argument list' | tr '\n' ' ')"
bs_status --json
jq -e --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | .state == "refused"' "$T/out" >/dev/null || fail "status: b not refused"
r=$(jq -r --arg p "$ESP_ROOT@b" '.esps[] | select(.path == $p) | .reason' "$T/out")
echo "$r" | grep -iE 'too many levels of symbolic links|argument list too long' && fail "status reason reads like errno text: $r"
true
