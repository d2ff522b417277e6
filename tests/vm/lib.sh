# SPDX-License-Identifier: LGPL-3.0-or-later
# bootsync VM lab: shared settings and functions (sourced, bash).
#
# Nothing here mounts anything on the host: disks are image files made with
# sfdisk, mkfs.vfat --offset + mtools, and mkfs.ext4 -d into a partition
# file that is dd'ed into place.

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$LAB_DIR/../.." && pwd)

# Cached downloads and built parts (keyed on their inputs).
LAB_CACHE=${BOOTSYNC_LAB_CACHE:-/var/cache/bootsync-lab}
# Per-run disks, vars and logs.
LAB_WORK=${BOOTSYNC_LAB_WORK:-$TOP_DIR/build/lab}

LAB_SUITE=${BOOTSYNC_LAB_SUITE:-bookworm}
LAB_MIRROR=${BOOTSYNC_LAB_MIRROR:-http://deb.debian.org/debian}
LAB_KPKG_META=${BOOTSYNC_LAB_KPKG:-linux-image-cloud-amd64}
# Packages of the guest besides minbase. libefivar1/libefiboot1: bootsync's
# runtime libraries; efibootmgr: the scenario that boots without systemd-boot
# and the one that deletes firmware entries; gdisk (sgdisk), fdisk and
# dosfstools (mkfs.vfat, and fsck.vfat for the fstab lines' pass 2): the
# RECOVERY steps of bootsync(8) run in the guest; jq: status --json checks.
LAB_INCLUDE=systemd,systemd-sysv,udev,kmod,efibootmgr,libefivar1,libefiboot1,libmount1,libblkid1,gdisk,fdisk,dosfstools,jq
# TCG threads (issue 13): "single", one thread runs both vCPUs in turn.
# With "multi" (one thread per vCPU, QEMU's default) QEMU 7.2 loses timer
# wake-ups while the guest writes EFI variables: pflash_cfi01 writes every
# programmed byte to vars.fd synchronously from the vCPU thread (BQL held),
# and that write's nested aio_poll() on the main AioContext consumes the
# main loop's wake-up for a LAPIC timer the guest re-armed meanwhile. The
# main loop sleeps on to its old deadline (the RTC's midnight alarm), the
# guest's timer interrupts never come, and once both vCPUs are idle the
# guest is frozen until something else wakes the main loop. Single-threaded
# TCG re-arms its round-robin kick timer (100 ms, a main-loop timer) while
# any vCPU runs, which bounds a lost wake-up to 100 ms (it needs -smp 2 or
# more). README.md, "What the lab has shown", has the evidence.
LAB_TCG_THREAD=${BOOTSYNC_LAB_TCG_THREAD:-single}
# Seconds a QEMU boot may take before it is killed.
LAB_BOOT_TIMEOUT=${BOOTSYNC_LAB_BOOT_TIMEOUT:-240}
# The ESP lines of the guest's fstab: "plain", the lines of the README and
# bootsync(8) (PARTLABEL=boot@a /boot@a vfat umask=0077,nofail 0 2), or
# "reference", the shell tools' lines the lab used before
# (PARTUUID=..., nofail,x-systemd.before=bootbind.service,umask=0077 0 0).
LAB_FSTAB=${BOOTSYNC_LAB_FSTAB:-plain}
# x-systemd.device-timeout= added to those lines; "none": systemd's default
# device timeout (90 s), as the README's lines have it.
LAB_DEVICE_TIMEOUT=${BOOTSYNC_LAB_DEVICE_TIMEOUT:-none}

OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
SDBOOT_EFI=${SDBOOT_EFI:-/usr/lib/systemd/boot/efi/systemd-bootx64.efi}

# Fixed identities: the machine id is the entry token.
MACHINE_ID=5ea1ab00b007c0de5ea1ab00b007c0de
PARTUUID_A=a0a0a0a0-0000-4000-8000-00000000000a
PARTUUID_B=b0b0b0b0-0000-4000-8000-00000000000b
PARTUUID_ROOT=c0c0c0c0-0000-4000-8000-0000000000c0
# PCI slots of the NVMe disks (fixed, or the firmware's own entries go
# stale); disk c is the blank replacement disk of the init scenario.
LAB_SLOT_A=0x4 LAB_SLOT_B=0x5 LAB_SLOT_ROOT=0x6 LAB_SLOT_C=0x7
ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
LINUX_TYPE=0FC63DAF-8483-4772-8E79-3D69D8477DE4
ESP_MB=320          # ESP size (MiB); the disk is 1 MiB larger + GPT backup
ROOT_MB=1536

# Kernel versions of the scenarios: all the same image under other names.
KV1=6.1.0-lab1-cloud-amd64
KV2=6.1.0-lab2-cloud-amd64
KV3=6.1.0-lab3-cloud-amd64
KV4=6.1.0-lab4-cloud-amd64

log() { printf '%s lab: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The tools the lab needs; prints the missing ones (empty: all there).
lab_missing_deps() {
	local m="" c
	for c in qemu-system-x86_64 sfdisk mkfs.vfat fsck.vfat mcopy mmd mdir mtype \
		debootstrap mkfs.ext4 depmod dpkg-deb apt-get cpio mkfifo perl jq; do
		command -v "$c" >/dev/null 2>&1 || m="$m $c"
	done
	for f in "$OVMF_CODE" "$OVMF_VARS" "$SDBOOT_EFI"; do
		[ -e "$f" ] || m="$m $f"
	done
	[ "$(id -u)" = 0 ] || m="$m root"
	printf '%s' "${m# }"
}

# ---------------------------------------------------------------- cache ----

# Name and version of the kernel package (resolved from the metapackage).
lab_kernel_pkg() {
	local dep
	dep=$(apt-cache depends "$LAB_KPKG_META" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1)
	[ -n "$dep" ] || die "cannot resolve $LAB_KPKG_META (apt-get update?)"
	printf '%s=%s\n' "$dep" "$(apt-cache policy "$dep" | sed -n 's/^ *Candidate: //p')"
}

# Download the kernel package into the cache; sets KDEB and KREL.
lab_fetch_kernel() {
	local pv name ver
	pv=$(lab_kernel_pkg)
	name=${pv%%=*}
	ver=${pv#*=}
	KREL=${name#linux-image-}
	mkdir -p "$LAB_CACHE/debs"
	KDEB=$(ls "$LAB_CACHE/debs/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$KDEB" ]; then
		log "downloading $name $ver"
		(cd "$LAB_CACHE/debs" && apt-get download -q "$name=$ver" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
		KDEB=$(ls "$LAB_CACHE/debs/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
		[ -n "$KDEB" ] || die "apt-get download $name=$ver failed"
	fi
}

# Build (once per input) the guest root tree: debootstrap + the kernel's
# modules (depmod'ed) + the lab's fixed guest files. Sets ROOT_TREE, VMLINUZ.
lab_build_base() {
	lab_fetch_kernel
	local key tree tmp
	# Keyed on every input: suite, mirror, packages, kernel package, and
	# this function's own text (a change in how the tree is made).
	key=$( { echo "$LAB_SUITE $LAB_MIRROR $LAB_INCLUDE $(basename "$KDEB")"; declare -f lab_build_base; } | sha256sum | cut -c1-16)
	tree=$LAB_CACHE/rootfs-$key
	ROOT_TREE=$tree/root
	VMLINUZ=$tree/vmlinuz
	if [ -e "$tree/.done" ]; then
		log "cached root tree $tree"
		return 0
	fi
	rm -rf "$tree"
	mkdir -p "$tree"
	log "debootstrap $LAB_SUITE (minbase + $LAB_INCLUDE) into $tree"
	debootstrap --variant=minbase --include="$LAB_INCLUDE" "$LAB_SUITE" "$ROOT_TREE" "$LAB_MIRROR" \
		>"$tree/debootstrap.log" 2>&1 || { tail -n 20 "$tree/debootstrap.log" >&2; die "debootstrap failed"; }
	tmp=$tree/kpkg
	dpkg-deb -x "$KDEB" "$tmp"
	local moddir=$tmp/lib/modules
	[ -d "$moddir" ] || moddir=$tmp/usr/lib/modules
	mkdir -p "$ROOT_TREE/usr/lib/modules"
	cp -a "$moddir/$KREL" "$ROOT_TREE/usr/lib/modules/"
	depmod -b "$ROOT_TREE" "$KREL"
	cp "$tmp/boot/vmlinuz-$KREL" "$VMLINUZ"
	rm -rf "$tmp"
	# The guest's package cache and apt lists are not needed.
	rm -rf "$ROOT_TREE"/var/cache/apt/archives/*.deb "$ROOT_TREE"/var/lib/apt/lists/*_*
	echo "$KREL" >"$tree/krel"
	touch "$tree/.done"
	log "root tree ready"
}

# ---------------------------------------------------------------- disks ----

# A newc cpio initrd of about $2 MiB (random payload) at $1. The kernel
# unpacks it into its rootfs and, finding no /init, mounts root= as usual;
# a truncated archive shows as "Initramfs unpacking failed" in dmesg.
lab_make_initrd() {
	local out=$1 mb=$2 d
	d=$(mktemp -d)
	echo "bootsync lab initrd $mb MiB" >"$d/lab-initrd"
	[ "$mb" -gt 0 ] && head -c "$((mb * 1024 * 1024))" /dev/urandom >"$d/lab-payload"
	(cd "$d" && ls | cpio -o -H newc --quiet) >"$out"
	rm -rf "$d"
}

# The BLS entry of version $1 for the lab's root.
lab_entry() {
	cat <<EOF
title      bootsync lab ($1)
version    $1
machine-id $MACHINE_ID
linux      /$MACHINE_ID/$1/linux
initrd     /$MACHINE_ID/$1/initrd
options    $(lab_cmdline)
EOF
}

# sysrq_always_enabled: the host's diagnosis of a hung boot sends sysrq keys
# over the serial line (lab_diagnose).
lab_cmdline() {
	echo "root=PARTUUID=$PARTUUID_ROOT rw console=ttyS0,115200 panic=-1 mitigations=off sysrq_always_enabled ${LAB_EXTRA_CMDLINE:-}"
}

# mtools on the ESP of disk image $1 (partition at 1 MiB).
esp() { echo "$1@@1M"; }

# Install kernel version $2 (kernel file $3, initrd file $4) on ESP image $1.
lab_esp_add_kernel() {
	local img=$1 v=$2 k=$3 i=$4 e
	e=$(mktemp)
	lab_entry "$v" >"$e"
	mmd -D s -i "$(esp "$img")" "::/$MACHINE_ID/$v" 2>/dev/null || true
	mcopy -o -i "$(esp "$img")" "$k" "::/$MACHINE_ID/$v/linux"
	mcopy -o -i "$(esp "$img")" "$i" "::/$MACHINE_ID/$v/initrd"
	mcopy -o -i "$(esp "$img")" "$e" "::/loader/entries/$MACHINE_ID-$v.conf"
	rm -f "$e"
}

# A GPT disk image $1 holding one vfat ESP (PARTUUID $2, label $3) with
# systemd-boot and kernel $KV1 (if $4 is "kernel").
lab_make_esp_disk() {
	local img=$1 uuid=$2 label=$3 with=${4:-kernel} lc
	rm -f "$img"
	truncate -s $((ESP_MB + 2))M "$img"
	sfdisk -q "$img" <<EOF
label: gpt
start=2048, size=$((ESP_MB * 2048)), type=$ESP_TYPE, uuid=$uuid, name="$label"
EOF
	mkfs.vfat -F 32 -n "$(echo "${label//@/_}" | tr a-z A-Z)" --offset 2048 "$img" $((ESP_MB * 1024)) >/dev/null 2>&1
	local i; i=$(esp "$img")
	mmd -i "$i" ::/EFI ::/EFI/BOOT ::/EFI/systemd ::/loader ::/loader/entries "::/$MACHINE_ID"
	mcopy -i "$i" "$SDBOOT_EFI" ::/EFI/systemd/systemd-bootx64.efi
	mcopy -i "$i" "$SDBOOT_EFI" ::/EFI/BOOT/BOOTX64.EFI
	lc=$(mktemp)
	printf 'timeout 0\nconsole-mode keep\neditor no\n' >"$lc"
	mcopy -i "$i" "$lc" ::/loader/loader.conf
	# An unmanaged file that no sync may touch.
	echo "other OS on $label" >"$lc"
	mcopy -i "$i" "$lc" ::/EFI/other-os.txt
	rm -f "$lc"
	if [ "$with" = kernel ]; then
		lab_esp_add_kernel "$img" "$KV1" "$VMLINUZ" "$LAB_WORK/initrd-small"
	fi
}

# The fstab line of ESP $1 (a, b) in the style $LAB_FSTAB.
lab_fstab_line() {
	local uuid dto=""
	[ "$LAB_DEVICE_TIMEOUT" = none ] || dto=",x-systemd.device-timeout=$LAB_DEVICE_TIMEOUT"
	case $LAB_FSTAB in
	plain) echo "PARTLABEL=boot@$1 /boot@$1 vfat umask=0077,nofail$dto 0 2";;
	nofsck) echo "PARTLABEL=boot@$1 /boot@$1 vfat umask=0077,nofail$dto 0 0";;
	reference)
		case $1 in a) uuid=$PARTUUID_A;; *) uuid=$PARTUUID_B;; esac
		echo "PARTUUID=$uuid /boot@$1 vfat nofail,x-systemd.before=bootbind.service$dto,umask=0077 0 0";;
	*) die "BOOTSYNC_LAB_FSTAB=$LAB_FSTAB: plain, nofsck or reference";;
	esac
}

# Guest files of this run into a hard-linked copy of the cached tree (only
# new files are written: a file of the cache is replaced, never modified).
lab_root_tree() {
	local t=$LAB_WORK/rootfs u
	rm -rf "$t"
	cp -al "$ROOT_TREE" "$t"
	put() { rm -f "$t$1"; mkdir -p "$(dirname "$t$1")"; cat >"$t$1"; }

	echo "$MACHINE_ID" | put /etc/machine-id
	echo lab | put /etc/hostname
	{
		echo "PARTUUID=$PARTUUID_ROOT / ext4 rw,errors=remount-ro 0 1"
		lab_fstab_line a
		lab_fstab_line b
	} | put /etc/fstab
	mkdir -p "$t/boot@a" "$t/boot@b" "$t/boot"
	# The kernel versions the scenarios install: only the dir names matter
	# to bootsync (the booted kernel always loads its real modules dir).
	mkdir -p "$t/usr/lib/modules/$KV1"
	# The project, installed as a package would.
	if [ -z "${BOOTSYNC_LAB_BIN:-}" ]; then
		make -s -C "$TOP_DIR" install DESTDIR="$t" esp_root=/boot >/dev/null || die "make install failed"
	else # a stand-in binary (debugging the lab itself): units as make install
		install -D -m 0755 "$BOOTSYNC_LAB_BIN" "$t/usr/sbin/bootsync"
		for u in "$TOP_DIR"/systemd/*.service.in; do
			sed -e 's|@esp_root@|/boot|g' -e 's|@sbindir@|/usr/sbin|g' "$u" >"$t/usr/lib/systemd/system/$(basename "$u" .in)"
		done
	fi
	mkdir -p "$t/etc/systemd/system/local-fs.target.wants" "$t/etc/systemd/system/multi-user.target.wants"
	for u in bootbind.service:local-fs.target bootsync.service:multi-user.target lab-test.service:multi-user.target; do
		ln -sf "/usr/lib/systemd/system/${u%%:*}" "$t/etc/systemd/system/${u#*:}.wants/${u%%:*}"
	done
	# The lab's guest side: a test unit that runs after bootsync.service.
	put /usr/lib/systemd/system/lab-test.service <"$LAB_DIR/guest/lab-test.service"
	put /usr/local/sbin/lab-test <"$LAB_DIR/guest/lab-test"
	chmod 0755 "$t/usr/local/sbin/lab-test"
	# A generator of the lab's own, run by systemd alongside
	# bootsync-generator: what the system looked like when generators ran
	# (efivarfs mounted? systemd-boot's variable there?).
	put /usr/lib/systemd/system-generators/lab-probe-generator <"$LAB_DIR/guest/lab-probe-generator"
	chmod 0755 "$t/usr/lib/systemd/system-generators/lab-probe-generator"
	put /usr/local/lib/lab.env <<EOF
MACHINE_ID=$MACHINE_ID
KV1=$KV1
KV2=$KV2
KV3=$KV3
KV4=$KV4
PARTUUID_A=$PARTUUID_A
PARTUUID_B=$PARTUUID_B
ESP_MB=$ESP_MB
CMDLINE='$(lab_cmdline)'
EOF
	# Print bootsync.service's start and end on the console (power-cut
	# scenario timing).
	put /etc/systemd/system/bootsync.service.d/lab.conf <<'EOF'
[Service]
ExecStartPre=/bin/sh -c 'echo "LAB-MARK: sync-begin $(cat /proc/uptime)" >/dev/ttyS0'
ExecStopPost=/bin/sh -c 'echo "LAB-MARK: sync-end $(cat /proc/uptime) $SERVICE_RESULT" >/dev/ttyS0'
EOF
	# The serial port takes input (a sysrq from the host) only while a
	# process has it open: hold it open from early in the boot.
	put /usr/lib/systemd/system/lab-console.service <<'EOF'
[Unit]
Description=bootsync lab: keep the serial console open (sysrq from the host)
DefaultDependencies=no

[Service]
ExecStart=/bin/sleep infinity
StandardOutput=tty
TTYPath=/dev/ttyS0
TTYReset=no
TTYVHangup=no
EOF
	mkdir -p "$t/etc/systemd/system/sysinit.target.wants"
	ln -sf /usr/lib/systemd/system/lab-console.service "$t/etc/systemd/system/sysinit.target.wants/"
	# No login prompt on the console, no root password.
	ln -sf /dev/null "$t/etc/systemd/system/serial-getty@ttyS0.service"
	ln -sf /dev/null "$t/etc/systemd/system/getty@tty1.service"
	# Less work for a TCG guest: units the lab does not need.
	for u in systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer \
		e2scrub_reap.service e2scrub_all.timer fstrim.timer getty-static.service \
		systemd-update-utmp.service systemd-update-utmp-runlevel.service \
		systemd-journal-flush.service dev-hugepages.mount dev-mqueue.mount \
		sys-kernel-debug.mount sys-kernel-tracing.mount sys-fs-fuse-connections.mount \
		modprobe@fuse.service modprobe@drm.service modprobe@dm_mod.service \
		modprobe@loop.service modprobe@efi_pstore.service dpkg-db-backup.timer \
		man-db.timer logrotate.timer systemd-tmpfiles-clean.timer; do
		ln -sf /dev/null "$t/etc/systemd/system/$u"
	done
	# udev coldplug of block devices only (the ESP mounts wait for them);
	# the lab needs no other hardware set up, and TCG is slow.
	put /etc/systemd/system/systemd-udev-trigger.service.d/lab.conf <<'EOF2'
[Service]
ExecStart=
ExecStart=-udevadm trigger --type=subsystems --action=add --subsystem-match=block
ExecStart=-udevadm trigger --type=devices --action=add --subsystem-match=block
EOF2
	printf 'blacklist kvm\nblacklist kvm_amd\nblacklist kvm_intel\nblacklist drm\n' | put /etc/modprobe.d/lab.conf
	mkdir -p "$t/etc/systemd/system/getty.target.wants"
	ln -sf /dev/null "$t/etc/systemd/system/getty@.service"
	# Journal on the console too, so a failed unit shows in the log.
	mkdir -p "$t/etc/systemd/journald.conf.d"
	printf '[Journal]\nStorage=volatile\n' | put /etc/systemd/journald.conf.d/lab.conf
}

# The root disk image $LAB_WORK/root.img from the run's tree.
lab_make_root_disk() {
	local img=$LAB_WORK/root.img part=$LAB_WORK/root.part
	rm -f "$img" "$part"
	truncate -s $((ROOT_MB + 2))M "$img"
	sfdisk -q "$img" <<EOF
label: gpt
start=2048, size=$((ROOT_MB * 2048)), type=$LINUX_TYPE, uuid=$PARTUUID_ROOT, name="root"
EOF
	truncate -s "${ROOT_MB}M" "$part"
	mkfs.ext4 -q -F -L root -d "$LAB_WORK/rootfs" "$part"
	dd if="$part" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
	rm -f "$part"
}

# Everything of one run: fresh disks a, b, root and firmware vars.
lab_build() {
	mkdir -p "$LAB_WORK"
	[ -z "$(lab_missing_deps)" ] || die "lab dependencies missing: $(lab_missing_deps)"
	lab_build_base
	log "building bootsync and the run's disks in $LAB_WORK"
	[ -n "${BOOTSYNC_LAB_BIN:-}" ] || make -s -C "$TOP_DIR" build/bootsync >/dev/null || die "make build/bootsync failed"
	lab_make_initrd "$LAB_WORK/initrd-small" 1
	lab_make_esp_disk "$LAB_WORK/a.img" "$PARTUUID_A" boot@a kernel
	lab_make_esp_disk "$LAB_WORK/b.img" "$PARTUUID_B" boot@b empty
	lab_root_tree
	lab_make_root_disk
	cp "$OVMF_VARS" "$LAB_WORK/vars.fd"
	log "disks ready"
}

# ---------------------------------------------------------------- qemu -----

# Seconds before LAB_BOOT_TIMEOUT at which a boot still running is diagnosed.
LAB_DIAG_BEFORE=${BOOTSYNC_LAB_DIAG_BEFORE:-30}

# lab_qmp SOCKET HMP-COMMAND...: run monitor commands through QEMU's QMP
# socket (human-monitor-command), their output on stdout; each answer
# within 15 s, or "qmp: ..." on stderr and exit 1 (a QEMU whose main loop
# is stuck does not answer). perl-base is on every Debian machine.
lab_qmp() {
	perl -e '
use strict; use warnings; use IO::Socket::UNIX; use IO::Select;
my ($path, @cmds) = @ARGV;
my $s = IO::Socket::UNIX->new(Peer => $path, Type => SOCK_STREAM) or die "qmp: cannot connect to $path: $!\n";
my $sel = IO::Select->new($s); my $buf = "";
sub reply {
	my $end = time + 15;
	while (1) {
		while ($buf =~ s/^([^\n]*)\n//) { my $l = $1; return $l if $l =~ /^\{"(return|error|QMP)"/; }
		my $left = $end - time;
		$left > 0 && $sel->can_read($left) or die "qmp: no answer from QEMU in 15 s\n";
		sysread($s, $buf, 65536, length $buf) or die "qmp: connection closed\n";
	}
}
my %esc = (n => "\n", r => "", t => "\t", b => "", f => "", q{"} => q{"}, "\\" => "\\", "/" => "/");
sub unjson { my $j = shift; $j =~ s{\\(?:u([0-9a-fA-F]{4})|(.))}{defined $1 ? chr(hex $1) : $esc{$2}}ge; $j }
reply(); print $s qq({"execute":"qmp_capabilities"}\n); reply();
for my $c (@cmds) {
	(my $q = $c) =~ s/(["\\])/\\$1/g;
	print $s qq({"execute":"human-monitor-command","arguments":{"command-line":"$q"}}\n);
	my $r = reply();
	if ($r =~ /^\{"return": "(.*)"\}\s*$/) { print unjson($1); }
	elsif ($r !~ /^\{"return": \{\}\}/) { print "qmp: $c: $r\n"; }
}' "$@"
}

# QEMU's threads (pid $1): name, state, host wait channel, and the share of a
# host CPU each used over the next 2 s (a vCPU at 100% runs guest code or
# device emulation; near 0% it is halted or waits for a lock).
# shellcheck disable=SC2086 # $f: the fields of a stat line, split on purpose
lab_qemu_threads() {
	local t f tid
	declare -A before
	for t in /proc/"$1"/task/*; do
		f=$(sed 's/^.*) //' "$t/stat" 2>/dev/null) || continue
		set -- "$1" $f
		before[${t##*/}]=$(( ${13} + ${14} ))
	done
	sleep 2
	for t in /proc/"$1"/task/*; do
		tid=${t##*/}
		f=$(sed 's/^.*) //' "$t/stat" 2>/dev/null) || continue
		set -- "$1" $f
		printf '  thread %-7s %-16s state=%s cpu=%3d%% wchan=%s\n' "$tid" "$(cat "$t/comm" 2>/dev/null)" "$2" \
			$(( (${13} + ${14} - ${before[$tid]:-0}) / 2 )) "$(cat "$t/wchan" 2>/dev/null || echo ?)"
	done
}

# What QEMU's main loop (pid $1) waits for: in ppoll(), the timeout it asked
# for, i.e. how far away the next timer it knows of was (the main loop fires
# the guest's timers: a long timeout while the guest waits is a lost wake-up).
lab_qemu_mainloop() {
	local sc t
	read -r -a sc <"/proc/$1/syscall" 2>/dev/null || { echo "unknown"; return 0; }
	if [ "${sc[0]}" != 271 ]; then echo "not in ppoll (${sc[*]:0:1})"; return 0; fi
	[ "${sc[3]}" != 0x0 ] || { echo "in ppoll(), no timeout"; return 0; }
	# struct timespec at ppoll's third argument.
	t=$(dd if="/proc/$1/mem" bs=16 count=1 skip=$((sc[3])) iflag=skip_bytes 2>/dev/null | od -An -td8 | awk '{ printf "%.3f", $1 + $2 / 1e9 }')
	echo "in ppoll(), timeout ${t:-?} s"
}

# Where each vCPU is, from "info registers" (RIP, CPL, HLT): the guest
# kernel, the firmware's runtime services (Linux maps them at
# 0xffffffef00000000-0xfffffffeffffffff), user space, or boot-time firmware.
lab_cpu_where() {
	awk '
	/^CPU#[0-9]+/ { cpu = substr($1, 5) }
	/^RIP=/ { rip = substr($1, 5); hlt = ($0 ~ /HLT=1/) ? "halted" : "running"
		cpl = $0; sub(/.*CPL=/, "", cpl); sub(/ .*/, "", cpl)
		r = tolower(rip)
		if (r >= "ffffffff00000000") w = "kernel"
		else if (r >= "ffffffef00000000") w = "EFI runtime services (firmware)"
		else if (cpl == "3") w = "user space"
		else w = "firmware (boot time) or low memory"
		printf "%svCPU%s %s RIP=%s %s", sep, cpu, hlt, rip, w; sep = "; " }
	END { print "" }'
}

# A boot about to time out: what it is doing, into its log (QEMU's threads,
# vCPU state twice 5 s apart, and the guest kernel's view: sysrq over the
# serial line, w = blocked tasks, l = a backtrace of every CPU), then one
# line on stderr saying where it stopped.
lab_diagnose() { # name logf ctl-dir console-fd qemu-pid elapsed
	local name=$1 logf=$2 ctl=$3 fd=$4 qpid=$5 el=$6 regs1 regs2 k step last ml
	last=$(tr -d '\r' <"$logf" | sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g' | grep -v '^\s*$' | tail -n 1 | cut -c1-120) || true
	step=$(tr -d '\r' <"$logf" | sed -n 's/^LAB-STEP: //p' | tail -n 1)
	ml=$(lab_qemu_mainloop "$qpid")
	{
		echo
		echo "LAB-HOST-BEGIN diagnosis: ${el}s into the boot (timeout ${LAB_BOOT_TIMEOUT}s)"
		echo "LAB-HOST: guest test step: ${step:-none (the guest test did not start)}"
		echo "LAB-HOST: last console lines:"
		tr -d '\r' <"$logf" | sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g' | grep -v -e '^\s*$' -e '^LAB-HOST' | tail -n 10 | sed 's/^/  | /' || true
		echo "LAB-HOST: QEMU main loop: $ml"
		echo "LAB-HOST: QEMU threads:"
		lab_qemu_threads "$qpid"
	} >>"$logf"
	regs1=$(lab_qmp "$ctl/qmp" "info status" "info cpus" "info registers -a" 2>&1) || true
	printf 'LAB-HOST: monitor (first sample):\n%s\n' "$regs1" >>"$logf"
	for k in w l; do
		echo "LAB-HOST: sysrq $k (serial break, then '$k')" >>"$logf"
		lab_qmp "$ctl/qmp" "chardev-send-break console" >>"$logf" 2>&1 || true
		printf '%s' "$k" >&"$fd" || true
		sleep 4
	done
	regs2=$(lab_qmp "$ctl/qmp" "info cpus" "info registers -a" 2>&1) || true
	printf 'LAB-HOST: monitor (second sample):\n%s\n' "$regs2" >>"$logf"
	echo "LAB-HOST-END diagnosis" >>"$logf"
	regs1=$(printf '%s\n' "$regs1" | lab_cpu_where)
	regs2=$(printf '%s\n' "$regs2" | lab_cpu_where)
	kill -0 "$qpid" 2>/dev/null || regs2="QEMU had exited"
	LAB_LAST_DIAG="boot '$name' still running after ${el}s: guest test at '${step:-not started}'; last console line: '$last'; QEMU main loop $ml; ${regs1:-no answer from the monitor} (after the sysrq: ${regs2:-no answer from the monitor})"
	log "STUCK: $LAB_LAST_DIAG; see $logf"
}

# Boot the lab machine. Disks present: $LAB_DISKS ("a b", "b", "a");
# guest step: $1; serial log: $LAB_WORK/log/$2.log. Returns QEMU's status
# (137 when it was killed). LAB_KILL_AFTER="marker text seconds" kills QEMU
# that many seconds after the marker appears on the console.
# LAB_WATCH_AFTER="marker text" and LAB_WATCH_FILE=image: from the marker on,
# every 0.1 s, "seconds-since-the-marker allocated-blocks" of the image is
# appended to $LAB_WORK/watch.txt (when the guest's writes reach that disk). A boot still
# running $LAB_DIAG_BEFORE s before $LAB_BOOT_TIMEOUT is diagnosed first
# (lab_diagnose; LAB_LAST_DIAG holds its one-line summary, else empty).
lab_boot() {
	local step=$1 name=$2 logf args rc=0 ctl confd
	mkdir -p "$LAB_WORK/log"
	logf=$LAB_WORK/log/$name.log
	# QMP socket and the console's input (a FIFO this shell holds open),
	# in a short path (a socket's path has at most 107 bytes).
	ctl=$(mktemp -d "${TMPDIR:-/tmp}/lab-qemu.XXXXXX")
	mkfifo "$ctl/console.in"
	args=(-name "lab-$name,debug-threads=on"
		-machine q35 -accel "tcg,thread=$LAB_TCG_THREAD" -m 1024 -smp 2 -nodefaults -display none
		-no-reboot -nic none
		-chardev stdio,id=console,signal=off -serial chardev:console
		-qmp "unix:$ctl/qmp,server=on,wait=off"
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
		-drive "if=pflash,format=raw,unit=1,file=$LAB_WORK/vars.fd"
		-fw_cfg "name=opt/lab/step,string=$step")
	# The guest test waits for bootsync.service to finish unless told not
	# to (LAB_NO_SYNC_WAIT=1: with a disk missing it ends with that disk's
	# device timeout, and a boot that needs no sync result need not wait).
	[ -z "${LAB_NO_SYNC_WAIT:-}" ] || args+=(-fw_cfg "name=opt/lab/no-sync-wait,string=1")
	local d slot
	for d in a b c; do
		case " ${LAB_DISKS:-a b} " in *" $d "*) ;; *) continue;; esac
		# LAB_SLOT_MOVED_B=0x9: disk b in another PCI slot.
		case $d in a) slot=$LAB_SLOT_A;; b) slot=${LAB_SLOT_MOVED_B:-$LAB_SLOT_B};; c) slot=$LAB_SLOT_C;; esac
		args+=(-drive "if=none,id=d$d,format=raw,file=$LAB_WORK/$d.img" -device "nvme,drive=d$d,serial=disk$d,addr=$slot")
	done
	local snap=""
	[ -n "${LAB_ROOT_SNAPSHOT:-}" ] && snap=",snapshot=on"
	args+=(-drive "if=none,id=dr,format=raw,file=$LAB_WORK/root.img$snap" -device "nvme,drive=dr,serial=root,addr=$LAB_SLOT_ROOT")
	# Debugging the lab: more QEMU options (split on blanks).
	# shellcheck disable=SC2206
	[ -z "${LAB_QEMU_EXTRA:-}" ] || args+=($LAB_QEMU_EXTRA)
	log "boot '$name' (disks: ${LAB_DISKS:-a b}${LAB_SLOT_MOVED_B:+, b at slot $LAB_SLOT_MOVED_B}, step: $step)"
	local t0=$SECONDS marker="" delay="" el diagnosed=0 qpid
	[ -n "${LAB_KILL_AFTER:-}" ] && marker=${LAB_KILL_AFTER% *} delay=${LAB_KILL_AFTER##* }
	LAB_LAST_DIAG=""
	local watch_t0=""
	[ -z "${LAB_WATCH_AFTER:-}" ] || : >"$LAB_WORK/watch.txt"
	: >"$logf"
	exec {confd}<>"$ctl/console.in"
	# Appending (O_APPEND): the diagnosis writes into the same log.
	qemu-system-x86_64 "${args[@]}" <"$ctl/console.in" >>"$logf" 2>&1 &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null; do
		if [ -n "$marker" ] && grep -q "$marker" "$logf" 2>/dev/null; then
			sleep "$delay"
			kill -KILL "$qpid" 2>/dev/null || true
			echo "LAB-HOST: killed ${delay}s after '$marker'" >>"$logf"
			break
		fi
		if [ -n "${LAB_WATCH_AFTER:-}" ]; then
			if [ -z "$watch_t0" ] && grep -q "$LAB_WATCH_AFTER" "$logf" 2>/dev/null; then
				watch_t0=$EPOCHREALTIME
			fi
			[ -z "$watch_t0" ] || awk -v a="$watch_t0" -v b="$EPOCHREALTIME" -v n="$(stat -c %b "$LAB_WATCH_FILE")" \
				'BEGIN { printf "%.2f %s\n", b - a, n }' >>"$LAB_WORK/watch.txt"
		fi
		el=$((SECONDS - t0))
		if [ $diagnosed = 0 ] && [ "$el" -ge $((LAB_BOOT_TIMEOUT - LAB_DIAG_BEFORE)) ]; then
			diagnosed=1
			lab_diagnose "$name" "$logf" "$ctl" "$confd" "$qpid" "$el"
			continue
		fi
		if [ "$el" -ge "$LAB_BOOT_TIMEOUT" ]; then
			kill -KILL "$qpid" 2>/dev/null || true
			echo "LAB-HOST: killed at the boot timeout (${LAB_BOOT_TIMEOUT}s)" >>"$logf"
			break
		fi
		sleep 0.1
	done
	{ wait "$qpid"; } 2>/dev/null || rc=$?
	exec {confd}>&-
	rm -rf "$ctl"
	LAB_LAST_BOOT_SECS=$((SECONDS - t0))
	LAB_LAST_LOG=$logf
	log "boot '$name' ended after ${LAB_LAST_BOOT_SECS}s (rc=$rc)"
	return $rc
}

