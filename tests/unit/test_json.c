/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* Unit tests of the JSON writer (status --json) and of --esp-root
 * normalisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esp.h"
#include "json.h"

static char *render(void (*build)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct json j;
	json_init(&j, f);
	build(&j);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void build_nested(struct json *j)
{
	json_object_begin(j, NULL);
	json_string(j, "a", "x");
	json_null(j, "n");
	json_array_begin(j, "l");
	json_uint(j, NULL, 1);
	json_uint(j, NULL, UINT64_MAX);
	json_object_begin(j, NULL);
	json_bool(j, "t", true);
	json_bool(j, "f", false);
	json_object_end(j);
	json_array_end(j);
	json_array_begin(j, "empty");
	json_array_end(j);
	json_string(j, "s", NULL);
	json_object_end(j);
}

static void test_nesting_and_commas(void **state)
{
	(void)state;
	char *out = render(build_nested);
	assert_string_equal(out, "{\"a\":\"x\",\"n\":null,\"l\":[1,18446744073709551615,"
				 "{\"t\":true,\"f\":false}],\"empty\":[],\"s\":null}\n");
	free(out);
}

static void build_escapes(struct json *j)
{
	json_object_begin(j, NULL);
	json_string(j, "k\"ey", "quote\" back\\ nl\n tab\t cr\r bell\x07 utf8 \xc3\xa9");
	json_object_end(j);
}

static void test_escapes(void **state)
{
	(void)state;
	char *out = render(build_escapes);
	assert_string_equal(out, "{\"k\\\"ey\":\"quote\\\" back\\\\ nl\\n tab\\t cr\\r bell\\u0007 "
				 "utf8 \xc3\xa9\"}\n");
	free(out);
}

static void expect_root(const char *arg, const char *want)
{
	char *got = esp_root_normalise(arg);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_esp_root_normalise(void **state)
{
	(void)state;
	expect_root("/boot", "/boot");
	expect_root("/boot/", "/boot");
	expect_root("/boot///", "/boot");
	expect_root("/efi", "/efi");
	expect_root("/tmp/x/boot", "/tmp/x/boot");
	expect_root("boot", NULL);
	expect_root("", NULL);
	expect_root("/", NULL);
	expect_root("//", NULL);
	expect_root("/a//b", NULL);
	expect_root("/a/./b", NULL);
	expect_root("/a/../b", NULL);
	expect_root("/a/..", NULL);
	expect_root("/a/.", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_esp_root_normalise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
