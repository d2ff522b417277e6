#!/bin/bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# The kernel-install plugin and the Debian kernel hook, run with the
# arguments their callers pass:
#   95-bootsync.install add KVER /boot/TOKEN/KVER /path/to/vmlinuz [initrd]
#   95-bootsync.install remove KVER /boot/TOKEN/KVER
#   zzz-bootsync KVER /boot/vmlinuz-KVER        (run-parts, postinst.d/postrm.d)
# 1. With a stub bootsync (BOOTSYNC=...) that exits with a chosen code: the
#    exit-code policy (0, 3 and 4 -> 0, with a warning for 3 and 4; others
#    passed on), the verbs and layouts that must not sync, verbosity.
# 2. With the real build/bootsync: a failed precondition (ESP root not a
#    mountpoint), and, as root in a private mount namespace with tmpfs ESPs,
#    real syncs: add (the kernel reaches b), remove of an old kernel (it
#    leaves b at once) and a degraded mirror (b not mounted: exit 4 -> the
#    plugin exits 0 and warns).
# usage: t_kernel_install.sh DIST_DIR [BOOTSYNC]
#   DIST_DIR holds the built 95-bootsync.install and zzz-bootsync;
#   BOOTSYNC is the real program (default build/bootsync), if built.
set -u
DIST=$(cd "${1:?usage: $0 DIST_DIR [BOOTSYNC]}" && pwd)
PLUGIN=$DIST/95-bootsync.install
HOOK=$DIST/zzz-bootsync
REAL=${2:-$DIST/../bootsync}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset KERNEL_INSTALL_VERBOSE KERNEL_INSTALL_LAYOUT DEB_MAINT_PARAMS

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# run NAME WANT_RC WANT_CALLS STDERR_RE CMD...: run CMD; check its exit code,
# how often the stub ran and that stderr matches STDERR_RE ('' = empty).
run()
{
	local name=$1 want_rc=$2 want_calls=$3 re=$4
	shift 4
	: >"$tmp/calls"
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$? calls
	calls=$(wc -l <"$tmp/calls")
	if [ "$rc" != "$want_rc" ]; then
		bad "$name: exit $rc, want $want_rc"; cat "$tmp/err"
	elif [ "$calls" != "$want_calls" ]; then
		bad "$name: bootsync ran $calls times, want $want_calls"
	elif [ -z "$re" ] && [ -s "$tmp/err" ]; then
		bad "$name: unexpected stderr: $(cat "$tmp/err")"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/err"; then
		bad "$name: stderr does not match /$re/: $(cat "$tmp/err")"
	else
		ok "$name"
	fi
}

# ---- 1. stub ----
cat >"$tmp/stub" <<STUB
#!/bin/sh
echo "\$*" >>"$tmp/calls"
exit \${STUB_RC:-0}
STUB
chmod +x "$tmp/stub"
export BOOTSYNC=$tmp/stub BOOTSYNC_ESP_ROOT=/esp
add=(add 6.1.0-13-amd64 /esp/0123/6.1.0-13-amd64 /lib/modules/6.1.0-13-amd64/vmlinuz /tmp/initrd)
rm_=(remove 6.1.0-13-amd64 /esp/0123/6.1.0-13-amd64)

run "plugin add, sync ok"            0 1 ''             env STUB_RC=0 "$PLUGIN" "${add[@]}"
grep -qx 'sync --esp-root=/esp' "$tmp/calls" && ok "plugin calls: bootsync sync --esp-root=/esp" \
	|| bad "plugin called bootsync with: $(cat "$tmp/calls")"
run "plugin remove, sync ok"         0 1 ''             env STUB_RC=0 "$PLUGIN" "${rm_[@]}"
# On remove, the kernel's directory under the ESP root goes before the sync
# (kernel-install would delete it only after the last plugin); a directory
# elsewhere is left alone.
mkdir -p "$tmp/esp/0123/6.1.0-13-amd64" "$tmp/other/6.1.0-13-amd64"
BOOTSYNC_ESP_ROOT=$tmp/esp run "plugin remove: kernel dir deleted" 0 1 '' \
	env STUB_RC=0 "$PLUGIN" remove 6.1.0-13-amd64 "$tmp/esp/0123/6.1.0-13-amd64"
[ ! -e "$tmp/esp/0123/6.1.0-13-amd64" ] && ok "plugin remove: $tmp/esp/0123/6.1.0-13-amd64 gone" \
	|| bad "plugin remove: the kernel's directory is still there"
