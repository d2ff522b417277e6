# SPDX-License-Identifier: LGPL-3.0-or-later
# tests/host/lib.sh - helpers for the host integration tests (layer 2).
#
# Sourced by every tests/host/t_*.sh. tests/host/run starts each test as
# root inside its own private mount namespace (unshare -m) with:
#   BOOTSYNC  absolute path of the binary under test
#   TESTDIR   an empty temp dir for this test (run removes it afterwards)
# A test builds a "machine" in the namespace: loop-device disk images (GPT,
# one partition with a known PARTUUID, ext4) mounted at $ESP_ROOT@a..,
# fake EFI variables on a tmpfs over /sys/firmware, bind mounts over
# /etc/machine-id, /etc/kernel and /lib/modules, a tmpfs over /run.
# Everything lives under $TESTDIR; the ESP root is $TESTDIR/boot and the
# binary is always run with --esp-root=$ESP_ROOT.
#
# Conventions: helpers die (fail "...") on setup errors; assert_* helpers
# fail the test with a message and the last command's output.
#
# ESP_FS=ext4 (default) or vfat chooses the filesystem of the ESPs that
# disk_add makes (DISK_FS[L]=vfat|ext4 before disk_add overrides it for
# one disk). vfat is a real FAT32 made by mkfs.vfat on the loop partition,
# mounted through fusefat (the kernel here has no vfat), so that vfat's
# name rules (case-insensitive lookup, 2 s times) are met by the binary.
# Every vfat ESP is checked with fsck.fat -n when the test ends; an error
# fails the test. A test whose header has a line "# esp-fs: ext4 vfat" is
# run by tests/host/run once per filesystem named there.

set -u
set -o pipefail

: "${BOOTSYNC:?BOOTSYNC must name the binary under test}"
: "${TESTDIR:?TESTDIR must name an empty temp dir}"
HOSTDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=${FIXTURES:-$(cd "$HOSTDIR/.." && pwd)/fixtures}
FIX=$FIXTURES/ovmf-sdboot-nvme

T=$TESTDIR
ESP_ROOT=$T/boot
EFIVARS=/sys/firmware/efi/efivars
GUID_LOADER=4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
GUID_GLOBAL=8be4df61-93ca-11d2-aa0d-00e098032b8c
MACHINE_ID=5a1e0c0ffee04b1d8d6c2f3a4b5c6d7e
TOKEN=$MACHINE_ID
MODULES=$T/modules
ETC_KERNEL=$T/etc-kernel

# Fixed kernel versions (Debian style). -9 sorts before -13 with sort -V
# but after it with a plain string compare.
K1=6.1.0-9-amd64
K2=6.1.0-13-amd64
K3=6.1.0-17-amd64
K4=6.1.0-18-amd64
KNEWER=6.1.0-20-amd64

ESP_FS=${ESP_FS:-ext4}
case $ESP_FS in ext4|vfat) ;; *) echo "lib.sh: ESP_FS=$ESP_FS: not ext4 or vfat" >&2; exit 1 ;; esac

declare -A LOOP=() PARTUUID=() DISK_FS=() FUSEPID=()
LOOPS=()
MOUNTS=()
BGPIDS=()

# ---- reporting -----------------------------------------------------------

note() { printf '# %s\n' "$*" >&2; }

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	if [ -n "${LAST_CMD:-}" ]; then
		printf '  last command: %s\n  exit: %s\n' "$LAST_CMD" "${RC:-?}" >&2
		[ -s "$T/out" ] && sed 's/^/  stdout: /' "$T/out" | head -n 60 >&2
		[ -s "$T/err" ] && sed 's/^/  stderr: /' "$T/err" | head -n 60 >&2
	fi
	exit 1
}

# ---- teardown ------------------------------------------------------------

