#!/bin/bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Link the bootsync module into a copy of this machine's policy store
# (selinux-policy-default on Debian) without loading anything into the
# kernel, then ask the linked policy what bootsync_t may do.
# usage: t_sepolicy.sh build/selinux/bootsync.pp
set -u
PP=${1:?usage: $0 bootsync.pp}
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
# skip WHY: loud; under CI a missing dependency is a failure, since CI
# installs them (tools/install-dist-deps) and the module must be checked.
skip()
{
	if [ "${CI:-}" = true ]; then bad "$* (CI=true: tools/install-dist-deps should have installed it)"; exit 1; fi
	echo "SKIP !!! $*"; exit 0
}

[ -f "$PP" ] || skip "$PP not built (no selinux-policy-dev): the SELinux module was NOT checked"
PP=$(realpath "$PP")

type=$(sed -n 's/^SELINUXTYPE=//p' /etc/selinux/config 2>/dev/null)
store=/var/lib/selinux/${type:-default}
if [ -z "$type" ] || [ ! -d "$store/active" ] || ! command -v semodule >/dev/null; then
	skip "no SELinux policy store ($store) or no semodule: the module was NOT linked (selinux-policy-default)"
fi

# A private copy of the store and of /etc/selinux under a fake root:
# semodule -p ROOT works there, -n keeps it from loading the policy.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/var/lib/selinux" "$tmp/etc"
cp -a "$store" "$tmp/var/lib/selinux/"
cp -a /etc/selinux "$tmp/etc/"
if semodule -p "$tmp" -n -i "$PP" 2>"$tmp/err"; then
	ok "bootsync.pp links into the $type policy store"
else
	bad "semodule -i bootsync.pp into a copy of the $type store:"; cat "$tmp/err"
	exit 1
fi
semodule -p "$tmp" -l | grep -qx bootsync && ok "bootsync listed among the modules" || bad "bootsync not listed"

fc=$tmp/etc/selinux/$type/contexts/files/file_contexts
for want in '^/usr/sbin/bootsync[[:space:]]+--[[:space:]]+system_u:object_r:bootsync_exec_t' \
	'^/run/bootsync\\\.lock[[:space:]]+--[[:space:]]+system_u:object_r:bootsync_var_run_t' \
	'@\[a-z\][[:space:]]+-d[[:space:]]+system_u:object_r:boot_t'; do
	grep -Eq "$want" "$fc" && ok "file context /$want/" || bad "no file context /$want/ in $fc"
done

policy=$(ls "$tmp/etc/selinux/$type/policy/"policy.* 2>/dev/null | head -1)
if [ -z "$policy" ] || ! /usr/bin/python3 -c 'import setools' 2>/dev/null; then
	skip "python3-setools missing: the linked policy's rules were NOT checked"
fi
"$(dirname "$0")/sepolicy_rules.py" "$policy" || fail=1
exit $fail
