#ifndef RACELAB_TESTS_CGROUP_NET_H
#define RACELAB_TESTS_CGROUP_NET_H
/*
 * A cgroup net around a racelab run by a test that starts hostile
 * programs: a pids, a memory and a cpu cgroup (version 1) of its own with
 * a cap (cpu: the weight of one process), joined by the racelab
 * child before exec, so that a failure of racelab's own sandbox cannot
 * take the machine down. The test owns the net:
 * net_make() before, net_remove() after (every process in it gone).
 */
#include <sys/types.h>

struct net {
	char *dir[3];		/* pids, memory, cpu */
	int procs[3];		/* their cgroup.procs, open for writing */
};

/* 0, or -1 when cgroups cannot be made here (the caller skips its test). */
int net_make(struct net *n, unsigned pids_max, unsigned long long memory_max);
/* In the child before exec: join both. 0 or -1. */
int net_join(const struct net *n);
/* Processes still in the net (pids.current). */
long net_procs(const struct net *n);
/* How many times the net's own pids.max refused a fork (pids.events). */
long net_refused(const struct net *n);
void net_remove(struct net *n);

#endif
