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
 * The schedule is staged with two pipes so that every run behaves the
 * same: after reading the counter, each process says so on its pipe; the
 * child reads only after the parent has, and the parent writes only after
 * the child has read or HOLD_MS have passed. The wait is bounded because
 * when the update is done under a lock, the child cannot read while the
 * parent holds it, and never says so. The staging is not the bug.
 */
#define _DEFAULT_SOURCE		/* POSIX 2008 and MAP_ANONYMOUS */
#include <errno.h>
#include <poll.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOLD_MS 300

struct shared {
	sem_t lock;
	long visits;
};

struct party {
	int tell, hear;		/* pipe ends to the other process and from it */
	int first;		/* the parent: it reads first */
};

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "visits: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Wait until the other process says it has read, at most timeout ms (-1: forever). */
static void hear(const struct party *p, int timeout)
{
	struct pollfd pfd = { .fd = p->hear, .events = POLLIN };
	char c;
	int n = poll(&pfd, 1, timeout);

	if (n < 0 || (n == 1 && read(p->hear, &c, 1) != 1))
		die("waiting for the other process");
}

static void record_visit(struct shared *sh, const struct party *p)
{
	long seen;

	seen = sh->visits;	/* <-- look here */
	if (write(p->tell, "r", 1) != 1)
		die("write");
	if (p->first)
		hear(p, HOLD_MS);
	sh->visits = seen + 1;
}

int main(int argc, char **argv)
{
	int down[2], up[2], status;	/* parent to child, child to parent */
	struct party parent = { .first = 1 }, child = { .first = 0 };
	struct shared *sh;
	pid_t pid;
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
	if (pipe(down) || pipe(up))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		child.tell = up[1];
		child.hear = down[0];
		if (close(down[1]) || close(up[0]))
			_exit(1);
		for (int i = 0; i < each; i++) {
			hear(&child, -1);	/* the parent has read */
			record_visit(sh, &child);
		}
		_exit(close(up[1]) || close(down[0]) ? 1 : 0);
	}

	parent.tell = down[1];
	parent.hear = up[0];
	if (close(down[0]) || close(up[1]))
		die("close");
	for (int i = 0; i < each; i++)
		record_visit(sh, &parent);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "visits: the child failed\n");
		return 1;
	}
	printf("visits = %ld\n", sh->visits);
	if (close(down[1]) || close(up[0]) || sem_destroy(&sh->lock) || munmap(sh, sizeof(*sh)))
		die("cleaning up");
	return 0;
}
