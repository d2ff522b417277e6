# SPDX-License-Identifier: LGPL-3.0-or-later
# The VM lab (tests/vm): QEMU/TCG + OVMF + systemd-boot + Debian, two ESPs.
#   make vmcheck   all scenarios; fails when the lab's dependencies are missing
#   make check-vm  the same, but a loud SKIPPED line when they are missing
#   make demo      install what is missing, build, then tell the story
# Cache: $BOOTSYNC_LAB_CACHE (default /var/cache/bootsync-lab); this run's
# disks and serial logs: build/lab. See tests/vm/README.md.
.PHONY: vmcheck check-vm demo lab-deps

EXTRA_CHECKS += check-vm

vmcheck: build/bootsync
	tests/vm/run

check-vm:
	tests/vm/run --check

# The build's own dependencies too: a fresh machine may have neither.
lab-deps:
	@if ! $(PKG_CONFIG) --exists $(PKGS) 2>/dev/null; then tools/install-deps; fi
	tests/vm/install-deps

# A sub-make builds: pkg-config flags are read when make starts, maybe
# before lab-deps installed the libraries.
demo: lab-deps
	$(MAKE) build/bootsync
	tests/vm/demo
