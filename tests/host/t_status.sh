# SPDX-License-Identifier: LGPL-3.0-or-later
# status and status --json: per ESP mounted, device, PARTUUID, booted,
# bound, kernels, in step (and what differs), bootable, free space,
# firmware entry; exit 0 when every ESP is in step, 4 when not. status
# writes nothing.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
disk_add c
esp_populate b
esp_populate c
source_esp a "$K1" "$K2" "$K3"
efi_fixture hd-entry
rm -f "$EFIVARS/Boot0006-$GUID_GLOBAL"
efi_loader_partuuid "${PARTUUID[a]}"
efi_boot_current 0x0007
efi_boot_entry 0007 "${PARTUUID[a]}" "Linux Boot Manager (a)"
efi_boot_entry 0008 "${PARTUUID[b]}" "Linux Boot Manager (b)"
bs_sync
assert_rc 0

# jqt EXPR WHAT: queue a check that the JSON in $T/out satisfies EXPR (every
# value it yields is true); jq_check runs the queued checks in one jq call.
JQ_PROG=
JQ_N=0
jqt() {
	local w="$2 (jq '$1')"
	w=${w//\\/\\\\}
	w=${w//\"/\\\"}
	JQ_PROG+="${JQ_PROG:+, }(([try ($1) catch false] | length > 0 and all(. == true)) | if . then empty else \"$w\" end)"
	JQ_N=$((JQ_N + 1))
}
jq_check() {
	local bad
	bad=$(jq -r "[$JQ_PROG] | .[]" "$T/out" 2>&1) || fail "status --json: jq failed: $bad"
	[ -z "$bad" ] || fail "status --json: $(echo "$bad" | head -n 5 | tr '\n' ';') in: $(jq -c . "$T/out" | head -c 3000)"
	JQ_PROG=
	JQ_N=0
}
esp() { echo ".esps[] | select(.path == \"$ESP_ROOT@$1\")"; }

settle_atime_files "$ESP_ROOT@b"   # status reads the entries: relatime
wb=$(sectors_written b)
bs_status --json
assert_rc 0 "all in step"
[ $(( $(sectors_written b) - wb )) = 0 ] || fail "status wrote to ${LOOP[b]}"
jq . "$T/out" >/dev/null || fail "status --json is not JSON"
[ "$(jq -s length "$T/out")" = 1 ] || fail "status --json printed more than one JSON value"
jqt '(.esp_root|type) == "string" and (.token|type) == "string" and has("booted_partuuid") and has("source") and has("newest_kernel") and (.esps|type) == "array"' "top-level keys"
jqt ".esp_root == \"$ESP_ROOT\"" "esp_root"
jqt ".token == \"$TOKEN\"" "token"
jqt ".newest_kernel == \"$K3\"" "newest_kernel"
jqt "(.booted_partuuid|ascii_downcase) == \"${PARTUUID[a]}\"" "booted_partuuid"
jqt '.esps | length == 3' "three ESPs"
for k in name path mounted device partuuid booted bound kernels in_step differences bootable free_bytes size_bytes firmware_entry; do
	jqt "all(.esps[]; has(\"$k\"))" "every ESP has key $k"
done
for l in a b c; do
	jqt "$(esp $l) | .name | test(\"$l\$\")" "name of $l"
	jqt "$(esp $l) | .mounted == true" "$l mounted"
	jqt "$(esp $l) | .device == \"${LOOP[$l]}p1\"" "device of $l"
	jqt "$(esp $l) | (.partuuid|ascii_downcase) == \"${PARTUUID[$l]}\"" "partuuid of $l"
	jqt "$(esp $l) | (.kernels|sort) == ([\"$K1\",\"$K2\",\"$K3\"]|sort)" "kernels of $l"
	jqt "$(esp $l) | .in_step == true and (.differences|length) == 0" "$l in step"
	jqt "$(esp $l) | .bootable == true" "$l bootable"
	jqt "$(esp $l) | (.free_bytes|type) == \"number\" and .free_bytes > 0 and .size_bytes >= .free_bytes" "free/size bytes of $l"
done
jqt "$(esp a) | .booted == true and .bound == true" "a booted and bound"
jqt "$(esp b) | .booted == false and .bound == false" "b neither booted nor bound"
jqt "$(esp c) | .booted == false and .bound == false" "c neither booted nor bound"
jqt "$(esp a) | .firmware_entry != null and .firmware_entry != false" "a has a firmware entry"
jqt "$(esp b) | .firmware_entry != null and .firmware_entry != false" "b has a firmware entry"
jqt "$(esp c) | .firmware_entry == null or .firmware_entry == false" "c has no firmware entry"
jq_check

# --json before the verb works the same.
cp "$T/out" "$T/json1"
bs --json --esp-root="$ESP_ROOT" status
assert_rc 0
jq -S 'del(.esps[].free_bytes)' "$T/json1" >"$T/j1"
jq -S 'del(.esps[].free_bytes)' "$T/out" >"$T/j2" || fail "--json before the verb: not JSON"
cmp -s "$T/j1" "$T/j2" || fail "--json before the verb gives another answer"

# Plain status names every ESP.
bs_status
assert_rc 0
for l in a b c; do grep -qF "$ESP_ROOT@$l" "$T/out" || fail "status does not name $ESP_ROOT@$l"; done

# A kernel added on the source: b and c are not in step, exit 4.
kernel_add a "$K4"
modules_add "$K4"
bs_status --json
assert_rc 4 "b and c not in step"
jqt "$(esp b) | .in_step == false" "b not in step"
jqt "$(esp b) | any(.differences[]; .path == \"loader/entries/$TOKEN-$K4.conf\" and .op == \"copy\")" "b differs by the new entry"
jqt "$(esp b) | any(.differences[]; .path == \"$TOKEN/$K4/linux\")" "b differs by the new kernel"
jqt "$(esp a) | .in_step == true" "the source is in step"
jqt ".newest_kernel == \"$K4\"" "newest_kernel after adding $K4"
jq_check
bs_status
assert_rc 4 "plain status, not in step"

# A bootable check: an entry naming a missing initrd on c.
bs_sync
assert_rc 0
bs_status --json
assert_rc 0 "in step again after sync"
rm "$ESP_ROOT@c/$TOKEN/$K2/initrd"
bs_status --json
assert_rc 4 "c lost a file"
jqt "$(esp c) | .in_step == false and .bootable == false" "c not in step, not bootable"
jq_check

# An ESP not mounted.
esp_umount c
bs_status --json
assert_rc 4 "c not mounted"
jqt "$(esp c) | .mounted == false and .in_step == false" "c not mounted"
jqt "$(esp b) | .in_step == true" "b still in step"
jq_check
