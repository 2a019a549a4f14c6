/*
 * Two locks for one till.
 *
 * Usage: till TIMES [RETURNS]
 *
 * A shop's till starts the day with 1000 coins. The sales desk puts a coin
 * in TIMES times while the returns desk takes a coin out RETURNS times
 * (default: TIMES), so the till should end the day with 1000 coins, plus
 * TIMES, minus RETURNS. The two desks were written
 * by two people, and each carefully locked its own code with its own
 * mutex. The till still comes out wrong some evenings.
 *
 * Both desks are started before either is joined, so nothing but the
 * locks could order one desk's updates against the other's.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long till = 1000;
static pthread_mutex_t sales_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t returns_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "till: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void *sales_desk(void *arg)
{
	long times = *(const long *)arg;

	for (long i = 0; i < times; i++) {
		check(pthread_mutex_lock(&sales_lock), "pthread_mutex_lock");
		till++;
		check(pthread_mutex_unlock(&sales_lock), "pthread_mutex_unlock");
	}
	return NULL;
}

static void *returns_desk(void *arg)
{
	long times = *(const long *)arg;

	for (long i = 0; i < times; i++) {
		check(pthread_mutex_lock(&returns_lock), "pthread_mutex_lock");	/* <-- look here */
		till--;
		check(pthread_mutex_unlock(&returns_lock), "pthread_mutex_unlock");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t sales, returns;
	long times[2];		/* sales, returns */

	for (int i = 0; i < 2; i++) {
		const char *arg = argv[argc == 3 ? i + 1 : 1];
		char *end;

		errno = 0;
		times[i] = argc == 2 || argc == 3 ? strtol(arg, &end, 10) : 0;
		if ((argc != 2 && argc != 3) || errno || end == arg || *end || times[i] < 1 ||
		    times[i] > 100000000) {
			fprintf(stderr, "usage: till TIMES [RETURNS] (numbers from 1 to 100000000)\n");
			return 2;
		}
	}
	check(pthread_create(&sales, NULL, sales_desk, &times[0]), "pthread_create");
	check(pthread_create(&returns, NULL, returns_desk, &times[1]), "pthread_create");
	check(pthread_join(sales, NULL), "pthread_join");
	check(pthread_join(returns, NULL), "pthread_join");

	printf("till = %ld\n", till);
	return 0;
}
