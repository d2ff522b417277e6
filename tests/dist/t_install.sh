#!/bin/bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# `make install DESTDIR=...` lays out everything where a distribution
# expects it, with the build's paths substituted; `make esp_root=/efi`
# reaches the units and the plugin; `make uninstall DESTDIR=...` removes it.
# Run from the top of the checkout (make check-dist does).
set -u
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
if [ ! -x build/bootsync ]; then
	echo "SKIP !!! build/bootsync not built: make install NOT checked"
	exit 0
fi
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

# A sub-make of the same build: build/ is shared, so it must not rebuild
# anything but the files with esp_root in them.
if ! make -s install DESTDIR="$d" >"$d.log" 2>&1; then
	bad "make install DESTDIR=$d:"; cat "$d.log"; exit 1
fi
rm -f "$d.log"
for f in usr/sbin/bootsync:755 usr/lib/systemd/system-generators/bootsync-generator:755 usr/lib/systemd/system/bootbind.service:644 \
	usr/lib/systemd/system/bootsync.service:644 usr/lib/kernel/install.d/95-bootsync.install:755 \
	etc/kernel/postinst.d/zzz-bootsync:755 etc/kernel/postrm.d/zzz-bootsync:755 \
	usr/share/man/man8/bootsync.8:644 usr/share/bash-completion/completions/bootsync:644; do
	path=$d/${f%:*} mode=${f#*:}
	if [ ! -f "$path" ]; then
		bad "not installed: /${f%:*}"
	elif [ "$(stat -c %a "$path")" != "$mode" ]; then
		bad "/${f%:*}: mode $(stat -c %a "$path"), want $mode"
	else
		ok "/${f%:*} ($mode)"
	fi
done
if grep -rl '@[a-z_]*@' "$d/usr/lib" "$d/etc" >/dev/null; then
	bad "unsubstituted @...@ in: $(grep -rl '@[a-z_]*@' "$d/usr/lib" "$d/etc")"
else
	ok "no @...@ left in units, plugin, hooks"
fi
grep -q '^BOOTSYNC="${BOOTSYNC:-/usr/sbin/bootsync}"' "$d/usr/lib/kernel/install.d/95-bootsync.install" \
	&& ok "plugin runs /usr/sbin/bootsync" || bad "plugin does not run /usr/sbin/bootsync"

make -s uninstall DESTDIR="$d" >/dev/null 2>&1
left=$(find "$d" -type f)
[ -z "$left" ] && ok "make uninstall DESTDIR removes every file" || bad "left after uninstall: $left"

# Another ESP root: into the plugin, the hooks and the units.
rm -rf "$d" && mkdir -p "$d"
make -s install DESTDIR="$d" esp_root=/efi >/dev/null 2>&1
grep -q '/efi}' "$d/usr/lib/kernel/install.d/95-bootsync.install" && grep -q '/efi}' "$d/etc/kernel/postinst.d/zzz-bootsync" \
	&& grep -q -- '--esp-root=/efi' "$d/usr/lib/systemd/system/bootsync.service" \
	&& ok "esp_root=/efi reaches plugin, hooks and units" || bad "esp_root=/efi not substituted everywhere"
# Put the default back for the other checks of this build.
make -s build/dist/95-bootsync.install build/dist/zzz-bootsync >/dev/null
exit $fail
