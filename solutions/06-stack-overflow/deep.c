/*
 * A deep recursion on a small thread stack.
 *
 * Usage: deep DEPTH
 *
 * A directory walker descends DEPTH levels, one recursive call per level,
 * keeping a 128-byte name buffer in every frame. It runs in a thread of its
 * own, and someone gave that thread a small stack "because it does so
 * little". Shallow trees work; deep ones crash, and nothing in the program
 * ever says why.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WALKER_STACK (64 * 1024 * 1024)	/* room for deep trees */

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "deep: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/* Descend to `depth`; returns the deepest level reached. */
static unsigned long descend(unsigned long level, unsigned long depth)
{
	char name[128];
	unsigned long reached;

	for (size_t i = 0; i < sizeof(name); i++)	/* use the whole frame */
		name[i] = (char)('a' + (level + i) % 26);
	if (level == depth)
		return level;
	reached = descend(level + 1, depth);
	/* The name is still needed on the way back up. */
	return name[0] == (char)('a' + level % 26) ? reached : 0;
}

static void *walker(void *arg)
{
	unsigned long *depth = arg;

	*depth = descend(0, *depth);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t tid;
	unsigned long depth;
	char *end;

	errno = 0;
	depth = argc == 2 ? strtoul(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || depth < 1 || depth > 100000) {
		fprintf(stderr, "usage: deep DEPTH (a number from 1 to 100000)\n");
		return 2;
	}
	check(pthread_attr_init(&attr), "pthread_attr_init");
	check(pthread_attr_setstacksize(&attr, WALKER_STACK), "pthread_attr_setstacksize");
	check(pthread_create(&tid, &attr, walker, &depth), "pthread_create");
	check(pthread_join(tid, NULL), "pthread_join");
	check(pthread_attr_destroy(&attr), "pthread_attr_destroy");

	printf("depth reached %lu\n", depth);
	return 0;
}
