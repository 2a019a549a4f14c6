/*
 * Every press is told its page through the same variable.
 *
 * Usage: presses PAGES
 *
 * A print shop prints a document of PAGES pages on PAGES presses at once:
 * press number i prints page i. The shop starts one thread per press and
 * tells each which page to print. When all presses are done, every page
 * should have been printed exactly once; instead some pages come out twice
 * and others not at all, differently each run.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 64

static int npages;
static int copies[MAX_PAGES];	/* under copies_lock: times each page was printed */
static int strays;		/* under copies_lock: pages asked for that do not exist */
static pthread_mutex_t copies_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "presses: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void *press(void *arg)
{
	int page = *(const int *)arg;

	check(pthread_mutex_lock(&copies_lock), "pthread_mutex_lock");
	if (page >= 0 && page < npages)
		copies[page]++;
	else
		strays++;
	check(pthread_mutex_unlock(&copies_lock), "pthread_mutex_unlock");
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tid[MAX_PAGES];
	int page[MAX_PAGES];	/* each press's own page number, alive until it is joined */
	char *end;
	long n;
	int i;

	errno = 0;
	n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || n < 1 || n > MAX_PAGES) {
		fprintf(stderr, "usage: presses PAGES (a number from 1 to %d)\n", MAX_PAGES);
		return 2;
	}
	npages = n;
	for (i = 0; i < npages; i++) {
		page[i] = i;
		check(pthread_create(&tid[i], NULL, press, &page[i]), "pthread_create");
	}
	for (i = 0; i < npages; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");

	printf("copies of each page:");
	for (i = 0; i < npages; i++)
		printf(" %d", copies[i]);
	printf("\nstray pages: %d\n", strays);
	return 0;
}
