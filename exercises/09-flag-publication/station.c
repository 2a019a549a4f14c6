/*
 * A reading published with a plain flag.
 *
 * Usage: station ID
 *
 * A weather station has a sensor thread and a display thread. The sensor
 * fills in a reading and then raises a flag; the display waits for the
 * flag and shows the reading. The flag is a plain int: the display spins
 * on it, giving up the CPU on each turn so the sensor can run.
 *
 * The output is right on this machine every time, yet the program is
 * wrong: nothing in C orders the reading's writes before the flag's, or
 * the flag's read before the reading's, for another thread.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reading {
	long station;
	double celsius;
	int hpa;
};

static struct reading latest;
static int ready;		/* set to 1 once latest is filled in */

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "station: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void *sensor(void *arg)
{
	latest.station = *(const long *)arg;
	latest.celsius = 21.5;
	latest.hpa = 1013;
	ready = 1;		/* <-- look here */
	return NULL;
}

static void *display(void *arg)
{
	while (!ready)
		sched_yield();
	printf("station %ld: %.1f C, %d hPa\n", latest.station, latest.celsius, latest.hpa);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t s, d;
	char *end;
	long id;

	errno = 0;
	id = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || id < 1 || id > 9999) {
		fprintf(stderr, "usage: station ID (a number from 1 to 9999)\n");
		return 2;
	}
	check(pthread_create(&d, NULL, display, NULL), "pthread_create");
	check(pthread_create(&s, NULL, sensor, &id), "pthread_create");
	check(pthread_join(s, NULL), "pthread_join");
	check(pthread_join(d, NULL), "pthread_join");
	return 0;
}
