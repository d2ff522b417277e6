/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* version-order: read lines on stdin, print them sorted by version_compare
 * (ascending, duplicates kept), for tests/fuzz/sortv-check to compare with
 * `LC_ALL=C sort -V`. Lines are cut at a NUL, as C strings are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static int by_version(const void *a, const void *b)
{
	return version_compare(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char **v = NULL, *line = NULL;
	size_t n = 0, cap = 0, len = 0;
	ssize_t k;
	while ((k = getline(&line, &len, stdin)) >= 0) {
		if (k > 0 && line[k - 1] == '\n')
			line[k - 1] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				return 1;
		}
		if (!(v[n++] = strdup(line)))
			return 1;
	}
	qsort(v, n, sizeof *v, by_version);
	for (size_t i = 0; i < n; i++)
		printf("%s\n", v[i]);
	return ferror(stdout) || fclose(stdout) != 0;
}
