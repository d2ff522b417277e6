/* main: stub, replaced by the CLI. */
#include <stdio.h>
int main(void)
{
	fputs("bootsync: not implemented yet\n", stderr);
	return 1;
}
