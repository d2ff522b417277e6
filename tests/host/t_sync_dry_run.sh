# SPDX-License-Identifier: LGPL-3.0-or-later
# sync --dry-run / -n prints the plan, one "<target>: <op> <path>" line per
# operation, in apply order (payload before the entry naming it; an entry
# deleted before its payload), and writes nothing (no sector, same tree).
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
source_esp a "$K1" "$K2"
B=$ESP_ROOT@b
esp_populate b
kernel_add b 6.1.0-5-amd64          # managed, not on the source: deleted
mkdir -p "$B/$TOKEN/$K1"            # K1 as on a, but its initrd differs: replaced
cp -a "$ESP_ROOT@a/$TOKEN/$K1/linux" "$B/$TOKEN/$K1/linux"
cp -a "$ESP_ROOT@a/loader/entries/$TOKEN-$K1.conf" "$B/loader/entries/"
head -c 1000 /dev/urandom >"$B/$TOKEN/$K1/initrd"
echo partial >"$B/loader/entries/.bootsync-tmp.abc123"
snapshot b "$B"
settle_atime "$ESP_ROOT@a"
settle_atime "$B"
wa=$(sectors_written a)
wb=$(sectors_written b)
bs_sync --dry-run
assert_rc 0
[ $(( $(sectors_written b) - wb )) = 0 ] || fail "dry-run wrote to the target"
[ $(( $(sectors_written a) - wa )) = 0 ] || fail "dry-run wrote to the source"
assert_unchanged b "$B"
assert_file "$B/loader/entries/.bootsync-tmp.abc123"

bad=$(grep -vE "^$B: (delete-temp|mkdir|copy|replace|delete|rmdir) [^ ]+\$" "$T/out")
[ -z "$bad" ] || fail "plan lines not in the '<target>: <op> <path>' form: $bad"
line() { # line OP PATH: the line number of that operation, or fail
	local n
	n=$(grep -nxF "$B: $1 $2" "$T/out" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] || fail "plan lacks '$B: $1 $2'"
	echo "$n"
}
before() { [ "$1" -lt "$2" ] || fail "plan order: $3"; }
cp "$T/out" "$T/plan"
l_mkdir=$(line mkdir "$TOKEN/$K2")
l_lin=$(line copy "$TOKEN/$K2/linux")
l_ird=$(line copy "$TOKEN/$K2/initrd")
l_ent=$(line copy "loader/entries/$TOKEN-$K2.conf")
l_rep=$(line replace "$TOKEN/$K1/initrd")
l_dent=$(line delete "loader/entries/$TOKEN-6.1.0-5-amd64.conf")
l_dlin=$(line delete "$TOKEN/6.1.0-5-amd64/linux")
l_dird=$(line delete "$TOKEN/6.1.0-5-amd64/initrd")
l_rmd=$(line rmdir "$TOKEN/6.1.0-5-amd64")
line delete-temp "loader/entries/.bootsync-tmp.abc123" >/dev/null
before "$l_mkdir" "$l_lin" "mkdir before the copy into it"
before "$l_lin" "$l_ent" "kernel before the entry naming it"
before "$l_ird" "$l_ent" "initrd before the entry naming it"
before "$l_dent" "$l_dlin" "entry deleted before its kernel"
before "$l_dent" "$l_dird" "entry deleted before its initrd"
before "$l_dlin" "$l_rmd" "files deleted before their directory"
grep -qF -e "$TOKEN/$K1/linux" -e "$TOKEN-$K1.conf" "$T/out" && fail "plan touches the unchanged files of $K1"
grep -q "loader.conf\|random-seed\|EFI/systemd" "$T/out" && fail "plan touches unmanaged files"
# Only operations that will happen: no mkdir of a directory the target has.
for d in loader loader/entries "$TOKEN" "$TOKEN/$K1"; do
	[ -d "$B/$d" ] || fail "setup: $B/$d should exist"
	grep -qxF "$B: mkdir $d" "$T/out" && fail "plan makes the existing directory $d"
done

# -n, given before the verb, prints the same plan.
bs -n --esp-root="$ESP_ROOT" sync
assert_rc 0
cmp -s "$T/plan" "$T/out" || fail "-n before the verb printed another plan"
assert_unchanged b "$B"

# After a real sync, the plan is empty.
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$B"
bs_sync --dry-run
assert_rc 0
[ ! -s "$T/out" ] || fail "dry-run after a sync still plans: $(head -n 3 "$T/out")"
