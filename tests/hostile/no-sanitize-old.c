/*
 * Hostile: the older attributes, one per sanitizer: a racy worker without
 * ThreadSanitizer, a read past an array without AddressSanitizer.
 */
#include <stdlib.h>

#include "race.h"

__attribute__((no_sanitize_thread)) static void *worker(void *arg)	/* tamper: thread */
{
	for (int i = 0; i < 100000; i++)
		counter++;
	return arg;
}

__attribute__((no_sanitize_address)) static int past_the_end(const int *v, int n)	/* tamper: address */
{
	return v[n];
}

int main(void)
{
	int *v = calloc(4, sizeof(*v));

	if (!v || race_main(worker))
		return 1;
	printf("%d\n", past_the_end(v, 4) != 0);
	free(v);
	return 0;
}
