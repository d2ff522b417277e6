# SPDX-License-Identifier: LGPL-3.0-or-later
# Packaging pieces (issue 5): SELinux module, kernel-install plugin, Debian
# kernel hooks, man page, bash completion, RPM spec; their checks.
#   make sepolicy            build build/selinux/bootsync.pp
#   sudo make sepolicy_install   build, load it (semodule -i), relabel
#   make install-sepolicy    .pp.bz2 + .if into DESTDIR (for packages)
#   make check-dist          the checks below; part of `make check`
#   make srpm                source RPM from `git archive` (build/rpm/)
#   make vmcheck-selinux     the lab scenario with SELinux enforcing
# `make install` / `make uninstall` also handle the plugin, hooks, man page
# and completion (install-dist / uninstall-dist).

datadir          ?= $(prefix)/share
sysconfdir       ?= /etc
kernelinstalldir ?= $(prefix)/lib/kernel/install.d
bashcompdir      ?= $(datadir)/bash-completion/completions
selinuxtype      ?= targeted
# selinux-policy-devel (Fedora) and selinux-policy-dev (Debian) both ship
# the refpolicy module Makefile here.
SEPOLICY_MAKEFILE ?= /usr/share/selinux/devel/Makefile

DIST_SCRIPTS := build/dist/95-bootsync.install build/dist/zzz-bootsync

.PHONY: dist-scripts sepolicy sepolicy_install install-sepolicy install-dist \
	uninstall-dist check-dist vmcheck-selinux srpm FORCE

install: install-dist
uninstall: uninstall-dist
EXTRA_CHECKS += check-dist

# ---- kernel-install plugin and Debian hooks: paths of this build ----
dist-scripts: $(DIST_SCRIPTS)
build/dist/95-bootsync.install: kernel-install/95-bootsync.install.in build/dist/paths
	@mkdir -p $(@D)
	sed -e 's|@sbindir@|$(sbindir)|g' -e 's|@esp_root@|$(esp_root)|g' $< >$@.tmp
	chmod 0755 $@.tmp && mv $@.tmp $@
build/dist/zzz-bootsync: kernel/zzz-bootsync.in build/dist/paths
	@mkdir -p $(@D)
	sed -e 's|@sbindir@|$(sbindir)|g' -e 's|@esp_root@|$(esp_root)|g' $< >$@.tmp
	chmod 0755 $@.tmp && mv $@.tmp $@
# Rewritten only when sbindir or esp_root change, so that `make
# esp_root=/efi install` rebuilds what has the ESP root in it.
build/dist/paths: FORCE
	@mkdir -p $(@D)
	@echo 'sbindir=$(sbindir) esp_root=$(esp_root)' | cmp -s - $@ || \
		echo 'sbindir=$(sbindir) esp_root=$(esp_root)' >$@

# ---- SELinux module ----
# Built in its own directory: the policy Makefile works on *.te in ".".
sepolicy: build/selinux/bootsync.pp
build/selinux/bootsync.pp: selinux/bootsync.te selinux/bootsync.if selinux/bootsync.fc.in build/dist/paths
	@test -r $(SEPOLICY_MAKEFILE) || { echo "$(SEPOLICY_MAKEFILE) missing: install selinux-policy-devel (Fedora) or selinux-policy-dev (Debian)"; exit 1; }
	rm -rf build/selinux && mkdir -p build/selinux
	cp selinux/bootsync.te selinux/bootsync.if build/selinux/
	sed -e 's|@esp_root_re@|$(subst .,\\.,$(esp_root))|g' selinux/bootsync.fc.in >build/selinux/bootsync.fc
	$(MAKE) -C build/selinux -f $(SEPOLICY_MAKEFILE) bootsync.pp

# On the running system, as root: load the module (its file contexts label
# the binary, the lock and <esp_root>@[a-z]) and relabel those paths.
sepolicy_install: build/selinux/bootsync.pp
	@test -z "$(DESTDIR)" || { echo "sepolicy_install loads the module on this host; for DESTDIR use install-sepolicy"; exit 1; }
	semodule -i build/selinux/bootsync.pp
	selinux/relabel '$(esp_root)' '$(sbindir)'