cleanup() {
	local i rc=$?
	set +e
	for i in "${BGPIDS[@]}"; do kill "$i" 2>/dev/null; wait "$i" 2>/dev/null; done
	# Unmount everything under $T, deepest and newest first, before any
	# other job is stopped: the fusefat daemons end when their mount goes.
	for i in 1 2 3; do
		# findmnt -r writes a space as \x20 (and so on): undo that.
		findmnt -rn -o TARGET | while read -r m; do printf '%b\n' "$m"; done |
			grep -F "$T" | sort -r | while read -r m; do
				umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
			done
	done
	for i in "${FUSEPID[@]}"; do fuse_wait "$i"; done
	jobs -p | xargs -r kill 2>/dev/null
	vfat_fsck_all || rc=1
	for i in "${LOOPS[@]}"; do losetup -d "$i" 2>/dev/null; done
	exit "$rc"
}
trap cleanup EXIT

# ---- machine setup -------------------------------------------------------

# Make sure directory $1 exists in this namespace without creating it on the
# host: if it is missing, put an overlay with a tmpfs upper layer over its
# (existing) parent and create it there.
ensure_dir() {
	local d=$1 real parent
	[ -d "$d" ] && return 0
	real=$(readlink -m "$d")
	parent=$(dirname "$real")
	[ -d "$parent" ] || ensure_dir "$parent"
	local ov
	ov=$(mktemp -d "$T/ovl.XXXXXX")
	mount -t tmpfs tmpfs "$ov" || fail "tmpfs for overlay of $parent"
	mkdir -p "$ov/upper" "$ov/work"
	mount -t overlay overlay -o "lowerdir=$parent,upperdir=$ov/upper,workdir=$ov/work" "$parent" ||
		fail "overlay over $parent"
	mkdir -p "$real" || fail "mkdir $real in overlay"
}

# bind SRC DST: bind-mount, creating DST (a file or a dir) if needed.
bind() {
	local src=$1 dst=$2
	if [ -d "$src" ]; then
		ensure_dir "$dst"
	elif [ ! -e "$dst" ]; then
		ensure_dir "$(dirname "$dst")"
		: >"$dst"
	fi
	mount --bind "$src" "$dst" || fail "bind $src on $dst"
}

# machine_init: the per-test environment (no disks yet).
machine_init() {
	[ "$(id -u)" = 0 ] || fail "host tests must run as root"
	[ -x "$BOOTSYNC" ] || fail "no binary at $BOOTSYNC"
	# Make sure nothing we mount can propagate back to the host.
	mount --make-rprivate / || fail "make / private"
	mkdir -p "$ESP_ROOT" "$MODULES" "$ETC_KERNEL"
	mount -t tmpfs tmpfs /run || fail "tmpfs on /run"
	ensure_dir /sys/firmware
	mount -t tmpfs tmpfs /sys/firmware || fail "tmpfs on /sys/firmware"
	mkdir -p "$EFIVARS"
	printf '%s\n' "$MACHINE_ID" >"$T/machine-id"
	bind "$T/machine-id" /etc/machine-id
	bind "$ETC_KERNEL" /etc/kernel
	bind "$MODULES" /lib/modules
}

set_machine_id() { printf '%s' "$1" >"$T/machine-id"; }
set_entry_token() { printf '%s\n' "$1" >"$ETC_KERNEL/entry-token"; TOKEN=$1; }
modules_add() { local v; for v; do mkdir -p "$MODULES/$v/kernel"; : >"$MODULES/$v/modules.dep"; done; }
modules_del() { local v; for v; do rm -rf "${MODULES:?}/$v"; done; }

# Default PARTUUIDs, lower case (as blkid shows them).
default_partuuid() {
	case $1 in
	a) echo b2413451-73f6-0f49-ab3a-60926f35fe3c ;;
	b) echo 9d70e039-6346-674e-a5d5-59d81b1d69c5 ;;
	c) echo 3c0ffee0-1234-4abc-9def-00000000000c ;;
	*) printf '%08x-1234-4abc-9def-000000000000\n' "'$1" ;;
	esac
}

