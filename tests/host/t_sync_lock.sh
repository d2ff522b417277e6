# SPDX-License-Identifier: LGPL-3.0-or-later
# One sync at a time: with /run/bootsync.lock held (flock from the shell),
# sync --lock-timeout=1 gives up after about a second, exit 3, says "lock",
# touches nothing. Two real syncs at once both succeed.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a 96
disk_add b 96
esp_populate b
esp_populate a
for v in "$K1" "$K2" "$K3"; do kernel_add a "$v" 4096 12288; done
source_esp a "$K1" "$K2" "$K3"
snapshot b "$ESP_ROOT@b"

flock --no-fork /run/bootsync.lock sleep 60 &   # the pid holds the lock itself
BGPIDS+=($!)
for i in $(seq 100); do flock -n /run/bootsync.lock true || break; sleep 0.05; done
flock -n /run/bootsync.lock true && fail "setup: could not hold the lock"
# Three tries: a wait cut short by rounding (e.g. whole seconds of a
# clock) shows in at least one of them.
for try in 1 2 3; do
	t0=$(date +%s%N)
	bs_sync --lock-timeout=1
	t1=$(date +%s%N)
	assert_rc 3
	assert_err "lock"
	ms=$(( (t1 - t0) / 1000000 ))
	[ "$ms" -ge 950 ] || fail "try $try: gave up after ${ms} ms, before the 1 s timeout"
	[ "$ms" -le 10000 ] || fail "try $try: took ${ms} ms with --lock-timeout=1"
	assert_unchanged b "$ESP_ROOT@b"
	sleep 0.3$try
done
kill "${BGPIDS[0]}"
wait "${BGPIDS[0]}" 2>/dev/null
BGPIDS=()

# Two syncs at once: the second waits for the first, both succeed.
timeout 60 "$BOOTSYNC" sync --esp-root="$ESP_ROOT" >"$T/out1" 2>"$T/err1" &
p1=$!
timeout 60 "$BOOTSYNC" --esp-root="$ESP_ROOT" sync >"$T/out2" 2>"$T/err2" &
p2=$!
r1=0; wait $p1 || r1=$?
r2=0; wait $p2 || r2=$?
[ $r1 = 0 ] && [ $r2 = 0 ] || fail "concurrent syncs exited $r1 and $r2: $(cat "$T/err1" "$T/err2" | tr '\n' ' ')"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
