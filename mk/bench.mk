# SPDX-License-Identifier: LGPL-3.0-or-later
# make bench: bootsync side by side with the rsync method and cp -r + sync,
# on loop-device disk images (root). See bench/README.md.
# make check-bench: the same script once at a tiny size, as a smoke test of
# the script only (it asserts that it completes and prints a table, never a
# timing).

BENCH_TIMEIT := build/bench/timeit
BENCH_OUT    ?= build/bench.txt

$(BENCH_TIMEIT): bench/timeit.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

.PHONY: bench check-bench
bench: build/bootsync $(BENCH_TIMEIT)
	BENCH_OUT=$(BENCH_OUT) BENCH_TIMEIT=$(BENCH_TIMEIT) bench/run $(CURDIR)/build/bootsync

check-bench: build/bootsync $(BENCH_TIMEIT)
	BENCH_RUNS=1 BENCH_KERNELS=2 BENCH_LINUX_KIB=16 BENCH_INITRD_KIB=64 BENCH_DROP_CACHES=0 \
	BENCH_OUT=build/bench-smoke.txt BENCH_TIMEIT=$(BENCH_TIMEIT) \
		bench/run $(CURDIR)/build/bootsync >/dev/null
	@grep -q '^full sync  *bootsync ' build/bench-smoke.txt && \
	 grep -q '^bind  *bootsync ' build/bench-smoke.txt && \
	 grep -q '^targets:' build/bench-smoke.txt || \
	 { echo "check-bench: no table in build/bench-smoke.txt" >&2; exit 1; }
	@echo "check-bench: the benchmark ran at a tiny size and printed its table (build/bench-smoke.txt)"

EXTRA_CHECKS += check-bench
