/*
 * The bug the leak hiders hide: 64 bytes allocated, used and never freed.
 */
#include <stdio.h>
#include <stdlib.h>

static inline int leak_main(void)
{
	char *p = malloc(64);

	if (!p)
		return 1;
	p[0] = 'x';
	printf("%c\n", p[0]);
	fflush(stdout);
	p = NULL;
	return 0;
}
