/*
 * A reply freed while a detached thread still sends it.
 *
 * Usage: sender [NAME]   the reply greets NAME (default: world)
 *
 * A server builds each reply in a heap buffer and hands it to a detached
 * sender thread, so that its main loop can take the next request at once.
 * Nobody joins a detached thread, so main cannot know when the sender is
 * done with the buffer; it frees the reply as soon as the hand-off is made.
 * Handing the buffer over hands over its ownership: the sender, the last
 * thread to use the reply, frees it, and main never touches it again.
 *
 * The staging (stage.h, which creates no happens-before) makes the sender
 * wait until main has freed the reply, every run. It also makes main wait
 * until the sender has exited before it returns, without ordering anything
 * for the checkers: a real server would simply keep running.
 */
#define _GNU_SOURCE		/* gettid */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stage.h"

static stage_t st = STAGE_INIT;
static stage_t sender_tid = STAGE_INIT;	/* staging: the sender's thread id, once done */

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "sender: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

/*
 * Send the reply: here, count its bytes, as write(2) would take them. The
 * reply is the sender's: it frees it after its last use.
 */
static void *sender(void *arg)
{
	char *reply = arg;

	stage_wait(&st, 1);		/* staging: start after main let go of the reply */
	printf("sent %zu bytes\n", strlen(reply));
	free(reply);
	stage_reach(&sender_tid, gettid());	/* staging: tell main we are done */
	return NULL;
}

/*
 * Staging: a detached thread cannot be joined, so main waits until the
 * kernel no longer knows the sender's thread. Returning while it is still
 * exiting would make Memcheck report its thread-local storage as lost.
 */
static void wait_until_gone(stage_t *tid)
{
	char path[64];

	stage_wait(tid, 1);
	snprintf(path, sizeof(path), "/proc/self/task/%d",
		 __atomic_load_n(&tid->step, __ATOMIC_RELAXED));
	while (access(path, F_OK) == 0)
		sched_yield();
}

int main(int argc, char **argv)
{
	static const char format[] = "HTTP/1.0 200 OK: hello, %s";
	const char *name = argc > 1 ? argv[1] : "world";
	pthread_attr_t attr;
	pthread_t t;
	char *reply;
	int len;

	if (argc > 2) {
		fprintf(stderr, "usage: sender [NAME]\n");
		return 2;
	}
	len = snprintf(NULL, 0, format, name);
	reply = len < 0 ? NULL : malloc(len + 1);
	if (!reply) {
		perror("sender: malloc");
		return 1;
	}
	snprintf(reply, len + 1, format, name);

	check(pthread_attr_init(&attr), "pthread_attr_init");
	check(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED),
	      "pthread_attr_setdetachstate");
	check(pthread_create(&t, &attr, sender, reply), "pthread_create");
	check(pthread_attr_destroy(&attr), "pthread_attr_destroy");
	/* The reply is handed off: it belongs to the sender now. */
	reply = NULL;
	stage_reach(&st, 1);

	wait_until_gone(&sender_tid);	/* staging: stay until the sender has exited */
	return 0;
}
