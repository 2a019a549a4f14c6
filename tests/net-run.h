#ifndef RACELAB_TESTS_NET_RUN_H
#define RACELAB_TESTS_NET_RUN_H
/*
 * racelab run by a test on a hostile program, inside a cgroup net of the
 * test's own (cgroup-net.h): the net is made before racelab starts and
 * removed when it has returned, and what was left in it is counted.
 * Where no net can be made (not root, no cgroup v1) the test is skipped,
 * never run bare. The test owns the net_run: net_run_clear() after.
 */
#include <jansson.h>

#include "racelab-child.h"

struct net_run {
	struct out out;		/* racelab's exit code and streams */
	json_t *doc;		/* its --json document */
	long left;		/* processes still in the net when racelab returned */
	long refused;		/* forks the net's own pids.max refused */
};

/* racelab with argv (it must ask for --json), in a net. */
void net_run(struct net_run *nr, const char *const *argv);
/* The same, racelab in dir (a lab of the test's). */
void net_run_in(struct net_run *nr, const char *dir, const char *const *argv);
/* racelab run --json --timeout timeout_s --tool T... file, tools NULL-terminated. */
void net_run_program(struct net_run *nr, const char *file, unsigned timeout_s,
		     const char *const *tools);
/* The result of the one program under tool; the test fails without one. */
json_t *net_result(const struct net_run *nr, const char *tool);
void net_run_clear(struct net_run *nr);

#endif