# disk_add LETTER [SIZE_MIB] [nomount|mount] [PARTUUID]: a GPT disk image
# with one partition (PARTUUID ${PARTUUID[L]}, name boot@L), ext4 or vfat
# (${DISK_FS[L]}, default $ESP_FS), mounted at $ESP_ROOT@L (the mountpoint
# is created even with nomount).
disk_add() {
	local l=$1 size=${2:-64} mode=${3:-mount} img loop part uuid i
	uuid=${4:-$(default_partuuid "$l")}
	img=$T/disk-$l.img
	# sfdisk takes a quarter of a second (it syncs): partition each
	# (letter, size) once per run, in $DISKCACHE when run provides one.
	local tmpl=${DISKCACHE:-$T}/gpt-$l-$size-$uuid.img
	if [ ! -f "$tmpl" ]; then
		truncate -s "${size}M" "$tmpl.$$" || fail "truncate $tmpl.$$"
		printf 'label: gpt\nstart=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=%s, name="boot@%s"\n' \
			"$uuid" "$l" | sfdisk -q "$tmpl.$$" >/dev/null || fail "sfdisk $tmpl.$$"
		mv "$tmpl.$$" "$tmpl"   # atomic: tests may run side by side
	fi
	cp --sparse=always "$tmpl" "$img" || fail "copy $tmpl to $img"
	loop=$(losetup -f --show -P "$img") || fail "losetup $img"
	LOOPS+=("$loop")
	part=${loop}p1
	[ -e "/sys/block/${loop#/dev/}/${loop#/dev/}p1" ] || partx -a "$loop" 2>/dev/null
	for i in $(seq 50); do [ -b "$part" ] && break; sleep 0.05; done
	if [ ! -b "$part" ] && [ -r "/sys/block/${loop#/dev/}/${loop#/dev/}p1/dev" ]; then
		local mm
		mm=$(cat "/sys/block/${loop#/dev/}/${loop#/dev/}p1/dev")
		mknod "$part" b "${mm%:*}" "${mm#*:}"
	fi
	[ -b "$part" ] || fail "no partition node $part for $img"
	DISK_FS[$l]=${DISK_FS[$l]:-$ESP_FS}
	if [ "${DISK_FS[$l]}" = vfat ]; then
		# No label: fusefat would show the volume label as a file.
		mkfs.vfat -F 32 -i "$(printf '%08x' "$(printf '%d' "'$l")")" "$part" >/dev/null ||
			fail "mkfs.vfat $part"
	else
		# No lazy init: a background itable/journal zeroing thread would write
		# to the device while a test counts the sectors written.
		mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -L "ESP_$l" "$part" ||
			fail "mkfs.ext4 $part"
	fi
	LOOP[$l]=$loop
	PARTUUID[$l]=$uuid
	mkdir -p "$ESP_ROOT@$l"
	[ "$mode" = nomount ] || esp_mount "$l"
}

