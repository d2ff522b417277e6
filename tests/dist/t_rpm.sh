#!/bin/bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# bootsync.spec, checked with Debian's rpm (4.18):
# 1. rpmspec -P parses it, and its Version is the Makefile's VERSION;
# 2. rpmbuild -bs builds a source RPM from a `git archive` tarball;
# 3. rpmbuild -bb --nodeps builds the binary RPMs from it (Fedora's systemd
#    and SELinux scriptlet macros stay unexpanded here), which fails if
#    `make install` lays out a file that %files does not list; then the
#    packages must hold what a distribution expects.
# usage: t_rpm.sh VERSION [--srpm-only]   (output in build/rpm/)
set -u
cd "$(dirname "$0")/../.." || exit 1
VERSION=$1
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

if ! command -v rpmbuild >/dev/null || ! command -v rpmspec >/dev/null; then
	echo "SKIP !!! rpm not installed: bootsync.spec NOT checked (tools/install-dist-deps)"
	exit 0
fi
top=$PWD/build/rpm
rm -rf "$top" && mkdir -p "$top/SOURCES"
rpm=(--define "_topdir $top" --define "_tmppath $top/tmp")

if spec_version=$(rpmspec -q --srpm --qf '%{VERSION}' bootsync.spec 2>"$top/err") && rpmspec -P bootsync.spec >/dev/null 2>>"$top/err"; then
	ok "rpmspec -P parses bootsync.spec"
else
	bad "rpmspec: $(cat "$top/err")"; exit 1
fi
[ "$spec_version" = "$VERSION" ] && ok "spec Version $spec_version = Makefile VERSION" \
	|| bad "spec Version $spec_version, Makefile VERSION $VERSION"

# The tarball of the checkout as committed, plus changes to tracked files
# not committed yet (git stash create makes a commit of them, touching
# nothing), so that a local run checks what is being worked on.
if ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "SKIP !!! not a git checkout: no tarball, no RPM build"; exit $fail
fi
tree=$(git stash create 2>/dev/null); tree=${tree:-HEAD}
git archive --format=tar.gz --prefix="bootsync-$VERSION/" -o "$top/SOURCES/bootsync-$VERSION.tar.gz" "$tree"
if rpmbuild "${rpm[@]}" --nodeps -bs bootsync.spec >"$top/srpm.log" 2>&1; then
	ok "rpmbuild -bs: $(basename "$top"/SRPMS/*.src.rpm)"
else
	bad "rpmbuild -bs:"; tail -20 "$top/srpm.log"; exit 1
fi
[ "${2:-}" = --srpm-only ] && exit $fail

if [ ! -x build/bootsync ]; then
	echo "SKIP !!! build/bootsync does not build yet: the binary RPMs were NOT built"
	exit $fail
fi
if rpmbuild "${rpm[@]}" --nodeps --rebuild "$top"/SRPMS/bootsync-*.src.rpm >"$top/rpm.log" 2>&1; then
	ok "rpmbuild --rebuild: binary RPMs built, %files matches make install"
else
	bad "rpmbuild --rebuild (log: $top/rpm.log):"; grep -A20 -i 'error\|unpackaged' "$top/rpm.log" | head -40; exit 1
fi
main=$(echo "$top"/RPMS/*/bootsync-"$VERSION"-*.rpm)
sel=$(echo "$top"/RPMS/noarch/bootsync-selinux-*.rpm)
list=$(rpm -qlp "$main")
for f in /usr/sbin/bootsync /usr/lib/systemd/system-generators/bootsync-generator /usr/lib/systemd/system/bootbind.service /usr/lib/systemd/system/bootsync.service \
	/usr/lib/kernel/install.d/95-bootsync.install /usr/share/man/man8/bootsync.8 \
	/usr/share/bash-completion/completions/bootsync; do
	grep -q "^$f" <<<"$list" && ok "bootsync rpm has $f" || bad "bootsync rpm lacks $f"
done
rpm -qp --scripts "$main" | grep -q 'systemd_post bootbind.service bootsync.service' \
	&& ok "bootsync rpm: %post enables the units with %systemd_post" || bad "bootsync rpm: no %systemd_post"
rpm -qp --qf '%{LICENSE}' "$main" | grep -qx 'LGPL-3.0-or-later' \
	&& ok "bootsync rpm: License LGPL-3.0-or-later" || bad "bootsync rpm: License is $(rpm -qp --qf '%{LICENSE}' "$main")"
grep -Eq '^/usr/share/(licenses|doc)/bootsync[^/]*/LICENSE$' <<<"$list" && ok "bootsync rpm has its LICENSE" || bad "bootsync rpm lacks LICENSE"
rpm -qlp "$sel" | grep -q '/usr/share/selinux/packages/targeted/bootsync.pp.bz2' \
	&& ok "bootsync-selinux rpm has the module" || bad "bootsync-selinux rpm lacks bootsync.pp.bz2"
rpm -qp --scripts "$sel" | grep -q 'selinux_modules_install' \
	&& ok "bootsync-selinux rpm: %post installs the module" || bad "bootsync-selinux rpm: no %selinux_modules_install"
exit $fail
