/* Hostile: the racy worker built with no sanitizer instrumentation at all. */
#include "race.h"

__attribute__((disable_sanitizer_instrumentation))	/* tamper */
static void *worker(void *arg)
{
	for (int i = 0; i < 100000; i++)
		counter++;
	return arg;
}

int main(void)
{
	return race_main(worker);
}
