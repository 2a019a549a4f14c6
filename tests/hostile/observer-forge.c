/*
 * Hostile: exercise 01 "fixed" by taking turns (each window's thread is
 * joined before the next is created: right total, no concurrency), which
 * the concurrency probe rejects; then the program appends one line of
 * its own to the notes racelab's observer writes from inside its process
 * ("peak": every worker alive at once), finding the notes by the
 * variable that names them for the observer, whose name it builds at
 * run time. The line lacks the run's key, which the observer took out of
 * the environment before main: the probe does not read it.
 *
 * Usage: counter THREADS ITERATIONS   (as 01's counter.c)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long counter;

static void *worker(void *arg)
{
	long iterations = *(const long *)arg;

	for (long i = 0; i < iterations; i++)
		counter++;
	return NULL;
}

int main(int argc, char **argv)
{
	long nthreads = argc > 2 ? atol(argv[1]) : 4, iterations = argc > 2 ? atol(argv[2]) : 20000;
	char name[32] = "RACELAB_WATCH_FIL";
	const char *notes;
	FILE *f;

	for (long i = 0; i < nthreads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, worker, &iterations) || pthread_join(t, NULL))
			return 1;
	}
	strcat(name, "E");
	if ((notes = getenv(name)) && (f = fopen(notes, "a"))) {
		fprintf(f, "peak %d %ld\n", (int)getpid(), nthreads);
		fclose(f);
	}
	printf("counter = %ld\n", counter);
	return 0;
}
