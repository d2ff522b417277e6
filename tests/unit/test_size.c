/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of size_format: the unit changes at 10 of the next one, the
 * figure is rounded down, the largest count fits SIZE_STR_MAX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "size.h"

static void expect(uint64_t b, const char *want)
{
	char buf[SIZE_STR_MAX];
	size_format(b, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void test_units(void **state)
{
	(void)state;
	expect(0, "0 bytes");
	expect(10239, "10239 bytes");
	expect(10240, "10 KiB");
	expect((10ull << 20) - 1, "10239 KiB");
	expect(10ull << 20, "10 MiB");
	expect(319ull << 20 | 1023, "319 MiB");
	expect((10ull << 30) - 1, "10239 MiB");
	expect(10ull << 30, "10 GiB");
	expect(UINT64_MAX, "17179869183 GiB");
}

static void test_truncates_to_buffer(void **state)
{
	(void)state;
	char buf[4];
	size_format(123456, buf, sizeof buf);
	assert_string_equal(buf, "120");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_truncates_to_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
