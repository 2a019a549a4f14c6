/* Hostile: a leak hidden by LeakSanitizer's default-options hook. */
#include "leak.h"

const char *__lsan_default_options(void)	/* tamper */
{
	return "detect_leaks=0:exitcode=0";
}

int main(void)
{
	return leak_main();
}
