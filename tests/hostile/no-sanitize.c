/* Hostile: the racy worker excluded from ThreadSanitizer by an attribute hidden in a macro. */
#include "race.h"

#define QUIET __attribute__((__no_sanitize__("thread")))

static QUIET void *worker(void *arg)	/* tamper */
{
	for (int i = 0; i < 100000; i++)
		counter++;
	return arg;
}

int main(void)
{
	return race_main(worker);
}