# The lines of a serial log as they show on a terminal: without the line
# end's CR, and without what a carriage return overwrote (systemd's status
# line, cleared by "\r<spaces>\r", can land at the start of a line the
# guest prints).
lab_log_lines() { sed -e 's/\r$//' -e 's/.*\r//' "$1"; }
# Value of "LAB: key=value" printed by the guest in the last boot.
lab_get() { lab_log_lines "${2:-$LAB_LAST_LOG}" | sed -n "s/^LAB: $1=//p" | tail -n1; }
# Block printed between "LAB-BEGIN name" and "LAB-END name".
lab_block() { lab_log_lines "${2:-$LAB_LAST_LOG}" | sed -n "/^LAB-BEGIN $1\$/,/^LAB-END $1\$/p" | sed '1d;$d'; }

# Checksums of the managed files of ESP image $1 (sorted "md5  path").
lab_esp_sums() {
	local img=$1 i f
	i=$(esp "$img")
	mdir -/ -b -i "$i" ::/ 2>/dev/null | sed 's|^::||' | while read -r f; do
		case "$f" in */) continue;; *"$MACHINE_ID"*) ;; *) continue;; esac
		mtype -i "$i" "::$f" 2>/dev/null | md5sum | sed "s|-\$|$f|" || true
	done | sort -k2
}
lab_esp_ls() { mdir -/ -b -i "$(esp "$1")" ::/ 2>/dev/null | sed 's|^::||' | sort; }
lab_esp_has() { mdir -b -i "$(esp "$1")" "::$2" >/dev/null 2>&1; }

