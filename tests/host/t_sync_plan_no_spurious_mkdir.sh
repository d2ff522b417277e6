# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# The plan lists only operations that happen: a target that has loader/,
# loader/entries/ and EFI/ (but no managed file in them yet) gets no
# "mkdir" of them in the dry-run, nor in status' differences; EFI/Linux,
# which it lacks, is planned.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
mkdir -p "$ESP_ROOT@a/EFI/Linux"
head -c 100000 /dev/urandom >"$ESP_ROOT@a/EFI/Linux/$TOKEN-$K2.efi"
source_esp a "$K1" "$K2"
esp_populate b
B=$ESP_ROOT@b
bs_sync --dry-run
assert_rc 0
grep -qxF "$B: mkdir EFI/Linux" "$T/out" || fail "dry-run does not plan mkdir EFI/Linux (b has none)"
for d in loader loader/entries EFI; do
	[ -d "$B/$d" ] || fail "setup: $B/$d should exist"
	grep -qxF "$B: mkdir $d" "$T/out" && fail "dry-run plans mkdir of the existing directory $d"
done
bs_status --json
assert_rc 4
for d in loader loader/entries EFI; do
	jq -e --arg p "$B" --arg d "$d" '.esps[] | select(.path == $p) | any(.differences[]; .op == "mkdir" and .path == $d)' "$T/out" >/dev/null &&
		fail "status lists mkdir of the existing directory $d as a difference"
done
true
