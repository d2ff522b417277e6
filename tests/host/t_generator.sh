# SPDX-License-Identifier: LGPL-3.0-or-later
# bootsync-generator (the same binary under that name) writes drop-ins
# that order bootbind.service after the booted ESP's device (and its mount
# when fstab names it by PARTUUID) alone, and bootsync.service after every
# ESP's mount; with no variable naming the booted partition, bind is
# ordered after every ESP's mount and the kernel log says why; without
# ESP lines it writes nothing. status warns about lines that still say
# x-systemd.before=bootbind.service.
. "$(dirname "$0")/lib.sh"
machine_init
GEN=$T/bin/bootsync-generator
mkdir -p "$T/bin" && ln -s "$BOOTSYNC" "$GEN"
: >"$T/kmsg"
mount --bind "$T/kmsg" /dev/kmsg || fail "bind over /dev/kmsg"
A=${PARTUUID[a]:-$(default_partuuid a)} B=$(default_partuuid b)
fstab() { printf '%s\n' "$@" >"$T/fstab"; }
# A device unit's name, as systemd-escape --path makes it ('-' is \x2d).
dev_unit() { echo "dev-disk-by\\x2dpartuuid-${1//-/\\x2d}.device"; }
: >"$T/fstab"
bind "$T/fstab" /etc/fstab
run_gen() { # run_gen: fresh output dir in $T/gen
	rm -rf "$T/gen" && mkdir -p "$T/gen"
	LAST_CMD="bootsync-generator $T/gen"
	RC=0; "$GEN" "$T/gen" "$T/gen-early" "$T/gen-late" >"$T/out" 2>"$T/err" || RC=$?
	assert_rc 0 "the generator"
}
dropin() { cat "$T/gen/$1.d/50-bootsync-generator.conf" 2>/dev/null; }
has() { dropin "$1" | grep -qxF "$2" || fail "$1 drop-in lacks '$2': $(dropin "$1" | tr '\n' '|')"; }
hasnt() { ! dropin "$1" | grep -qxF "$2" || fail "$1 drop-in has '$2'"; }

# Booted from a, named by PARTUUID in fstab: bind after a's device and mount only.
fstab "PARTUUID=$A /boot@a vfat umask=0077,nofail 0 2" \
      "PARTUUID=${B^^} /boot@b vfat umask=0077,nofail 0 2" \
      "UUID=1234-ABCD /boot vfat defaults 0 0" "/dev/sda2 / ext4 defaults 0 1"
efi_loader_partuuid "$A"
run_gen
has bootbind.service "Wants=$(dev_unit "$A")"
has bootbind.service "After=$(dev_unit "$A")"
has bootbind.service 'After=boot\x40a.mount'
hasnt bootbind.service 'After=boot\x40b.mount'
has bootsync.service 'After=boot\x40a.mount'
has bootsync.service 'After=boot\x40b.mount'
dropin bootsync.service | grep -q 'boot.mount' && fail "bootsync.service ordered after the ESP root's own line"

# Lines by PARTLABEL (the README's): bind after the booted device, and it
# waits for the mount itself.
fstab "PARTLABEL=boot@a /boot@a vfat umask=0077,nofail 0 2" "PARTLABEL=boot@b /boot@b vfat umask=0077,nofail 0 2"
efi_clear
efi_fixture hd-entry   # LoaderDevicePartUUID names disk b
run_gen
has bootbind.service "After=$(dev_unit "$B")"
hasnt bootbind.service 'After=boot\x40a.mount'
hasnt bootbind.service 'After=boot\x40b.mount'
has bootsync.service 'After=boot\x40b.mount'

# No variable names the booted partition: the old ordering, and why.
efi_clear
run_gen
has bootbind.service 'After=boot\x40a.mount'
has bootbind.service 'After=boot\x40b.mount'
grep -q 'bootsync-generator: .*bind waits for every ESP' "$T/kmsg" || fail "no kernel log line for the fallback: $(cat "$T/kmsg")"

# No ESP line: nothing written.
fstab "/dev/sda2 / ext4 defaults 0 1"
run_gen
[ -z "$(ls -A "$T/gen")" ] || fail "drop-ins without ESP lines: $(ls -R "$T/gen")"

# status warns about the old ordering's option, naming the line.
disk_add a
disk_add b
esp_populate b
source_esp a "$K1"
fstab "PARTLABEL=boot@a $ESP_ROOT@a vfat umask=0077,nofail,x-systemd.before=bootbind.service 0 2" \
      "PARTLABEL=boot@b $ESP_ROOT@b vfat umask=0077,nofail 0 2"
bs_status --json
jq -e '.warnings | length == 1 and (.[0] | test("boot@a.*x-systemd.before=bootbind.service.*device timeout"))' "$T/out" >/dev/null ||
	fail "status warnings: $(jq -c .warnings "$T/out")"
bs_status
assert_out "^warning: .*boot@a.*x-systemd.before=bootbind.service"
