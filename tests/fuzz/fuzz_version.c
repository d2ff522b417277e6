/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz_version: version_compare is a total order.
 *
 * Input: up to three strings separated by '\n' (a NUL inside one ends it,
 * as for any C string), so that corpus files are text, one version a
 * line, and tests/fuzz/sortv-check can feed them to sort -V too.
 *
 * Invariants, for every pair and the triple:
 *  - reflexive and total: compare(a, b) == 0 exactly when a and b are the
 *    same string (equivalent versions such as "1.01" and "1.1" are ordered
 *    by bytes, as sort's last-resort comparison orders them);
 *  - antisymmetric: sign(compare(a, b)) == -sign(compare(b, a));
 *  - transitive: a <= b and b <= c imply a <= c, in every arrangement;
 *  - kept to -1, 0, 1 (version.c says so) and the same on a second call.
 * Agreement with coreutils' sort -V is checked outside the fuzzer loop
 * (too slow inside it): tests/fuzz/sortv-check, part of make check-fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x) { return (x > 0) - (x < 0); }

static int cmp(const char *a, const char *b)
{
	int r = version_compare(a, b);
	FUZZ_ASSERT(r == -1 || r == 0 || r == 1, "compare(\"%s\", \"%s\") = %d", a, b, r);
	FUZZ_ASSERT(version_compare(a, b) == r, "compare(\"%s\", \"%s\") changed", a, b);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[3];
	size_t off = 0;
	for (int i = 0; i < 3; i++) {
		const uint8_t *nl = off < size ? memchr(data + off, '\n', size - off) : NULL;
		size_t end = i == 2 || !nl ? size : (size_t)(nl - data);
		if (off > size)
			off = size;
		s[i] = fuzz_strndup(data + off, end > off ? end - off : 0);
		off = end + 1;
	}

	for (int i = 0; i < 3; i++) {
		FUZZ_ASSERT(cmp(s[i], s[i]) == 0, "\"%s\" differs from itself", s[i]);
		for (int j = 0; j < 3; j++) {
			int ab = cmp(s[i], s[j]), ba = cmp(s[j], s[i]);
			FUZZ_ASSERT(ab == -ba, "compare(\"%s\", \"%s\") = %d but the reverse is %d", s[i],
				    s[j], ab, ba);
			FUZZ_ASSERT((ab == 0) == (strcmp(s[i], s[j]) == 0),
				    "\"%s\" and \"%s\": compare %d, strcmp %d", s[i], s[j], ab,
				    sign(strcmp(s[i], s[j])));
			for (int k = 0; k < 3; k++) {
				int bc = cmp(s[j], s[k]), ac = cmp(s[i], s[k]);
				if (ab <= 0 && bc <= 0)
					FUZZ_ASSERT(ac <= 0, "\"%s\" <= \"%s\" <= \"%s\" but compare(a, c) = %d",
						    s[i], s[j], s[k], ac);
			}
		}
	}
	for (int i = 0; i < 3; i++)
		free(s[i]);
	return 0;
}
