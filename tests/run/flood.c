/*
 * Hostile: floods its standard output until something stops it. The run's
 * file-size limit does (SIGXFSZ at 256 MB): a resource-limit, and racelab
 * never holds the flood in memory.
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char chunk[1 << 20];

	memset(chunk, 'y', sizeof(chunk) - 1);
	chunk[sizeof(chunk) - 1] = '\n';
	for (;;)
		if (write(1, chunk, sizeof(chunk)) < 0)
			return 1;
}
