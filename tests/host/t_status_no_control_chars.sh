# SPDX-License-Identifier: LGPL-3.0-or-later
# Issue 10.7 (terminal): the human status never prints raw control
# characters from an ESP: an entry naming a file with "\x1b[31m" in its
# name, and a kernel directory with one in its name, leave no ESC (nor any
# other C0 control but newline and tab) in stdout. The JSON escapes them.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
esc=$(printf '\x1b[31m')
printf 'title red\nlinux /red%sred\n' "$esc" >"$ESP_ROOT@b/loader/entries/$TOKEN-red.conf"
mkdir -p "$ESP_ROOT@b/$TOKEN/6.1.0-1${esc}x"
bs_status
assert_rc 4
grep -qF "$esc" "$T/out" && fail "status printed a raw ESC: $(grep -aF "$esc" "$T/out" | od -c | head -n 3 | tr '\n' ' ')"
LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$T/out" && fail "status printed a raw control character"
bs_status --json
LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$T/out" && fail "status --json printed a raw control character"
jq -e . "$T/out" >/dev/null || fail "status --json is not JSON"
true