BOOTSYNC_ESP_ROOT=$tmp/esp run "plugin remove, dir outside the ESP root" 0 1 '' \
	env STUB_RC=0 "$PLUGIN" remove 6.1.0-13-amd64 "$tmp/other/6.1.0-13-amd64"
[ -d "$tmp/other/6.1.0-13-amd64" ] && ok "plugin remove: a directory outside the ESP root is left" \
	|| bad "plugin remove deleted a directory outside the ESP root"
run "plugin add, degraded (4)"       0 1 'warning.*exit 4' env STUB_RC=4 "$PLUGIN" "${add[@]}"
run "plugin remove, precondition (3)" 0 1 'warning.*exit 3' env STUB_RC=3 "$PLUGIN" "${rm_[@]}"
run "plugin add, I/O error (1) fails" 1 1 'error.*exit 1' env STUB_RC=1 "$PLUGIN" "${add[@]}"
run "plugin add, usage error (2) fails" 2 1 'error.*exit 2' env STUB_RC=2 "$PLUGIN" "${add[@]}"
run "plugin inspect: no sync"        0 0 ''             env STUB_RC=1 "$PLUGIN" inspect 6.1.0-13-amd64
run "plugin no verb: no sync"        0 0 ''             env STUB_RC=1 "$PLUGIN"
run "plugin layout=other: no sync"   0 0 ''             env STUB_RC=1 KERNEL_INSTALL_LAYOUT=other "$PLUGIN" "${add[@]}"
run "plugin layout=uki syncs"        0 1 ''             env KERNEL_INSTALL_LAYOUT=uki "$PLUGIN" "${add[@]}"
run "plugin verbose"                 0 1 ''             env KERNEL_INSTALL_VERBOSE=1 "$PLUGIN" "${add[@]}"
grep -qx 'sync --esp-root=/esp --verbose' "$tmp/calls" && grep -q 'bootsync: add 6.1.0-13-amd64' "$tmp/out" \
	&& ok "plugin verbose: says so, passes --verbose" || bad "plugin verbose: $(cat "$tmp/calls" "$tmp/out")"
run "plugin, bootsync not installed" 0 0 ''             env BOOTSYNC=/nonexistent "$PLUGIN" "${add[@]}"

run "hook postinst, sync ok"         0 1 ''             env STUB_RC=0 "$HOOK" 6.1.0-13-amd64 /boot/vmlinuz-6.1.0-13-amd64
run "hook postinst, degraded (4)"    0 1 'warning.*exit 4' env STUB_RC=4 "$HOOK" 6.1.0-13-amd64 /boot/vmlinuz-6.1.0-13-amd64
run "hook postrm, precondition (3)"  0 1 'warning.*exit 3' env STUB_RC=3 DEB_MAINT_PARAMS=remove "$HOOK" 6.1.0-13-amd64
run "hook, I/O error (1) fails"      1 1 'error.*exit 1' env STUB_RC=1 "$HOOK" 6.1.0-13-amd64
run "hook, dpkg abort: no sync"      0 0 ''             env STUB_RC=1 DEB_MAINT_PARAMS=abort-install "$HOOK" 6.1.0-13-amd64

# ---- 2. the real program ----
if [ ! -x "$REAL" ]; then
	echo "SKIP !!! $REAL not built: the plugin was NOT run against the real bootsync"
	exit $fail
fi
export BOOTSYNC=$REAL
: >"$tmp/calls"
mkdir -p "$tmp/notmounted"
BOOTSYNC_ESP_ROOT=$tmp/notmounted "$PLUGIN" "${add[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc = 0 ] && grep -q 'warning.*exit 3' "$tmp/err" && grep -q 'not a mountpoint' "$tmp/err"; then
	ok "real bootsync, ESP root not a mountpoint: exit 3 -> plugin 0 with the reason"
else
	bad "real bootsync, ESP root not a mountpoint: plugin exit $rc: $(cat "$tmp/err")"
fi

if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP !!! not root or no unshare: no real sync through the plugin"
	exit $fail
fi

