/*
 * A signal handler that reloads the configuration itself.
 *
 * Usage: reload [N]   the admin asks for N reloads, 1 to 9 (default 1)
 *
 * A server rereads its configuration when it gets SIGUSR1. The handler
 * does the whole reload: it allocates the new configuration, frees the old
 * one and logs the change with printf. That works in every test, because
 * here the signal always arrives while the server waits. In production it
 * arrives while the main thread is inside malloc or printf, serving a
 * request; the handler then calls malloc or printf again from the middle of
 * it, with the allocator's or stdio's state half-updated and its lock held
 * by the very thread that now wants it: the server deadlocks or corrupts
 * its heap, once in a million reloads.
 *
 * An admin thread sends the signal with pthread_kill, as a management
 * interface would. SIGUSR1 stays blocked except inside sigsuspend, so every
 * run takes it at the same, harmless moment: the staging hides the crash,
 * not the bug.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config {
	int version;
};

static struct config *config;
static volatile sig_atomic_t reloaded;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "reload: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static struct config *config_load(int version)
{
	struct config *c = malloc(sizeof(*c));

	if (!c) {
		perror("reload: malloc");
		exit(1);
	}
	c->version = version;
	return c;
}

static void on_sigusr1(int sig)
{
	struct config *fresh = config_load(config->version + 1);	/* <-- look here */

	(void)sig;
	free(config);
	config = fresh;
	printf("reloaded: config v%d\n", config->version);
	reloaded++;
}

static int reloads = 1;		/* how many the admin asks for: set by main */
static sem_t done;		/* posted by main after each reload */

/* The management interface: asks the server to reload, and waits until it has. */
static void *admin(void *arg)
{
	for (int i = 0; i < reloads; i++) {
		check(pthread_kill(*(pthread_t *)arg, SIGUSR1), "pthread_kill");
		while (sem_wait(&done))
			if (errno != EINTR)
				check(errno, "sem_wait");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t usr1, waiting;
	pthread_t self = pthread_self(), t;

	if (argc > 1)
		reloads = atoi(argv[1]);
	if (argc > 2 || reloads < 1 || reloads > 9) {
		fprintf(stderr, "usage: reload [N, 1 to 9]\n");
		return 2;
	}
	if (sem_init(&done, 0, 0))
		check(errno, "sem_init");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigaction(SIGUSR1, &sa, NULL)) {
		perror("reload: sigaction");
		return 1;
	}
	/* staging: SIGUSR1 is taken only in sigsuspend, with the mask "waiting" */
	check(pthread_sigmask(SIG_BLOCK, &usr1, &waiting), "pthread_sigmask");
	sigdelset(&waiting, SIGUSR1);

	config = config_load(1);
	printf("serving with config v%d\n", config->version);
	check(pthread_create(&t, NULL, admin, &self), "pthread_create");
	for (int i = 0; i < reloads; i++) {
		while (reloaded == i)
			sigsuspend(&waiting);	/* serve requests until the reload is done */
		if (sem_post(&done))
			check(errno, "sem_post");
	}
	printf("serving with config v%d\n", config->version);

	check(pthread_join(t, NULL), "pthread_join");
	free(config);
	return 0;
}
