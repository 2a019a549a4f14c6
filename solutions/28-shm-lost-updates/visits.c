/*
 * Two processes that update one counter in shared memory.
 *
 * Usage: visits [N]   each process records N visits, 1 to 10 (default 1)
 *
 * A web server keeps its visit counter in memory shared by its worker
 * processes (mmap MAP_SHARED). The parent and a forked child each record
 * one visit: read the counter, add one, write it back. Two visits, yet
 * the counter says 1.
 *
 * The schedule is staged (stage.h flags in the shared memory) so that
 * every run behaves the same: after reading the counter, each process
 * says so; the child starts a visit only after the parent has read, and
 * the parent writes back only after the child has read too, or once the
 * child is asleep during its visit: a process that waits for a lock the
 * parent holds cannot read, and sleeps. The staging is not the bug.
 */
#define _DEFAULT_SOURCE		/* POSIX 2008 and MAP_ANONYMOUS */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "stage.h"

struct shared {
	sem_t lock;
	long visits;
	stage_t read[2];	/* staging: the last visit in which each process has read */
	stage_t started;	/* staging: the last visit the child has started */
};

struct party {
	int me;			/* 0: the parent, which reads first; 1: the child */
	int visit;		/* the visit being recorded, from 1 */
	pid_t child;		/* the parent's child */
};

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "visits: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Staging: is process pid asleep in the kernel (state S in /proc/PID/stat)? */
static int asleep(pid_t pid)
{
	char path[64], buf[512], *state;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0 || close(fd))
		die(path);
	buf[n] = '\0';
	state = strrchr(buf, ')');	/* the name before it may hold anything */
	return state && state[1] == ' ' && state[2] == 'S';
}

/* Staging: say this process has read; the parent then waits for the child. */
static void said_read(struct shared *sh, const struct party *p)
{
	stage_reach(&sh->read[p->me], p->visit);
	if (p->me == 0)
		while (__atomic_load_n(&sh->read[1].step, __ATOMIC_RELAXED) < p->visit &&
		       !(__atomic_load_n(&sh->started.step, __ATOMIC_RELAXED) > 0 && asleep(p->child)))
			sched_yield();
}

static void record_visit(struct shared *sh, const struct party *p)
{
	long seen;

	/* The whole read-modify-write under the lock both processes share. */
	if (sem_wait(&sh->lock))
		die("sem_wait");
	seen = sh->visits;
	said_read(sh, p);
	sh->visits = seen + 1;
	if (sem_post(&sh->lock))
		die("sem_post");
}

int main(int argc, char **argv)
{
	struct party parent = { .me = 0 }, child = { .me = 1 };
	struct shared *sh;
	int status;
	int each = argc > 1 ? atoi(argv[1]) : 1;	/* visits per process */

	if (argc > 2 || each < 1 || each > 10) {
		fprintf(stderr, "usage: visits [N, 1 to 10]\n");
		return 2;
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	if (sem_init(&sh->lock, 1, 1))	/* 1: shared between processes */
		die("sem_init");
	parent.child = fork();
	if (parent.child < 0)
		die("fork");
	if (parent.child == 0) {
		for (child.visit = 1; child.visit <= each; child.visit++) {
			stage_wait(&sh->read[0], child.visit);	/* the parent has read */
			stage_reach(&sh->started, child.visit);
			record_visit(sh, &child);
		}
		_exit(0);
	}

	for (parent.visit = 1; parent.visit <= each; parent.visit++)
		record_visit(sh, &parent);
	if (waitpid(parent.child, &status, 0) != parent.child)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "visits: the child failed\n");
		return 1;
	}
	printf("visits = %ld\n", sh->visits);
	if (sem_destroy(&sh->lock) || munmap(sh, sizeof(*sh)))
		die("cleaning up");
	return 0;
}