# The version in the "#### LoaderInfo: systemd-boot VERSION ####" marker of
# file $2 on ESP image $1 ("none": no such file or no marker).
lab_loader_version() {
	local v
	v=$(mtype -i "$(esp "$1")" "::$2" 2>/dev/null | grep -aom1 '#### LoaderInfo: systemd-boot [^ ]* ####' | cut -d' ' -f4) || true
	echo "${v:-none}"
}
lab_esp_md5() { mtype -i "$(esp "$1")" "::$2" 2>/dev/null | md5sum | cut -d' ' -f1; }

# systemd-boot on ESP image $1 (its own path and the removable-media path)
# with its version string $2 replaced by $3, of the same length, everywhere
# it is written: the LoaderInfo marker, .osrel, .sbat, and the UTF-16 copies
# systemd-boot puts in its LoaderInfo variable and its banner. The PE file
# keeps its layout, so it still boots (no Secure Boot in the lab).
lab_raise_loader() {
	local img=$1 from=$2 to=$3 f p tmp
	[ ${#from} = ${#to} ] || die "lab_raise_loader: $from and $to differ in length"
	tmp=$(mktemp)
	for p in /EFI/systemd/systemd-bootx64.efi /EFI/BOOT/BOOTX64.EFI; do
		f=$tmp.efi
		mtype -i "$(esp "$img")" "::$p" >"$f"
		FROM=$from TO=$to perl -0777 -pi -e '
			my ($f, $t) = ($ENV{FROM}, $ENV{TO});
			my ($fw, $tw) = (join("\0", split //, $f) . "\0", join("\0", split //, $t) . "\0");
			s/\Q$f\E/$t/g; s/\Q$fw\E/$tw/g;' "$f"
		grep -aq "#### LoaderInfo: systemd-boot $to ####" "$f" || die "lab_raise_loader: no marker with $to in $p"
		mcopy -o -i "$(esp "$img")" "$f" "::$p"
	done
	rm -f "$tmp" "$tmp.efi"
}

# A blank disk image $1 (no partition table), the size of an ESP disk.
lab_make_blank_disk() { rm -f "$1"; truncate -s $((ESP_MB + 2))M "$1"; }

# jq query $1 on the `bootsync status --json` block of log $2 (default the
# last boot's; block $3, default status-json).
lab_status_json() {
	lab_block "${3:-status-json}" "${2:-$LAB_LAST_LOG}" | sed '/^exit=/d' | jq -r "$1" 2>/dev/null
}
# The systemd device unit of /dev/disk/by-partuuid/$1 (systemd-escape's).
lab_partuuid_device_unit() { echo "dev-disk-by\\x2dpartuuid-${1//-/\\x2d}.device"; }
