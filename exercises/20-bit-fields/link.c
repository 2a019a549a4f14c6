/*
 * Two fields, two locks, one byte.
 *
 * Usage: link PACKETS
 *
 * A network link keeps a status word, sent as is in every frame, whose
 * first byte holds two 4-bit sequence numbers: one for frames received and
 * one for frames sent. The receive thread and the send thread each count
 * PACKETS frames in their own field, modulo 16. Each field has its own
 * lock, because the fields are separate and the two threads should not
 * wait for each other. Yet the numbers come out wrong: each thread's count
 * sometimes undoes the other's.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct status {
	unsigned rx_seq:4;	/* under rx_lock */
	unsigned tx_seq:4;	/* under tx_lock   <-- look here */
};

static struct status status;
static pthread_mutex_t rx_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t tx_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "link: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void *receiver(void *arg)
{
	long packets = *(const long *)arg;

	for (long i = 0; i < packets; i++) {
		check(pthread_mutex_lock(&rx_lock), "pthread_mutex_lock");
		status.rx_seq++;
		check(pthread_mutex_unlock(&rx_lock), "pthread_mutex_unlock");
	}
	return NULL;
}

static void *sender(void *arg)
{
	long packets = *(const long *)arg;

	for (long i = 0; i < packets; i++) {
		check(pthread_mutex_lock(&tx_lock), "pthread_mutex_lock");
		status.tx_seq++;
		check(pthread_mutex_unlock(&tx_lock), "pthread_mutex_unlock");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t rx, tx;
	long packets;
	char *end;

	errno = 0;
	packets = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || packets < 1 || packets > 100000000) {
		fprintf(stderr, "usage: link PACKETS (a number from 1 to 100000000)\n");
		return 2;
	}
	check(pthread_create(&rx, NULL, receiver, &packets), "pthread_create");
	check(pthread_create(&tx, NULL, sender, &packets), "pthread_create");
	check(pthread_join(rx, NULL), "pthread_join");
	check(pthread_join(tx, NULL), "pthread_join");

	printf("rx_seq = %u, tx_seq = %u\n", status.rx_seq, status.tx_seq);
	return 0;
}
