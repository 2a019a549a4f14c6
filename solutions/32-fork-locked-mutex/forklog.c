/*
 * A child that inherits a lock nobody will ever release.
 *
 * Usage: forklog [N]   main forks N worker children, 1 to 8 (default 1)
 *
 * Every line of the log goes through log_line, which holds a mutex so that
 * lines from different threads do not mix. A background flusher thread
 * holds the same mutex while it writes out a batch. Main forks a worker
 * child, and the child's first act is to log that it started. The child
 * never does; the parent waits for it forever.
 *
 * Staging: the flusher takes the lock, says so (busy), then holds it while
 * it "writes": until main says it has forked, or until main itself waits
 * for the lock (a program that takes it before forking; include/stage.h).
 * Then the flusher idles until main is done with the child. With several
 * children, each stays until main has forked them all, so that none ends,
 * unreaped, while main is still forking the next.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stage.h"

#define MAXCHILDREN 8

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t busy, forked, quit;

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "forklog: %s: %s\n", what, strerror(rc));
		exit(1);
	}
}

static void log_line(const char *who, const char *what)
{
	check(pthread_mutex_lock(&log_lock), "pthread_mutex_lock");
	printf("%s: %s\n", who, what);
	fflush(stdout);
	check(pthread_mutex_unlock(&log_lock), "pthread_mutex_unlock");
}

/* Around fork, the forking thread holds the log lock: the child gets it
 * unlocked and owned by its only thread, whatever the other threads did. */
static void lock_log(void)
{
	check(pthread_mutex_lock(&log_lock), "pthread_mutex_lock");
}

static void unlock_log(void)
{
	check(pthread_mutex_unlock(&log_lock), "pthread_mutex_unlock");
}

static void *flusher(void *arg)
{
	(void)arg;
	check(pthread_mutex_lock(&log_lock), "pthread_mutex_lock");
	if (sem_post(&busy))
		check(errno, "sem_post");
	while (sem_trywait(&forked) && !stage_lock_wanted(&log_lock)) {
		if (errno != EAGAIN && errno != EINTR)
			check(errno, "sem_trywait");
		sched_yield();
	}
	printf("flusher: batch written\n");
	fflush(stdout);
	check(pthread_mutex_unlock(&log_lock), "pthread_mutex_unlock");
	if (sem_wait(&quit))	/* idle until main is done */
		check(errno, "sem_wait");
	return NULL;
}

/* Staging: stay until main has forked every child and closed the gate. */
static void stay_until_all_forked(int gate[2])
{
	char c;

	if (close(gate[1]))
		_exit(1);
	while (read(gate[0], &c, 1) < 0 && errno == EINTR)
		;
	if (close(gate[0]))	/* nothing of the staging is left open at exit */
		_exit(1);
}

int main(int argc, char **argv)
{
	pthread_t tid;
	pid_t pid[MAXCHILDREN];
	int status, done = 0, gate[2];	/* gate: staging, see stay_until_all_forked */
	int children = argc > 1 ? atoi(argv[1]) : 1;

	if (argc > 2 || children < 1 || children > MAXCHILDREN) {
		fprintf(stderr, "usage: forklog [N, 1 to %d]\n", MAXCHILDREN);
		return 2;
	}

	if (sem_init(&busy, 0, 0) || sem_init(&forked, 0, 0) || sem_init(&quit, 0, 0))
		check(errno, "sem_init");
	check(pthread_atfork(lock_log, unlock_log, unlock_log), "pthread_atfork");
	check(pthread_create(&tid, NULL, flusher, NULL), "pthread_create");
	if (sem_wait(&busy))
		check(errno, "sem_wait");

	if (pipe(gate))
		check(errno, "pipe");
	fflush(stdout);
	for (int i = 0; i < children; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			check(errno, "fork");
		if (pid[i] == 0) {
			log_line("child", "started");
			stay_until_all_forked(gate);
			exit(0);
		}
	}
	if (close(gate[1]) || close(gate[0]))	/* staging: the children may end now */
		check(errno, "close");
	if (sem_post(&forked))
		check(errno, "sem_post");
	for (int i = 0; i < children; i++) {
		if (waitpid(pid[i], &status, 0) != pid[i])
			check(errno, "waitpid");
		done += WIFEXITED(status) && !WEXITSTATUS(status);
	}
	if (sem_post(&quit))
		check(errno, "sem_post");
	check(pthread_join(tid, NULL), "pthread_join");
	if (children == 1)
		log_line("parent", done ? "the child is done" : "the child failed");
	else
		log_line("parent", done == children ? "the children are done" : "a child failed");
	return 0;
}