esp_mount() {
	local l=$1 part=${LOOP[$1]}p1 i
	if [ "${DISK_FS[$l]}" != vfat ]; then
		mount "$part" "$ESP_ROOT@$l" || fail "mount $part on $ESP_ROOT@$l"
		return
	fi
	# fusefat in the foreground (-f) so that its pid is known, started from
	# a subshell so that it is not a job of the test's shell (a test's
	# bare `wait` must not wait for it); fsname makes mountinfo name the
	# partition (as a kernel mount would), so status finds its device and
	# PARTUUID.
	local so cl
	so=$(fusefat_fix_so)
	cl=$(( $(od -An -tu2 -j11 -N2 "$part") * $(od -An -tu1 -j13 -N1 "$part") ))
	( FUSEFAT_FIX_CLUSTER=$cl LD_PRELOAD=$so \
		fusefat -f -o "rw+,big_writes,fsname=$part" "$part" "$ESP_ROOT@$l" >"$T/fusefat-$l.log" 2>&1 </dev/null &
	  echo $! >"$T/fusefat-$l.pid" )
	FUSEPID[$l]=$(cat "$T/fusefat-$l.pid")
	for i in $(seq 100); do
		mountpoint -q "$ESP_ROOT@$l" && return 0
		kill -0 "${FUSEPID[$l]}" 2>/dev/null || break
		sleep 0.02
	done
	fail "fusefat $part on $ESP_ROOT@$l: $(tr '\n' ' ' <"$T/fusefat-$l.log")"
}
esp_umount() {
	umount "$ESP_ROOT@$1" || fail "umount $ESP_ROOT@$1"
	if [ -n "${FUSEPID[$1]:-}" ]; then fuse_wait "${FUSEPID[$1]}"; unset "FUSEPID[$1]"; fi
}
# fusefat_fix_so: the path of fusefat_fix.so (see fusefat_fix.c: fusefat's
# statfs and rename-time defects undone), built once per run.
fusefat_fix_so() {
	local so=${DISKCACHE:-$T}/fusefat_fix.so
	if [ ! -f "$so" ]; then
		cc -shared -fPIC -O2 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -I/usr/include/fuse \
			-o "$so.$$" "$HOSTDIR/fusefat_fix.c" -ldl >&2 || fail "build fusefat_fix.so (libfuse-dev?)"
		mv "$so.$$" "$so"
	fi
	echo "$so"
}
# fuse_wait PID: wait (bounded) for a fusefat daemon whose mount is gone
# (not a child of this shell: poll it; a zombie waiting for init to reap
# it is gone), then make sure it is gone.
fuse_alive() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
fuse_wait() {
	local i
	for i in $(seq 200); do fuse_alive "$1" || return 0; sleep 0.01; done
	kill "$1" 2>/dev/null
	for i in $(seq 100); do fuse_alive "$1" || return 0; sleep 0.01; done
	return 0
}
# vfat_fsck L: fsck.fat -n of vfat ESP L (it must not be mounted); prints
# what fsck found and returns 1 if the filesystem has an error.
vfat_fsck() {
	local out
	out=$(fsck.fat -n "${LOOP[$1]}p1" 2>&1)
	if [ $? != 0 ] || echo "$out" | grep -qvE '^(fsck\.fat |.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$)'; then
		printf 'FAIL: fsck.fat -n %s (%s@%s):\n%s\n' "${LOOP[$1]}p1" "$ESP_ROOT" "$1" "$out" >&2
		return 1
	fi
	return 0
}
vfat_fsck_all() {
	local l bad=0
	for l in "${!DISK_FS[@]}"; do
		[ "${DISK_FS[$l]}" = vfat ] && [ -n "${LOOP[$l]:-}" ] || continue
		vfat_fsck "$l" || bad=1
	done
	return $bad
}

# esp_populate LETTER: what every ESP has: a boot loader, loader.conf, its
# own random seed, lost+found from mkfs.
esp_populate() {
	local d=$ESP_ROOT@$1
	mkdir -p "$d/loader/entries" "$d/EFI/systemd" "$d/EFI/BOOT"
	printf 'timeout 3\n#console-mode keep\ndefault %s-*\n# esp %s\n' "$TOKEN" "$1" >"$d/loader/loader.conf"
	head -c 32 /dev/urandom >"$d/loader/random-seed"
	head -c 100000 /dev/urandom >"$d/EFI/systemd/systemd-bootx64.efi"
	cp "$d/EFI/systemd/systemd-bootx64.efi" "$d/EFI/BOOT/BOOTX64.EFI"
}

