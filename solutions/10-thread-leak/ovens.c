/*
 * Ovens that nobody takes out of service.
 *
 * Usage: ovens OVENS LOAVES
 *
 * A bakery fires OVENS ovens at once; each bakes LOAVES loaves and chalks
 * them up on the board. The baker waits until every oven has chalked up
 * its batch, reads the total from the board and closes the shop. The total
 * is always right: the board, under its mutex, tells the baker when every
 * batch is in. But no oven thread is ever joined: each one's descriptor,
 * stack and result stay behind until the process ends.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OVENS 16

static long loaves;		/* per oven, set before any oven starts */
static long total;		/* the board: under board_lock */
static int ovens_done;		/* under board_lock */
static pthread_mutex_t board_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t board_changed = PTHREAD_COND_INITIALIZER;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "ovens: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static long parse_arg(const char *s, const char *name, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max) {
		fprintf(stderr, "ovens: %s must be a number from 1 to %ld, not '%s'\n",
			name, max, s);
		exit(2);
	}
	return v;
}

static void *oven(void *arg)
{
	long baked = 0;

	for (long i = 0; i < loaves; i++)
		baked++;
	check(pthread_mutex_lock(&board_lock), "pthread_mutex_lock");
	total += baked;
	ovens_done++;
	check(pthread_cond_signal(&board_changed), "pthread_cond_signal");
	check(pthread_mutex_unlock(&board_lock), "pthread_mutex_unlock");
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t tid[MAX_OVENS];
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: ovens OVENS LOAVES\n");
		return 2;
	}
	n = parse_arg(argv[1], "OVENS", MAX_OVENS);
	loaves = parse_arg(argv[2], "LOAVES", 1000000);

	for (long i = 0; i < n; i++)
		check(pthread_create(&tid[i], NULL, oven, NULL), "pthread_create");

	check(pthread_mutex_lock(&board_lock), "pthread_mutex_lock");
	while (ovens_done < n)
		check(pthread_cond_wait(&board_changed, &board_lock), "pthread_cond_wait");
	printf("%d ovens baked %ld loaves\n", ovens_done, total);
	check(pthread_mutex_unlock(&board_lock), "pthread_mutex_unlock");

	for (long i = 0; i < n; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");
	return 0;
}
