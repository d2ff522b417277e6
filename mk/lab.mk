# The VM lab (tests/vm): QEMU/TCG + OVMF + systemd-boot + Debian, two ESPs.
#   make vmcheck   all scenarios; fails when the lab's dependencies are missing
#   make check-vm  the same, but a loud SKIPPED line when they are missing
#   make demo      install the lab's dependencies, then tell the story
# Cache: $(BOOTSYNC_LAB_CACHE) (default /var/cache/bootsync-lab).
.PHONY: vmcheck check-vm demo lab-deps

EXTRA_CHECKS += check-vm

vmcheck: build/bootsync
	tests/vm/run

check-vm:
	tests/vm/run --check

lab-deps:
	tests/vm/install-deps

demo: lab-deps build/bootsync
	tests/vm/demo
