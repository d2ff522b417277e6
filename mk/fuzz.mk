# SPDX-License-Identifier: LGPL-3.0-or-later
# Fuzz targets (tests/fuzz, libFuzzer; clang and its runtime from Debian's
# packages, installed by `make deps`). See tests/fuzz/README.md.
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="loadopt plan"]
#       build with clang and run each target for that long; new inputs go
#       to build/fuzz/corpus-new/<target> (the run says how to merge them)
#   make check-fuzz (part of make check)
#       replay every corpus file through its target, run each target for
#       FUZZ_CHECK_SECONDS (default 5), check version_compare against
#       coreutils' sort -V. Without clang/libFuzzer: a loud SKIPPED line,
#       a failure under CI=true.
# Whether clang is there is decided by tests/fuzz/run when it runs, never
# here: `make deps check` installs it first.
.PHONY: fuzz fuzz-build check-fuzz

FUZZ_CC            ?= clang-14
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 5
FUZZ_ALL           := loadopt efivar token version json plan
FUZZ_TARGETS       ?= $(FUZZ_ALL)
FUZZ_CFLAGS        ?= -O1 -g
FUZZ_SAN           := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# The project's own warnings, as gcc has them (log_v carries a format
# attribute, so clang's -Wformat-nonliteral is met too).
FUZZ_WARN          :=
FUZZ_OBJS          := $(LIB_SRCS:src/%.c=build/fuzz/obj/%.o)
FUZZ_HELPER_OBJS   := build/fuzz/obj/jsonv.o

$(FUZZ_OBJS) $(FUZZ_HELPER_OBJS): | build/config.h
build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_WARN) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
build/fuzz/obj/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_WARN) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Isrc -MMD -MP -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(FUZZ_HELPER_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_WARN) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -Isrc -MMD -MP \
		-o $@ $< $(FUZZ_OBJS) $(FUZZ_HELPER_OBJS) $(PKG_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

# The sort -V agreement check's helper: version.c with the plain compiler,
# so that the check runs on machines without clang too.
build/fuzz/version-order: tests/fuzz/version_order.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $^ $(PKG_LIBS)

FUZZ_RUN_ENV = FUZZ_CC='$(FUZZ_CC)' FUZZ_TARGETS='$(FUZZ_TARGETS)' FUZZ_SECONDS='$(FUZZ_SECONDS)' \
	       FUZZ_CHECK_SECONDS='$(FUZZ_CHECK_SECONDS)' MAKE='$(MAKE)'

fuzz:
	+$(FUZZ_RUN_ENV) tests/fuzz/run fuzz

check-fuzz: build/fuzz/version-order
	+$(FUZZ_RUN_ENV) tests/fuzz/run check

EXTRA_CHECKS += check-fuzz

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_HELPER_OBJS:.o=.d) $(FUZZ_ALL:%=build/fuzz/fuzz_%.d)
