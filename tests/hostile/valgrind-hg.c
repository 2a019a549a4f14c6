/* Hostile: the race hidden from Helgrind by a client request that stops checking the counter. */
#include <valgrind/helgrind.h>

#include "race.h"

int main(void)
{
	VALGRIND_HG_DISABLE_CHECKING(&counter, sizeof(counter));	/* tamper */
	return race_main(race_worker);
}
