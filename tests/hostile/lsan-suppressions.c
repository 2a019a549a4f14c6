/* Hostile: a leak hidden by LeakSanitizer's built-in suppressions hook. */
#include "leak.h"

const char *__lsan_default_suppressions(void)	/* tamper */
{
	return "leak:main\n";
}

int main(void)
{
	return leak_main();
}
