# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Temp files a power cut left on a target (.bootsync-tmp.*) are removed by
# the next sync, also in a kernel directory that goes away.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
kernel_add b 6.1.0-5-amd64
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
B=$ESP_ROOT@b
head -c 12345 /dev/urandom >"$B/$TOKEN/$K1/.bootsync-tmp.initrd.4242"
echo "title half" >"$B/loader/entries/.bootsync-tmp.Xy12ab"
mkdir -p "$B/$TOKEN/6.1.0-5-amd64"
head -c 100 /dev/urandom >"$B/$TOKEN/6.1.0-5-amd64/.bootsync-tmp.linux"
bs_sync --dry-run
assert_rc 0
assert_out "delete-temp $TOKEN/$K1/\\.bootsync-tmp\\.initrd\\.4242" "delete-temp loader/entries/\\.bootsync-tmp\\.Xy12ab"
bs_sync
assert_rc 0
assert_no_temp "$B"
assert_no_path "$B/$TOKEN/6.1.0-5-amd64"
assert_in_step "$ESP_ROOT@a" "$B"
