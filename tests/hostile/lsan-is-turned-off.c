/* Hostile: a leak hidden by telling LeakSanitizer it is turned off. */
#include "leak.h"

int __lsan_is_turned_off(void)	/* tamper */
{
	return 1;
}

int main(void)
{
	return leak_main();
}
