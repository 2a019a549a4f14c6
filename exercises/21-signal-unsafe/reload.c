/*
 * A signal handler that reloads the configuration itself.
 *
 * Usage: reload
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
#include <pthread.h>
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
	reloaded = 1;
}

/* The management interface: asks the server to reload. */
static void *admin(void *arg)
{
	check(pthread_kill(*(pthread_t *)arg, SIGUSR1), "pthread_kill");
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	sigset_t usr1, waiting;
	pthread_t self = pthread_self(), t;

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
	while (!reloaded)
		sigsuspend(&waiting);	/* serve requests until the reload is done */
	printf("serving with config v%d\n", config->version);

	check(pthread_join(t, NULL), "pthread_join");
	free(config);
	return 0;
}
