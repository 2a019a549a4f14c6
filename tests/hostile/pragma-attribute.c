/*
 * Hostile: every function from here on (the racy worker among them) is
 * excluded from ThreadSanitizer by a `#pragma clang attribute`, written
 * through _Pragma in a macro.
 */
#define QUIET_FROM_HERE \
	_Pragma("clang attribute push(__attribute__((no_sanitize(\"thread\"))), apply_to = function)")

QUIET_FROM_HERE	/* tamper */

#include "race.h"

int main(void)
{
	return race_main(race_worker);
}

_Pragma("clang attribute pop")