# The real systemd-boot of Debian's systemd-boot-efi (make deps installs it).
SDBOOT_EFI=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
# sdboot_version [FILE]: the version in the LoaderInfo marker.
sdboot_version() { grep -a -o '#### LoaderInfo: systemd-boot [^#]* ####' "${1:-$SDBOOT_EFI}" | sed 's/^#### LoaderInfo: systemd-boot \(.*\) ####$/\1/'; }
# sdboot_make OUT VERSION: systemd-boot with its marker set to VERSION.
sdboot_make() {
	[ -r "$SDBOOT_EFI" ] || fail "no $SDBOOT_EFI (systemd-boot-efi; make deps installs it)"
	local v
	v=$(sdboot_version)
	VERSION_FROM=$v VERSION_TO=$2 "$PYTHON" -c '
import os, sys
d = open(sys.argv[1], "rb").read()
a = ("#### LoaderInfo: systemd-boot %s ####" % os.environ["VERSION_FROM"]).encode()
b = ("#### LoaderInfo: systemd-boot %s ####" % os.environ["VERSION_TO"]).encode()
assert d.count(a) == 1, "marker not found once"
open(sys.argv[2], "wb").write(d.replace(a, b))' "$SDBOOT_EFI" "$1" || fail "sdboot_make $2"
}
# esp_sdboot LETTER [VERSION] [fallback|nofallback]: systemd-boot (the
# real one, or with its version raised or lowered) at EFI/systemd/ and, by
# default, at EFI/BOOT/BOOTX64.EFI, with a fixed mtime.
esp_sdboot() {
	local d=$ESP_ROOT@$1 f=$T/sdboot-${2:-real}.efi
	[ -f "$f" ] || { if [ -n "${2:-}" ]; then sdboot_make "$f" "$2"; else cp "$SDBOOT_EFI" "$f"; fi; }
	mkdir -p "$d/EFI/systemd" "$d/EFI/BOOT"
	cp "$f" "$d/EFI/systemd/systemd-bootx64.efi.new" && mv "$d/EFI/systemd/systemd-bootx64.efi.new" "$d/EFI/systemd/systemd-bootx64.efi"
	touch -d @1650000000 "$d/EFI/systemd/systemd-bootx64.efi"
	if [ "${3:-fallback}" = fallback ]; then
		cp "$f" "$d/EFI/BOOT/BOOTX64.EFI.new" && mv "$d/EFI/BOOT/BOOTX64.EFI.new" "$d/EFI/BOOT/BOOTX64.EFI"
		touch -d @1650000000 "$d/EFI/BOOT/BOOTX64.EFI"
	fi
}

# Fixed, even-second mtimes (vfat has 2 s granularity), distinct per kernel.
KTIME_BASE=1700000000
ktime() { echo $((KTIME_BASE + ${2:-0} * 2 + $(echo "$1" | cksum | cut -d' ' -f1) % 1000 * 8)); }

