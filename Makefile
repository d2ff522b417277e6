# SPDX-License-Identifier: LGPL-3.0-or-later
# bootsync - keep the EFI System Partitions of a mirrored machine in step.
# Targets: all (default), check, install, uninstall, clean; more in mk/*.mk.

VERSION     := 0.1
esp_root    ?= /boot
prefix      ?= /usr
sbindir     ?= $(prefix)/sbin
mandir      ?= $(prefix)/share/man
unitdir     ?= $(prefix)/lib/systemd/system
generatordir ?= $(prefix)/lib/systemd/system-generators
DESTDIR     ?=

CC          ?= cc
PKG_CONFIG  ?= pkg-config
PKGS        := mount blkid efivar efiboot
# Evaluated once, when first used: `make deps check` installs the libraries
# before anything asks pkg-config about them.
PKG_CFLAGS   = $(eval PKG_CFLAGS := $$(shell $(PKG_CONFIG) --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS     = $(eval PKG_LIBS := $$(shell $(PKG_CONFIG) --libs $(PKGS)))$(PKG_LIBS)

WARN        := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
CFLAGS      ?= -O2 -g
BASE_CFLAGS  = -std=gnu11 $(WARN) -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
               -Ibuild $(PKG_CFLAGS)
SAN_FLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS        := $(wildcard src/*.c)
LIB_SRCS    := $(filter-out src/main.c,$(SRCS))
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)

# Two build flavours side by side: plain (build/) and sanitized (build/san/).
OBJS        := $(SRCS:src/%.c=build/%.o)
SAN_OBJS    := $(SRCS:src/%.c=build/san/%.o)
LIB_OBJS    := $(LIB_SRCS:src/%.c=build/%.o)
SAN_LIB_OBJS:= $(LIB_SRCS:src/%.c=build/san/%.o)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=build/unit/%)
SAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/unit/%)

# Area fragments (lab, bench, packaging) add targets and EXTRA_CHECKS; they
# are read before the check rule, whose prerequisites expand right away.
.DEFAULT_GOAL := all
EXTRA_CHECKS :=
-include mk/*.mk

.PHONY: FORCE all deps check check-unit check-host check-san clean install uninstall
all: build/bootsync

# Build-time settings live in build/config.h, rewritten only when they
# change: `make esp_root=/efi` after a default build recompiles what uses it.
build/config.h: FORCE
	@mkdir -p $(@D)
	@printf '#pragma once\n#define BOOTSYNC_VERSION "%s"\n#define BOOTSYNC_ESP_ROOT "%s"\n' \
		'$(VERSION)' '$(esp_root)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:
$(OBJS) $(SAN_OBJS): | build/config.h

build/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
build/san/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

build/bootsync: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
build/san/bootsync: $(SAN_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/unit/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $^ $(PKG_LIBS) -lcmocka
build/san/unit/%: tests/unit/%.c $(SAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -Isrc -o $@ $^ $(PKG_LIBS) -lcmocka

# Build and test dependencies (Debian; run as root).
deps:
	tools/install-deps

# Fixtures captured from real firmware (a copy of ../shared/fixtures kept in
# the tree, so that a clone anywhere can run the tests).
FIXTURES    ?= $(CURDIR)/tests/fixtures
export FIXTURES

check: check-unit check-host check-san $(EXTRA_CHECKS)

check-unit: $(UNIT_BINS)
	tests/unit/run $(UNIT_BINS)

check-host: build/bootsync
	tests/host/run $(CURDIR)/build/bootsync

check-san: $(SAN_UNIT_BINS) build/san/bootsync
	tests/unit/run $(SAN_UNIT_BINS)
	tests/host/run $(CURDIR)/build/san/bootsync

install: build/bootsync
	install -D -m 0755 build/bootsync $(DESTDIR)$(sbindir)/bootsync
	@# The generator is the same program under its own name (main.c runs it
	@# by that name); a copy, not a link: SELinux labels it as a generator.
	install -D -m 0755 build/bootsync $(DESTDIR)$(generatordir)/bootsync-generator
	install -d $(DESTDIR)$(unitdir)
	for u in systemd/*.service.in; do \
		sed -e 's|@esp_root@|$(esp_root)|g' -e 's|@sbindir@|$(sbindir)|g' $$u \
			> $(DESTDIR)$(unitdir)/$$(basename $$u .in); \
	done
	@# daemon-reload only where systemd runs (not in a chroot or container).
	@if [ -z "$(DESTDIR)" ]; then \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		systemctl enable bootbind.service bootsync.service; \
	else echo "DESTDIR set: units installed, not enabled on this host"; fi

uninstall:
	-@if [ -z "$(DESTDIR)" ]; then systemctl disable bootbind.service bootsync.service; fi
	rm -f $(DESTDIR)$(sbindir)/bootsync $(DESTDIR)$(generatordir)/bootsync-generator \
		$(DESTDIR)$(unitdir)/bootbind.service $(DESTDIR)$(unitdir)/bootsync.service
	-@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d)
