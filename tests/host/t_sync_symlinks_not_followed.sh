# SPDX-License-Identifier: LGPL-3.0-or-later
# Symlinks on a target are never followed (O_NOFOLLOW, dirfd-relative
# walks): a managed directory or file that is a symlink pointing out of the
# ESP does not make sync write or delete outside the ESP.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
mkdir -p "$T/outside/$K1" "$T/outside2"
echo precious >"$T/outside/$K1/linux"
echo precious >"$T/outside2/victim"
ln -s "$T/outside" "$ESP_ROOT@b/$TOKEN"
ln -s "$T/outside2/victim" "$ESP_ROOT@b/loader/entries/$TOKEN-$K2.conf"
snapshot out "$T/outside"
snapshot out2 "$T/outside2"
bs_sync
case $RC in 0|1|4) ;; *) fail "exit $RC" ;; esac
note "sync with symlinks: exit $RC: $(tr "\n" " " <"$T/err")"
assert_unchanged out "$T/outside"
assert_unchanged out2 "$T/outside2"
bs_sync --dry-run
assert_unchanged out "$T/outside"
bs_status --json
assert_unchanged out "$T/outside"
assert_unchanged out2 "$T/outside2"
