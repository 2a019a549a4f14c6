/* Hostile: a race hidden by ThreadSanitizer's built-in suppressions hook. */
#include "race.h"

const char *__tsan_default_suppressions(void)	/* tamper */
{
	return "race:worker\n";
}

int main(void)
{
	return race_main(race_worker);
}
