# SPDX-License-Identifier: LGPL-3.0-or-later
# With a machine-id token every path containing it is managed, wherever it
# is: a source holding EFI/vendor/<id>/x while a target has a *file* named
# EFI/vendor refuses that target (exit 4, the conflict in words, nothing
# written) instead of failing a mkdir (exit 1). Found by the planner's
# fuzz target (tests/fuzz/corpus/plan/crash-walk-dir-is-file-on-target).
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1"
mkdir -p "$ESP_ROOT@a/EFI/vendor/$TOKEN"
echo grub >"$ESP_ROOT@a/EFI/vendor/$TOKEN/grubx64.efi"
echo "not a directory" >"$ESP_ROOT@b/EFI/vendor"
snapshot b "$ESP_ROOT@b"
bs_sync
assert_rc 4 "a file where the source has a directory"
assert_err "boot@b: EFI/vendor is a directory on the source but a file on the target"
assert_unchanged b "$ESP_ROOT@b"
