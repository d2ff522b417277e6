# SPDX-License-Identifier: LGPL-3.0-or-later
# An ESP root whose path has a space, a quote and a backslash (mountinfo
# escapes the space as \040; JSON must escape the quote and the backslash):
# bind, sync and status --json all work and name it exactly.
. "$(dirname "$0")/lib.sh"
ESP_ROOT="$T/my \"e\\sp"
machine_init
disk_add a
disk_add b
esp_populate a
esp_populate b
kernel_add a "$K1"
modules_add "$K1"
efi_loader_partuuid "${PARTUUID[a]}"
bs_bind
assert_rc 0
[ "$(mount_id "$ESP_ROOT")" = "$(mount_id "$ESP_ROOT@a")" ] || fail "ESP root is not a bind of @a"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
bs_status --json
assert_rc 0
jq -e --arg r "$ESP_ROOT" '.esp_root == $r and ([.esps[].path] | sort) == [$r + "@a", $r + "@b"] and all(.esps[]; .in_step == true)' \
	"$T/out" >/dev/null || fail "status --json does not name the ESP root exactly: $(head -c 600 "$T/out")"
