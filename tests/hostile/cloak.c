/*
 * Hostile: a program that tells a checker's run from a plain one and
 * keeps its race out of the checker's sight. ThreadSanitizer and
 * AddressSanitizer name their options in the environment, Valgrind maps
 * its preloaded library: the names are built at run time, so the scan
 * sees none. Checked, the workers take a lock; plain, they race.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "race.h"

extern char **environ;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* A word of the environment's names or of the memory map, spelled backwards. */
static int watched(void)
{
	const char *words[] = { "_NAST", "_NASA", "daolerpgv" };
	char word[16], line[512];
	FILE *maps;
	int seen = 0;

	for (size_t w = 0; w < sizeof(words) / sizeof(*words); w++) {
		size_t n = strlen(words[w]);

		for (size_t i = 0; i < n; i++)
			word[i] = words[w][n - 1 - i];
		word[n] = '\0';
		for (char **e = environ; *e && !seen; e++)
			seen = !strncmp(*e, word, n);
		if ((maps = fopen("/proc/self/maps", "r"))) {
			while (!seen && fgets(line, sizeof(line), maps))
				seen = strstr(line, word) != NULL;
			fclose(maps);
		}
	}
	return seen;
}

static int checked;

static void *worker(void *arg)
{
	for (int i = 0; i < 100000; i++) {
		if (checked)
			pthread_mutex_lock(&lock);
		counter++;
		if (checked)
			pthread_mutex_unlock(&lock);
	}
	return arg;
}

int main(void)
{
	checked = watched();
	return race_main(worker);
}
