/* Hostile: a leak hidden by ASan's default-options hook (detect_leaks=0). */
#include "leak.h"

const char *__asan_default_options(void)	/* tamper */
{
	return "detect_leaks=0";
}

int main(void)
{
	return leak_main();
}
