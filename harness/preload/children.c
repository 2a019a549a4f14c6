/*
 * Processes as workers: a child made by fork is alive, for the count of
 * workers alive together (conc.c's peak), from the fork (noise.c's
 * wrapper tells us, conc_forked()) until its parent reaps it with wait,
 * waitpid, wait3, wait4 or waitid. Only children our
 * fork made are counted down: a child of posix_spawn or system() was never
 * counted up. A child nobody reaps (SIGCHLD ignored, a zombie) stays
 * counted: the count errs toward more concurrency, never less.
 *
 * At most MAX_CHILDREN children are followed at once; more are counted up
 * and never down, the same error.
 */
#include "preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 256

static pid_t children[MAX_CHILDREN];	/* 0: a free slot */

typedef pid_t (*waitpid_fn)(pid_t, int *, int);
typedef pid_t (*wait4_fn)(pid_t, int *, int, struct rusage *);
typedef int (*waitid_fn)(idtype_t, id_t, siginfo_t *, int);

static void *real(void **slot, const char *name)
{
	void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!f) {
		f = dlsym(RTLD_NEXT, name);
		__atomic_store_n(slot, f, __ATOMIC_RELEASE);
	}
	return f;
}

static void child_made(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t free_slot = 0;
		if (__atomic_compare_exchange_n(&children[i], &free_slot, pid, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
	}
	conc_created();
}

/* A reaped child: counted down once, if our fork made it. */
static void child_reaped(pid_t pid)
{
	for (int i = 0; pid > 0 && i < MAX_CHILDREN; i++) {
		pid_t want = pid;
		if (__atomic_compare_exchange_n(&children[i], &want, 0, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			conc_gone();
			return;
		}
	}
}

void conc_forked(pid_t pid)
{
	if (!rlw_enabled || pid < 0)
		return;
	if (pid == 0) {
		for (int i = 0; i < MAX_CHILDREN; i++)
			children[i] = 0;
		conc_child();
	} else {
		child_made(pid);
	}
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	static void *slot;
	pid_t r = ((waitpid_fn)real(&slot, "waitpid"))(pid, status, options);
	int saved = errno;

	if (rlw_enabled)
		child_reaped(r);
	errno = saved;
	return r;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	static void *slot;
	pid_t r = ((wait4_fn)real(&slot, "wait4"))(pid, status, options, ru);
	int saved = errno;

	if (rlw_enabled)
		child_reaped(r);
	errno = saved;
	return r;
}

pid_t wait3(int *status, int options, struct rusage *ru)
{
	return wait4(-1, status, options, ru);
}

int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	static void *slot;
	int r = ((waitid_fn)real(&slot, "waitid"))(type, id, info, options);
	int saved = errno;

	/* WNOWAIT leaves the child waitable: not reaped yet. */
	if (rlw_enabled && r == 0 && info && !(options & WNOWAIT))
		child_reaped(info->si_pid);
	errno = saved;
	return r;
}
