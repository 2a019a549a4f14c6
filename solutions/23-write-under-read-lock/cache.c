/*
 * A cache that writes under its read lock.
 *
 * Usage: cache READERS LOOKUPS
 *
 * A price cache is guarded by a reader-writer lock: lookups take the read
 * lock, so many threads can look up at once, and only filling the cache
 * takes the write lock. Each entry counts its hits, so that the least used
 * entries can be evicted later. With 2 readers doing 2000 lookups each, the
 * hit counts should add up to 4000; now and then they come out short.
 *
 * The read lock lets every reader in at the same time. That is what it is
 * for, and why a reader must only read.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRIES 8

struct entry {
	int key;
	long price;
	long hits;		/* lookups that found this entry */
};

static struct {
	pthread_rwlock_t lock;
	struct entry e[ENTRIES];
	int n;
} cache = { .lock = PTHREAD_RWLOCK_INITIALIZER };

static long lookups;
/* Guards every entry's hits: readers share the read lock, so they need their own. */
static pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "cache: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void insert(int key, long price)
{
	check(pthread_rwlock_wrlock(&cache.lock), "pthread_rwlock_wrlock");
	cache.e[cache.n++] = (struct entry){ .key = key, .price = price };
	check(pthread_rwlock_unlock(&cache.lock), "pthread_rwlock_unlock");
}

/* The price of key, or -1 when it is not cached. */
static long lookup(int key)
{
	long price = -1;

	check(pthread_rwlock_rdlock(&cache.lock), "pthread_rwlock_rdlock");
	for (int i = 0; i < cache.n; i++)
		if (cache.e[i].key == key) {
			check(pthread_mutex_lock(&hits_lock), "pthread_mutex_lock");
			cache.e[i].hits++;
			check(pthread_mutex_unlock(&hits_lock), "pthread_mutex_unlock");
			price = cache.e[i].price;
			break;
		}
	check(pthread_rwlock_unlock(&cache.lock), "pthread_rwlock_unlock");
	return price;
}

static void *reader(void *arg)
{
	for (long i = 0; i < lookups; i++) {
		int key = (int)(i % ENTRIES);

		if (lookup(key) != 100 + key) {
			fprintf(stderr, "cache: wrong price for key %d\n", key);
			exit(1);
		}
	}
	return arg;
}

int main(int argc, char **argv)
{
	long nreaders = 0, hits = 0;
	pthread_t *tid;
	char *end1 = NULL, *end2 = NULL;

	errno = 0;
	if (argc == 3) {
		nreaders = strtol(argv[1], &end1, 10);
		lookups = strtol(argv[2], &end2, 10);
	}
	if (argc != 3 || errno || *end1 || *end2 || nreaders < 1 || nreaders > 64 ||
	    lookups < 1 || lookups > 10000000) {
		fprintf(stderr, "usage: cache READERS LOOKUPS (1-64 readers, 1-10000000 lookups)\n");
		return 2;
	}

	for (int k = 0; k < ENTRIES; k++)
		insert(k, 100 + k);
	tid = calloc(nreaders, sizeof(*tid));
	if (!tid) {
		perror("cache: calloc");
		return 1;
	}
	for (long i = 0; i < nreaders; i++)
		check(pthread_create(&tid[i], NULL, reader, NULL), "pthread_create");
	for (long i = 0; i < nreaders; i++)
		check(pthread_join(tid[i], NULL), "pthread_join");
	free(tid);

	for (int i = 0; i < cache.n; i++)
		hits += cache.e[i].hits;
	printf("%ld lookups, %ld hits\n", nreaders * lookups, hits);
	return 0;
}