# kernel_add LETTER VERSION [KERNEL_KIB] [INITRD_KIB]: a kernel, its initrd
# and its BLS entry, with fixed past mtimes. Writes to $ESP_ROOT@LETTER
# (or to any directory if LETTER starts with /). The default sizes are
# smaller with ESP_FS=vfat: fusefat moves a few MiB/s.
KERNEL_KIB=1024
INITRD_KIB=2048
[ "$ESP_FS" = vfat ] && KERNEL_KIB=128 INITRD_KIB=256
kernel_add() {
	local d=$1 v=$2 ks=${3:-$KERNEL_KIB} is=${4:-$INITRD_KIB} t
	case $d in /*) ;; *) d=$ESP_ROOT@$d ;; esac
	mkdir -p "$d/$TOKEN/$v" "$d/loader/entries"
	head -c $((ks * 1024)) /dev/urandom >"$d/$TOKEN/$v/linux"
	head -c $((is * 1024)) /dev/urandom >"$d/$TOKEN/$v/initrd"
	cat >"$d/loader/entries/$TOKEN-$v.conf" <<-EOF
	title      Debian GNU/Linux 12 (bookworm)
	version    $v
	machine-id $MACHINE_ID
	sort-key   debian
	options    root=PARTUUID=11111111-2222-3333-4444-555555555555 ro quiet
	linux      /$TOKEN/$v/linux
	initrd     /$TOKEN/$v/initrd
	EOF
	t=$(ktime "$v")
	touch -d "@$t" "$d/$TOKEN/$v/linux"
	touch -d "@$((t + 2))" "$d/$TOKEN/$v/initrd"
	touch -d "@$((t + 4))" "$d/loader/entries/$TOKEN-$v.conf"
}

kernel_del() {
	local d=$1 v=$2
	case $d in /*) ;; *) d=$ESP_ROOT@$d ;; esac
	rm -rf "${d:?}/$TOKEN/$v" "$d/loader/entries/$TOKEN-$v.conf"
}

# source_esp LETTER KERNELS...: populate ESP LETTER (unless it has loader/)
# with the given kernels (those it does not have yet),
# install them in /lib/modules, and bind it on the ESP root (what
# `bootsync bind` would do; sync tests do not depend on bind).
source_esp() {
	local l=$1 v
	shift
	[ -d "$ESP_ROOT@$l/loader" ] || esp_populate "$l"
	for v; do [ -d "$ESP_ROOT@$l/$TOKEN/$v" ] || kernel_add "$l" "$v"; done
	modules_add "$@"
	bind_root "$l"
}
bind_root() { mount --bind "$ESP_ROOT@$1" "$ESP_ROOT" || fail "bind $ESP_ROOT@$1 on $ESP_ROOT"; }

# ---- fake EFI variables ----------------------------------------------------

# The system python (a pyenv shim costs a third of a second per call).
PYTHON=python3
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
mkefivar() { "$PYTHON" "$HOSTDIR/mkefivar.py" "$@" || fail "mkefivar.py $*"; }
efi_loader_partuuid() { mkefivar partuuid "$EFIVARS/LoaderDevicePartUUID-$GUID_LOADER" "$@"; }
efi_boot_current() { mkefivar u16 "$EFIVARS/BootCurrent-$GUID_GLOBAL" "$1"; }
# efi_boot_entry HEX4 GUID DESC
efi_boot_entry() { mkefivar loadopt "$EFIVARS/Boot$1-$GUID_GLOBAL" "$2" "$3"; }
# efi_fixture NAME: copy the real variables of $FIX/NAME/efivars.
efi_fixture() {
	[ -d "$FIX/$1/efivars" ] || fail "no fixture $FIX/$1/efivars (FIXTURES=$FIXTURES)"
	cp "$FIX/$1/efivars/"* "$EFIVARS/" || fail "copy fixture $1"
}
efi_clear() { rm -f "$EFIVARS"/*; }

# ---- running the binary ----------------------------------------------------

# bs ARGS...: run the binary with a time bound; stdout in $T/out, stderr in
# $T/err, exit code in $RC. Never fails by itself.
bs() {
	LAST_CMD="bootsync $*"
	RC=0
	timeout 60 "$BOOTSYNC" "$@" >"$T/out" 2>"$T/err" || RC=$?
	if grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:' "$T/err"; then
		fail "sanitizer report"
	fi
	return 0
}
# The verb first, then --esp-root (as the systemd units call it).
bs_bind() { bs bind --esp-root="$ESP_ROOT" "$@"; }
bs_sync() { bs sync --esp-root="$ESP_ROOT" "$@"; }
bs_status() { bs status --esp-root="$ESP_ROOT" "$@"; }

# ---- assertions ------------------------------------------------------------

assert_rc() {
	[ "$RC" = "$1" ] || fail "expected exit $1, got $RC${2:+ ($2)}"
}
# err_text: stderr with the test dir replaced by "<T>", so that keywords
# are not found in paths.
err_text() { sed "s|$T|<T>|g" "$T/err"; }
# assert_err PATTERN...: stderr matches each extended regex (case-insensitive).
assert_err() {
	local p
	for p; do err_text | grep -qiE -- "$p" || fail "stderr does not match /$p/"; done
}
assert_out() {
	local p
	for p; do grep -qiE -- "$p" "$T/out" || fail "stdout does not match /$p/"; done
}
# stderr has a `bootsync: ` line naming the string (fixed, case-insensitive).
assert_err_names() {
	local s
	for s; do grep -i '^bootsync: ' "$T/err" | grep -qiF -- "$s" || fail "no 'bootsync: ' line on stderr names '$s'"; done
}
assert_mountpoint() { mountpoint -q "$1" || fail "$1 is not a mountpoint"; }
assert_not_mountpoint() { ! mountpoint -q "$1" || fail "$1 is a mountpoint"; }
assert_file() { [ -f "$1" ] || fail "missing file $1"; }
assert_no_path() { [ ! -e "$1" ] || fail "$1 exists"; }

# assert_same SRC DST: same bytes and same mtime (seconds).
assert_same() {
	[ -f "$2" ] || fail "missing $2 (copy of $1)"
	cmp -s "$1" "$2" || fail "$2 differs from $1"
	[ "$(stat -c %Y "$1")" = "$(stat -c %Y "$2")" ] ||
		fail "mtime of $2 ($(stat -c %Y "$2")) is not that of $1 ($(stat -c %Y "$1"))"
}

# managed_list DIR: the files under DIR whose relative path contains the
# token (what bootsync manages), relative paths, sorted.
managed_list() { (cd "$1" && find . -type f -path "*$TOKEN*" ! -name '.bootsync-tmp.*' | sed 's|^\./||' | sort); }

# assert_in_step SRC DST: the same managed files, equal bytes and mtimes.
assert_in_step() {
	local f
	[ "$(managed_list "$1")" = "$(managed_list "$2")" ] ||
		fail "managed files differ: $1 vs $2: $(diff <(managed_list "$1") <(managed_list "$2") | tr '\n' ' ')"
	[ -n "$(managed_list "$1")" ] || fail "no managed file under $1"
	while read -r f; do assert_same "$1/$f" "$2/$f"; done < <(managed_list "$1")
	assert_no_temp "$2"
}
assert_no_temp() {
	local left
	left=$(find "$1" -name '.bootsync-tmp.*' | head -n 5)
	[ -z "$left" ] || fail "temp files left: $left"
}

# tree_sum DIR: a listing of everything under DIR (type, mode, size, mtime
# in ns, content hash): equal listings mean nothing was touched.
tree_sum() {
	(cd "$1" && find . -printf '%y %m %s %T@ %p\n' | sort -k5 &&
		find . -type f -print0 | sort -z | xargs -0r md5sum)
}
# snapshot NAME DIR / assert_unchanged NAME DIR
snapshot() { tree_sum "$2" >"$T/snap-$1" || fail "tree_sum $2"; }
assert_unchanged() {
	tree_sum "$2" >"$T/snap-$1.now"
	cmp -s "$T/snap-$1" "$T/snap-$1.now" ||
		fail "$2 changed: $(diff "$T/snap-$1" "$T/snap-$1.now" | head -n 10 | tr '\n' ' ')"
}

# sectors_written LETTER: field 7 of /sys/block/loopN/stat after flushing
# that filesystem (syncfs; a global sync would also wait for whatever else
# the host is writing) so delayed writes are counted where they belong.
sectors_written() {
	if mountpoint -q "$ESP_ROOT@$1"; then sync -f "$ESP_ROOT@$1"; else sync; fi
	awk '{print $7}' "/sys/block/${LOOP[$1]#/dev/}/stat"
}
# settle_atime DIR: read every directory once, so relatime's first-access
# updates of directory atimes happen now, not during the measured run.
settle_atime() { find "$1" -printf '' >/dev/null; ls -laR "$1" >/dev/null; }
# settle_atime_files DIR: the same for every file's atime (read them all).
settle_atime_files() { settle_atime "$1"; find "$1" -type f -exec cat {} + >/dev/null; }

# mount_count: how many mounts the namespace has.
mount_count() { wc -l </proc/self/mountinfo; }

# Same major:minor and the same fs root for two mountpoints.
mount_id() { findmnt -n -o MAJ:MIN,FSROOT --mountpoint "$1" | tail -n 1; }

# ---- fault injection (tests/host/t_fault_*.sh) ------------------------------

# fault_machine: source a with K2 and K3, target b synced from an earlier
# source with K1 and K2 (small kernels: 64 KiB, one write each). The next
# sync's plan on b: mkdir K3, copy K3's initrd, linux and entry, delete K1's
# entry, initrd and linux, rmdir K1. $T/old is b as it was (cp -a).
fault_machine() {
	machine_init
	disk_add a
	disk_add b
	esp_populate b
	esp_populate a
	kernel_add a "$K1" 64 64
	kernel_add a "$K2" 64 64
	source_esp a "$K1" "$K2"
	bs_sync
	assert_rc 0 "fault_machine: first sync"
	kernel_add a "$K3" 64 64
	modules_add "$K3"
	kernel_del a "$K1"
	modules_del "$K1"
	cp -a "$ESP_ROOT@b" "$T/old" || fail "fault_machine: save b"
}
# fault_restore: put b back as fault_machine left it.
fault_restore() {
	find "$ESP_ROOT@b" -mindepth 1 -delete || fail "fault_restore: empty b"
	cp -a "$T/old/." "$ESP_ROOT@b/" || fail "fault_restore: restore b"
}
# strace_sync FILE CALLS [STRACE-OPTION...]: bootsync sync under strace,
# the calls named (strace's trace= list) written to FILE; exit code in
# $RC, as bs does. LeakSanitizer cannot run under ptrace: leaks are left to
# the runs without strace.
strace_sync() {
	local file=$1 calls=$2
	shift 2
	LAST_CMD="strace -e trace=$calls $* bootsync sync"
	RC=0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -o "$file" -e signal=none -e "trace=$calls" "$@" \
		"$BOOTSYNC" sync --esp-root="$ESP_ROOT" >"$T/out" 2>"$T/err" || RC=$?
	if grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$T/err"; then
		fail "sanitizer report"
	fi
}
# fault_sync INJECT...: bootsync sync under strace, each argument one
# --inject=... spec (SYSCALL:error=E:when=N, SYSCALL:signal=SIGKILL:when=N);
# exit code in $RC, as bs does.
fault_sync() {
	local a args=() sys=()
	for a; do args+=("--inject=$a"); sys+=("${a%%:*}"); done
	strace_sync /dev/null "$(IFS=,; echo "${sys[*]}")" "${args[@]}"
}
# assert_boots DIR OLD SRC: DIR has a boot loader and a managed entry, and
# every managed entry on it, and every file that entry names, is complete:
# byte for byte the source's (SRC) or the one DIR had before (OLD).
assert_boots() {
	local d=$1 old=$2 src=$3 e rel f n=0
	[ -f "$d/EFI/BOOT/BOOTX64.EFI" ] || [ -f "$d/EFI/systemd/systemd-bootx64.efi" ] || fail "$d: no boot loader"
	for e in "$d/loader/entries/$TOKEN"-*.conf; do
		[ -f "$e" ] || continue
		rel=${e#"$d/"}
		cmp -s "$e" "$src/$rel" || cmp -s "$e" "$old/$rel" || fail "$d: entry $rel is neither the source's nor the old one"
		n=$((n + 1))
		while read -r f; do
			f=${f#/}
			[ -f "$d/$f" ] || fail "$d: entry $rel names /$f, which is missing"
			cmp -s "$d/$f" "$src/$f" || cmp -s "$d/$f" "$old/$f" ||
				fail "$d: /$f (named by $rel) is neither the source's nor the old one"
		done < <(awk '$1 == "linux" || $1 == "initrd" { print $2 }' "$e")
	done
	[ $n -gt 0 ] || fail "$d: no entry of $TOKEN left"
}
# fault_case WHAT RC_WANTED INJECT...: one fault run on a fresh copy of b,
# then the checks every fault must pass: the wanted exit code, b boots
# (assert_boots), the next sync without a fault exits 0 and leaves b in
# step with a and no temp file.
fault_case() {
	local what=$1 want=$2
	shift 2
	fault_restore
	fault_sync "$@"
	[ "$RC" = "$want" ] || fail "$what: expected exit $want, got $RC"
	assert_boots "$ESP_ROOT@b" "$T/old" "$ESP_ROOT@a"
	if [ "$want" != 137 ]; then assert_err_names "$ESP_ROOT@b"; fi
	find "$ESP_ROOT@b" -name '.bootsync-tmp.*' | sed "s|^|# $what: left: |" >&2
	bs_sync
	assert_rc 0 "$what: the sync after the fault"
	assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
	assert_no_temp "$ESP_ROOT@b"
}