# In a private mount namespace: two tmpfs ESPs, a, bound on the ESP root,
# with a kernel for the token; /etc/machine-id and /lib/modules replaced.
cat >"$tmp/ns.sh" <<'NS'
set -u
tmp=$1 PLUGIN=$2 REAL=$3
TOKEN=0123456789abcdef0123456789abcdef
KOLD=6.1.0-98-amd64 KVER=6.1.0-99-amd64
R=$tmp/root
mkdir -p "$R/boot" "$R/boot@a" "$R/boot@b" "$tmp/modules/$KOLD" "$tmp/modules/$KVER"
mount -t tmpfs -o size=16m espa "$R/boot@a"
mount -t tmpfs -o size=16m espb "$R/boot@b"
echo "$TOKEN" >"$tmp/machine-id"
mount --bind "$tmp/machine-id" /etc/machine-id
# A new machine (or a container) may have no /lib/modules at all: make the
# mountpoint in a tmpfs overlay of its parent, private to this namespace.
if [ ! -d /lib/modules ]; then
	lib=$(readlink -f /lib)
	mkdir -p "$tmp/ovl" && mount -t tmpfs ovl "$tmp/ovl" && mkdir -p "$tmp/ovl/u" "$tmp/ovl/w" &&
		mount -t overlay overlay -o "lowerdir=$lib,upperdir=$tmp/ovl/u,workdir=$tmp/ovl/w" "$lib" &&
		mkdir "$lib/modules" || { echo "FAIL cannot make a /lib/modules mountpoint"; exit 1; }
fi
mount --bind "$tmp/modules" /lib/modules
[ -e /etc/kernel/entry-token ] && mount --bind "$tmp/machine-id" /etc/kernel/entry-token
for e in a b; do mkdir -p "$R/boot@$e/loader/entries" "$R/boot@$e/EFI/BOOT"; echo loader >"$R/boot@$e/EFI/BOOT/BOOTX64.EFI"; done
for k in $KOLD $KVER; do
	mkdir -p "$R/boot@a/$TOKEN/$k"
	head -c 100000 /dev/urandom >"$R/boot@a/$TOKEN/$k/linux"
	head -c 300000 /dev/urandom >"$R/boot@a/$TOKEN/$k/initrd"
	printf 'title Test\nversion %s\nlinux /%s/%s/linux\ninitrd /%s/%s/initrd\n' \
		"$k" "$TOKEN" "$k" "$TOKEN" "$k" >"$R/boot@a/loader/entries/$TOKEN-$k.conf"
done
mount --bind "$R/boot@a" "$R/boot"
fail=0
export BOOTSYNC=$REAL BOOTSYNC_ESP_ROOT=$R/boot
# add: kernel-install's 90-loaderentry has put KVER on the ESP root.
"$PLUGIN" add "$KVER" "$R/boot/$TOKEN/$KVER" "$tmp/vmlinuz" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc = 0 ] && cmp -s "$R/boot@a/$TOKEN/$KVER/initrd" "$R/boot@b/$TOKEN/$KVER/initrd" \
	&& [ -e "$R/boot@b/loader/entries/$TOKEN-$KVER.conf" ] && ! grep -q warning "$tmp/err"; then
	echo "ok   real sync through the plugin (add): exit 0, the kernel and its entry reached b"
else
	echo "FAIL real sync through the plugin (add): exit $rc; $(cat "$tmp/err")"; ls -R "$R/boot@b"; fail=1
fi
# remove of an old kernel: 90-loaderentry has deleted its entry; the plugin
# deletes its directory (kernel-install would, after the last plugin).
rm "$R/boot/loader/entries/$TOKEN-$KOLD.conf"
"$PLUGIN" remove "$KOLD" "$R/boot/$TOKEN/$KOLD" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc = 0 ] && [ ! -e "$R/boot@b/$TOKEN/$KOLD" ] && [ ! -e "$R/boot@b/loader/entries/$TOKEN-$KOLD.conf" ] \
	&& [ -e "$R/boot@b/$TOKEN/$KVER/linux" ]; then
	echo "ok   real sync through the plugin (remove): the old kernel and its entry left b at once"
else
	echo "FAIL real sync through the plugin (remove): exit $rc; $(cat "$tmp/err")"; ls -R "$R/boot@b"; fail=1
fi
umount "$R/boot@b"
"$PLUGIN" add "$KVER" "$R/boot/$TOKEN/$KVER" "$tmp/vmlinuz" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc = 0 ] && grep -q 'warning.*exit 4' "$tmp/err"; then
	echo "ok   real degraded mirror (b not mounted): bootsync exit 4 -> plugin 0 with a warning"
else
	echo "FAIL real degraded mirror: plugin exit $rc; $(cat "$tmp/err")"; fail=1
fi
exit $fail
NS
unshare -m --propagation private bash "$tmp/ns.sh" "$tmp" "$PLUGIN" "$REAL" || fail=1
exit $fail