# For packages: the module where the distribution's macros install it from.
install-sepolicy: build/selinux/bootsync.pp
	install -d $(DESTDIR)$(datadir)/selinux/packages/$(selinuxtype) $(DESTDIR)$(datadir)/selinux/devel/include/distributed
	bzip2 -9 -c build/selinux/bootsync.pp >$(DESTDIR)$(datadir)/selinux/packages/$(selinuxtype)/bootsync.pp.bz2
	install -m 0644 selinux/bootsync.if $(DESTDIR)$(datadir)/selinux/devel/include/distributed/bootsync.if

# ---- install / uninstall ----
install-dist: $(DIST_SCRIPTS)
	install -D -m 0755 build/dist/95-bootsync.install $(DESTDIR)$(kernelinstalldir)/95-bootsync.install
	install -D -m 0755 build/dist/zzz-bootsync $(DESTDIR)$(sysconfdir)/kernel/postinst.d/zzz-bootsync
	install -D -m 0755 build/dist/zzz-bootsync $(DESTDIR)$(sysconfdir)/kernel/postrm.d/zzz-bootsync
	install -D -m 0644 man/bootsync.8 $(DESTDIR)$(mandir)/man8/bootsync.8
	install -D -m 0644 completion/bootsync.bash $(DESTDIR)$(bashcompdir)/bootsync

# The module is removed from the running system only (not under DESTDIR),
# and only if it is loaded.
uninstall-dist:
	rm -f $(DESTDIR)$(kernelinstalldir)/95-bootsync.install \
		$(DESTDIR)$(sysconfdir)/kernel/postinst.d/zzz-bootsync \
		$(DESTDIR)$(sysconfdir)/kernel/postrm.d/zzz-bootsync \
		$(DESTDIR)$(mandir)/man8/bootsync.8 $(DESTDIR)$(bashcompdir)/bootsync
	-@if [ -z "$(DESTDIR)" ] && command -v semodule >/dev/null && \
		semodule -l 2>/dev/null | grep -q '^bootsync\b'; then \
		echo "semodule -r bootsync"; semodule -r bootsync; fi

# ---- checks ----
# CI installs what these need with tools/install-dist-deps. Whether the
# SELinux module can be built is decided when the recipe runs, not when
# make reads this file: `make deps check` installs selinux-policy-dev after
# make has read it. Without it the module is not built and t_sepolicy.sh
# says so loudly (and fails under CI=true, where it must be installed).
check-dist: $(DIST_SCRIPTS)
	@if [ -r $(SEPOLICY_MAKEFILE) ]; then $(MAKE) --no-print-directory build/selinux/bootsync.pp; \
	else echo "$(SEPOLICY_MAKEFILE) missing: the SELinux module is not built"; fi
	tests/dist/run "tests/dist/t_sepolicy.sh build/selinux/bootsync.pp" \
		"tests/dist/t_man.sh $(VERSION) $(CURDIR)/build/bootsync" \
		"tests/dist/t_completion.sh $(CURDIR)/build/bootsync" \
		"tests/dist/t_kernel_install.sh $(CURDIR)/build/dist $(CURDIR)/build/bootsync" \
		"tests/dist/t_install.sh" \
		"tests/dist/t_rpm.sh $(VERSION)" \
		"tests/dist/lab-selinux --check"

# t_sepolicy.sh: the module, built against this machine's reference policy,
# is linked into a copy of the policy store (semodule -n -p): a .te that
# does not build or link fails, and the linked policy is queried for what
# bootsync_t must and must not be allowed. Nothing is loaded into a kernel.
# t_rpm.sh: the spec parses, a source RPM builds from `git archive`, and
# binary RPMs build from it, with %files matching what `make install` lays
# out.
# lab-selinux: the lab machine of tests/vm/ booted with Debian's policy
# enforcing and the module loaded: units succeed, run in bootsync_t, no
# denial. Skipped (loudly) without the lab; vmcheck-selinux forces it.
vmcheck-selinux: build/bootsync build/selinux/bootsync.pp
	tests/dist/lab-selinux

srpm:
	tests/dist/t_rpm.sh $(VERSION) --srpm-only

FORCE:
