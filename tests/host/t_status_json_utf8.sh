# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10.7 (JSON): status --json is always valid JSON in valid UTF-8,
# whatever bytes the ESPs hold: an entry that names /bad\xff (not UTF-8),
# and reasons long enough to be cut, built from 4-byte characters behind
# 0..3 bytes of padding, so that whatever a reason's wording, some cut
# falls inside a character. Checked with python's strict UTF-8 decoder and
# json.loads, and with jq.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
for l in b c d e; do disk_add "$l"; esp_populate "$l"; done
source_esp a "$K1" "$K2"
# A source entry naming a file whose name is not UTF-8.
printf 'title bad\nlinux /bad\xff\n' >"$ESP_ROOT@a/loader/entries/$TOKEN-bad.conf"
emoji=$(printf '\xf0\x9f\x98\x80')   # U+1F600, 4 bytes in UTF-8
long() { local pad=$1 s i; s=$(printf '%*s' "$pad" '' | tr ' ' x); for i in $(seq 55); do s+=$emoji; done; echo "$s"; }
i=0
for l in b c d e; do
	# Refused (a newer kernel, named by its reason) and not bootable (an
	# entry naming a missing file, named by its reason).
	mkdir -p "$ESP_ROOT@$l/$TOKEN/6.1.0-99-$(long $i)"
	printf 'title long\nlinux /%s\n' "$(long $i)" >"$ESP_ROOT@$l/loader/entries/$TOKEN-long.conf"
	i=$((i + 1))
done
bs_status --json
assert_rc 4
"$PYTHON" -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))' <"$T/out" 2>"$T/pyerr" ||
	fail "status --json is not valid UTF-8 JSON: $(tail -n 1 "$T/pyerr")"
jq -e '.esps | length == 5' "$T/out" >/dev/null || fail "status --json: jq does not read five ESPs"
