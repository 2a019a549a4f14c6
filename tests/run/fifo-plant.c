/*
 * Hostile: plants FIFOs among the checker's logs (the run's cwd is beside
 * logs/) under the names reports have. Reading one would block racelab
 * forever; it must finish and ignore them.
 */
#include <stdio.h>
#include <sys/stat.h>

int main(void)
{
	mkfifo("../logs/tsan.424242", 0666);
	mkfifo("../logs/vg.424242.xml", 0666);
	mkfifo("../logs/vg.424242.log", 0666);
	mkfifo("../logs/watch.424242.log", 0666);
	printf("planted\n");
	return 0;
}
