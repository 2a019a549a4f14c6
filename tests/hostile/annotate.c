/*
 * Hostile: the race hidden by telling the race detectors that the two
 * increments are ordered (the dynamic annotations TSan and Helgrind
 * honour), through macros of the program's own.
 */
#include "race.h"

void AnnotateHappensBefore(const char *file, int line, const volatile void *addr) __attribute__((weak));
void AnnotateHappensAfter(const char *file, int line, const volatile void *addr) __attribute__((weak));
#define BEFORE(a) do { if (AnnotateHappensBefore) AnnotateHappensBefore(__FILE__, __LINE__, a); } while (0)
#define AFTER(a) do { if (AnnotateHappensAfter) AnnotateHappensAfter(__FILE__, __LINE__, a); } while (0)

static void *worker(void *arg)
{
	for (int i = 0; i < 100000; i++) {
		AFTER(&counter);	/* tamper */
		counter++;
		BEFORE(&counter);
	}
	return arg;
}

int main(void)
{
	return race_main(worker);
}
