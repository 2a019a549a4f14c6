#ifndef RACELAB_CGROUP_H
#define RACELAB_CGROUP_H
/*
 * A run's cgroups (version 1): a directory of its own in the pids, memory
 * and cpu hierarchies, racelab/NAME under the cgroup racelab itself is in
 * (so that an outer limit an instructor puts racelab in also holds its
 * runs), with pids.max and memory.limit_in_bytes set, and cpu.shares at
 * the default: the whole run, however many processes it makes, weighs on
 * a busy machine what one process does (racelab and the other runs keep
 * their share: a fork bomb cannot starve the watch that must stop it).
 * Real-time runs get no cpu cgroup: a new one has no real-time budget
 * (cpu.rt_runtime_us 0), and they run alone anyway.
 *
 * Ownership: racelab makes and removes the directories (cgroup_make,
 * cgroup_remove) and holds each one's tasks file open; a program joins by
 * writing to those descriptors between fork and exec (cgroup_join), so
 * that everything it ever starts is counted from its first instruction.
 * Remove only once every process of the run is gone: the kernel refuses
 * to remove a cgroup that still has one.
 */
#include "strvec.h"

enum cgroup_kind { CG_PIDS, CG_MEMORY, CG_CPU, CG_NR };

struct cgroup {
	char *dir[CG_NR];	/* the run's directory, or NULL when not made */
	int procs[CG_NR];	/* its tasks file open for writing, or -1 */
	unsigned pids_max;	/* what was set, for messages */
	unsigned long long memory_max;
};

#define CGROUP_INIT { { NULL, NULL, NULL }, { -1, -1, -1 }, 0, 0 }

/*
 * Make the run's cgroups in every hierarchy that is mounted and writable.
 * Returns how many were made (0..CG_NR); a hierarchy that cannot be used
 * is named in *why (allocated, NULL when all were made).
 */
int cgroup_make(struct cgroup *cg, const char *name, unsigned pids_max,
		unsigned long long memory_max, int realtime, char **why);
/* In the child, between fork and exec: join every cgroup made. 0 or -1 (errno). */
int cgroup_join(const struct cgroup *cg);
/*
 * The limits the run reached, one line each onto out: processes refused
 * by pids.max, processes the kernel killed at memory.limit_in_bytes.
 * Returns how many lines.
 */
int cgroup_limits_hit(const struct cgroup *cg, struct strvec *out);
/* 1 once pids.max refused a fork: the run is a fork bomb, or as good as one. */
int cgroup_pids_full(const struct cgroup *cg);
/* Remove the directories (every process must be gone) and close the descriptors. */
void cgroup_remove(struct cgroup *cg);

/*
 * Remove the racelab/NAME cgroups left by a racelab that died (named after its
 * pid, which no longer runs). Quiet: a cgroup still in use stays.
 */
void cgroup_sweep(void);

#endif
