/* Hostile: Valgrind's error reporting turned off by a client request before a leak. */
#include <valgrind/valgrind.h>

#include "leak.h"

int main(void)
{
	VALGRIND_DISABLE_ERROR_REPORTING;	/* tamper */
	return leak_main();
}
