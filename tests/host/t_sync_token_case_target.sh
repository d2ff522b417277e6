# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: vfat
# Issue 10.3 (target side): on vfat a name matches in any case, so a
# target whose token directory is stored in upper case
# (5A1E0C0FFEE04B1D8D6C2F3A4B5C6D7E/, as another tool or OS may have
# written it) holds this machine's kernels. An old kernel there that the
# source no longer has is deleted by one sync, the source's kernels land,
# a second sync writes nothing (no mkdir, rename, unlink or copy at all:
# strace), and status shows the target in step.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
machine_init
disk_add a
disk_add b
esp_populate b
B=$ESP_ROOT@b
UP=$(echo "$TOKEN" | tr a-f A-F)
# The old kernel K1, in the upper-case directory; its entry is ours
# (lower-case token, as kernel-install names it).
# (No case-only rename here: fusefat frees the file it renames onto
# itself. No rewrite in place: fusefat corrupts the FAT on O_TRUNC.)
TOKEN=$UP kernel_add b "$K1"
e=$B/loader/entries/$UP-$K1.conf
cp "$e" "$T/entry" && rm "$e" && cp "$T/entry" "$B/loader/entries/$TOKEN-$K1.conf" || fail "setup: entry"
touch -d "@$(($(ktime "$K1") + 4))" "$B/loader/entries/$TOKEN-$K1.conf"
ls "$B" | grep -qxF "$UP" || fail "setup: no upper-case token directory on b: $(ls "$B" | tr '\n' ' ')"
source_esp a "$K2" "$K3"

bs_sync
assert_rc 0 "first sync"
assert_no_path "$B/$TOKEN/$K1"
assert_no_path "$B/loader/entries/$TOKEN-$K1.conf"
for v in "$K2" "$K3"; do
	for f in "$TOKEN/$v/linux" "$TOKEN/$v/initrd" "loader/entries/$TOKEN-$v.conf"; do
		assert_same "$ESP_ROOT@a/$f" "$B/$f"
	done
done
assert_no_temp "$B"

bs_sync --dry-run
assert_rc 0
[ ! -s "$T/out" ] || fail "after one sync the plan is not empty: $(head -n 5 "$T/out" | tr '\n' ';')"
LAST_CMD="strace bootsync sync (second)"
RC=0
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
strace -f -qq -e signal=none -e trace=mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,copy_file_range,futimesat,utimensat,ftruncate \
	-o "$T/trace" "$BOOTSYNC" sync --esp-root="$ESP_ROOT" >"$T/out" 2>"$T/err" || RC=$?
assert_rc 0 "second sync"
[ ! -s "$T/trace" ] || fail "the second sync wrote: $(head -n 5 "$T/trace" | tr '\n' ';')"
bs_status --json
jq -e --arg p "$B" '.esps[] | select(.path == $p) | .in_step == true and .state == "in-step" and .bootable == true' "$T/out" >/dev/null ||
	fail "status: b not in step: $(jq -c --arg p "$B" '.esps[] | select(.path == $p) | {state, in_step, bootable, differences}' "$T/out")"
assert_rc 0 "status"
