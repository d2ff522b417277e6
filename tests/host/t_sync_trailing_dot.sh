# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Issue 10.4: kernel vfat ignores trailing dots in a name it looks up
# ("linux." opens "linux"), so a name ending in "." read from a directory
# may be another file's alias there. Such names are never classified,
# copied or deleted: a target holding both <token>/<v>/linux and
# <token>/<v>/linux. keeps both byte for byte, and a source's
# <token>/<v>/initrd. is not copied. (On ext4 both names are real files;
# fusefat, unlike kernel vfat, also keeps them apart, so the vfat run
# shows that they are left alone, not the aliasing itself.)
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0 "first sync"
B=$ESP_ROOT@b
head -c 5000 /dev/urandom >"$B/$TOKEN/$K1/linux."
head -c 6000 /dev/urandom >"$B/loader/entries/$TOKEN-$K1.conf."
head -c 7000 /dev/urandom >"$ESP_ROOT@a/$TOKEN/$K2/initrd."
snapshot b "$B"
bs_sync --dry-run
assert_rc 0
grep -F "$TOKEN/$K1/linux." "$T/out" && fail "the plan touches linux.: $(grep -F "linux." "$T/out" | tr '\n' ' ')"
grep -F "initrd." "$T/out" && fail "the plan copies initrd.: $(grep -F "initrd." "$T/out" | tr '\n' ' ')"
grep -F ".conf." "$T/out" && fail "the plan touches an entry name ending in '.': $(grep -F ".conf." "$T/out" | tr '\n' ' ')"
bs_sync
assert_rc 0
assert_unchanged b "$B"
assert_file "$B/$TOKEN/$K1/linux."
assert_same "$ESP_ROOT@a/$TOKEN/$K1/linux" "$B/$TOKEN/$K1/linux"
assert_no_path "$B/$TOKEN/$K2/initrd."
