/*
 * A print spooler that starts printing before it has read its settings.
 *
 * The spooler's main thread starts the printer thread early, "to save
 * time", and loads the settings while the printer warms up. The settings
 * say every job is printed in 2 copies. The printer thread prints the first
 * job as soon as it runs, and reads the number of copies from a structure
 * main has not filled in yet: it prints 0 copies.
 *
 * This is an order violation: the program is correct only if main's write
 * comes before the printer's read, and nothing makes it so.
 *
 * The schedule is staged (stage.h) so that every run behaves the same: the
 * printer reads the settings first, then main loads them. The staging adds
 * no synchronization that the race detectors could see.
 *
 * Usage: spool [COPIES]   the settings say COPIES, 2 to 9 (default 2)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage.h"

struct settings {
	int copies;
};

static struct settings settings;	/* zero until load_settings */
static int configured = 2;		/* what the settings file says: set by main */
static stage_t st = STAGE_INIT;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "spool: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void load_settings(void)
{
	settings.copies = configured;
}

static void *printer(void *arg)
{
	int *printed = arg;

	for (int i = 0; i < settings.copies; i++)
		(*printed)++;
	stage_reach(&st, 1);		/* the first job has been printed */
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int printed = 0;

	if (argc > 1)
		configured = atoi(argv[1]);
	if (argc > 2 || configured < 2 || configured > 9) {
		fprintf(stderr, "usage: spool [COPIES, 2 to 9]\n");
		return 2;
	}

	check(pthread_create(&t, NULL, printer, &printed), "pthread_create");
	stage_wait(&st, 1);		/* let the printer run first */
	load_settings();		/* <-- look here */
	check(pthread_join(t, NULL), "pthread_join");
	printf("job 1: printed %d copies\n", printed);
	return 0;
}
