# SPDX-License-Identifier: LGPL-3.0-or-later
# esp-fs: ext4 vfat
# Nothing but the managed paths is touched on a target: another OS's
# files, another token's kernels and entries, the boot loader, loader.conf
# and random-seed stay; managed paths missing on the source go.
. "$(dirname "$0")/lib.sh"
machine_init
disk_add a
disk_add b
esp_populate b
OTHER=0123456789abcdef0123456789abcdef
d=$ESP_ROOT@b
mkdir -p "$d/EFI/debian" "$d/EFI/Microsoft/Boot" "$d/$OTHER/5.10.0-1-amd64" "$d/EFI/Linux"
head -c 50000 /dev/urandom >"$d/EFI/debian/grubx64.efi"
head -c 50000 /dev/urandom >"$d/EFI/Microsoft/Boot/bootmgfw.efi"
head -c 50000 /dev/urandom >"$d/$OTHER/5.10.0-1-amd64/linux"
echo "title other" >"$d/loader/entries/$OTHER-5.10.0-1-amd64.conf"
echo "title arch" >"$d/loader/entries/arch.conf"
head -c 50000 /dev/urandom >"$d/EFI/Linux/$OTHER-5.10.efi"
echo "notes" >"$d/README.txt"
# Managed on b but not on a: must go.
kernel_add b 6.1.0-5-amd64
head -c 5000 /dev/urandom >"$d/EFI/Linux/$TOKEN-6.1.0-5-amd64.efi"
source_esp a "$K1" "$K2"
# loader.conf and random-seed differ between a and b (esp_populate).
cmp -s "$ESP_ROOT@a/loader/random-seed" "$d/loader/random-seed" && fail "setup: seeds are equal"
(cd "$d" && find . -type f ! -path "*$TOKEN*" -print0 | sort -z | xargs -0 md5sum) >"$T/unmanaged.before"
(cd "$d" && find . -type f ! -path "*$TOKEN*" -printf '%p %s %T@\n' | sort) >"$T/unmanaged.times.before"
bs_sync
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$d"
(cd "$d" && find . -type f ! -path "*$TOKEN*" -print0 | sort -z | xargs -0 md5sum) >"$T/unmanaged.after"
(cd "$d" && find . -type f ! -path "*$TOKEN*" -printf '%p %s %T@\n' | sort) >"$T/unmanaged.times.after"
cmp -s "$T/unmanaged.before" "$T/unmanaged.after" || fail "unmanaged files changed: $(diff "$T/unmanaged.before" "$T/unmanaged.after" | tr '\n' ' ')"
cmp -s "$T/unmanaged.times.before" "$T/unmanaged.times.after" || fail "unmanaged files were rewritten"
assert_no_path "$d/$TOKEN/6.1.0-5-amd64"
assert_no_path "$d/loader/entries/$TOKEN-6.1.0-5-amd64.conf"
assert_no_path "$d/EFI/Linux/$TOKEN-6.1.0-5-amd64.efi"
