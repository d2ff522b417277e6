# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Issue 10.9b: a source file in <token>/<v>/ whose name has 250 bytes
# (vfat allows 255 characters; ".bootsync-tmp." + 250 bytes does not fit
# in a name) reaches the target, and so does every file after it in plan
# order (it sorts first in its directory, and the target starts empty):
# exit 0 and the target in step.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
esp_populate a
kernel_add a "$K1"
kernel_add a "$K2"
long=$(printf 'a%.0s' $(seq 250))
head -c 3000 /dev/urandom >"$ESP_ROOT@a/$TOKEN/$K1/$long"
touch -d @1700007000 "$ESP_ROOT@a/$TOKEN/$K1/$long"
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
assert_same "$ESP_ROOT@a/$TOKEN/$K1/$long" "$ESP_ROOT@b/$TOKEN/$K1/$long"
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
