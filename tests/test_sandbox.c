/*
 * The sandbox of a run (harness/sandbox.h), tested with hostile programs
 * through `racelab run`. Each runs inside the tests' own cgroup net
 * (net-run.h) as well, so that a sandbox that does not hold cannot
 * take the machine down; without cgroups here the test is skipped, never
 * run bare.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net-run.h"
#include "racelab-json.h"

/*
 * The runs' own process limit is lowered (RACELAB_PIDS_MAX) so that a
 * fork bomb reaches it at once even on a loaded machine.
 */
#define RUN_PIDS "64"

TestSuite(sandbox, .timeout = 120);

/*
 * A fork bomb: the run's pids.max holds it (a resource-limit, named), the
 * run is stopped within a second of its timeout, and when racelab returns
 * not one process of it is left. The net's own limit is never reached.
 */
Test(sandbox, a_fork_bomb_ends_whole_at_the_timeout)
{
	const char *argv[] = { "racelab", "run", "--json", "--timeout", "3", "--tool", "native",
			       "run/fork-bomb.c", NULL };
	struct net_run nr;
	struct out r;
	json_t *res, *exit;

	setenv("RACELAB_PIDS_MAX", RUN_PIDS, 1);
	net_run(&nr, argv);
	unsetenv("RACELAB_PIDS_MAX");
	r = nr.out;
	cr_expect_eq(nr.left, 0, "processes of the run outlived racelab");
	cr_expect_eq(nr.refused, 0, "the run's own pids.max did not hold");
	res = net_result(&nr, "native");
	exit = json_object_get(res, "exit");
	cr_expect_str_eq(status_of(res), "fail", "%s", r.stdout_text);
	/* a timeout, or a livelock named before it: processes spinning on a refused fork() */
	cr_expect(json_is_string(json_object_get(exit, "hang")), "%s", r.stdout_text);
	cr_expect(has_diag(res, "resource-limit", NULL, 0), "%s", r.stdout_text);
	cr_expect_leq(json_integer_value(json_object_get(exit, "hang_after_ms")), 3000 + 1000,
		      "%s", r.stdout_text);
	net_run_clear(&nr);
}

/* A run has a network of its own: the loopback interface only, nothing beyond it. */
Test(sandbox, a_run_sees_only_loopback)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/net-probe.c", NULL };
	struct net_run nr;
	json_t *res;

	net_run(&nr, argv);
	res = net_result(&nr, "native");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(res, "exit"), "code")), 0,
		     "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/*
 * A run yields the CPU to racelab's watch: 10 nice levels below racelab
 * (racelab raised, as root; the run lowered, otherwise), under every
 * checker, and it cannot take them back.
 */
Test(sandbox, a_run_yields_the_cpu_to_the_watch)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "--tool", "memcheck",
			       "run/nice-probe.c", NULL };
	const char *tools[] = { "native", "memcheck" };
	struct net_run nr;

	net_run(&nr, argv);
	for (size_t i = 0; i < 2; i++)
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(net_result(&nr, tools[i]),
										"exit"), "code")), 0,
			     "%s: %s", tools[i], nr.out.stdout_text);
	net_run_clear(&nr);
}

/* A daemon (double fork, setsid) is named an orphan and does not outlive racelab. */
Test(sandbox, a_daemon_dies_with_its_run)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/daemon.c", NULL };
	struct net_run nr;

	net_run(&nr, argv);
	cr_expect_eq(nr.left, 0, "the daemon outlived racelab");
	cr_expect(has_diag(net_result(&nr, "native"), "orphan", NULL, 0), "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/* A memory hog is stopped by the kernel at the run's memory limit: a resource-limit, no crash. */
Test(sandbox, a_memory_hog_is_a_resource_limit)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/memory-hog.c", NULL };
	struct net_run nr;
	json_t *res;

	setenv("RACELAB_MEMORY_MAX", "128", 1);
	net_run(&nr, argv);
	unsetenv("RACELAB_MEMORY_MAX");
	res = net_result(&nr, "native");
	cr_expect(has_diag(res, "resource-limit", NULL, 0), "%s", nr.out.stdout_text);
	cr_expect(!has_diag(res, "crash", NULL, 0), "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}

/*
 * A racy program that deletes every report about it and leaves with
 * exit_group(0): the race is still found (racelab held the reports from
 * their first write), the deletion is a tamper, and the verdict is fail.
 */
Test(sandbox, deleting_the_reports_is_a_tamper_and_the_race_is_still_found)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "tsan", "--tool", "helgrind",
			       "run/log-delete.c", NULL };
	const char *tools[] = { "tsan", "helgrind" };
	struct net_run nr;
	struct out r;

	net_run(&nr, argv);
	r = nr.out;
	for (int i = 0; i < 2; i++) {
		json_t *res = net_result(&nr, tools[i]);

		cr_expect_str_eq(status_of(res), "fail", "%s: %s", tools[i], r.stdout_text);
		cr_expect(has_diag(res, "tamper", NULL, 0), "%s: %s", tools[i], r.stdout_text);
		cr_expect(has_diag(res, "data-race", "log-delete.c", 21), "%s: %s", tools[i],
			  r.stdout_text);
	}
	net_run_clear(&nr);
}

/* A report planted for a process the run never had is a tamper, and is not read. */
Test(sandbox, a_planted_report_is_a_tamper_and_is_not_read)
{
	const char *argv[] = { "racelab", "run", "--json", "--tool", "tsan", "run/log-plant.c", NULL };
	struct net_run nr;
	struct out r;
	json_t *res;

	net_run(&nr, argv);
	r = nr.out;
	res = net_result(&nr, "tsan");
	cr_expect_str_eq(status_of(res), "fail", "%s", r.stdout_text);
	cr_expect(has_diag(res, "tamper", NULL, 0), "%s", r.stdout_text);
	cr_expect(!has_diag(res, "data-race", NULL, 0), "%s", r.stdout_text);
	cr_expect(!strstr(r.stdout_text, "/tmp/forged.c"), "%s", r.stdout_text);
	net_run_clear(&nr);
}

/*
 * A run sees a root of its own: the lab's files (its README, a solution)
 * are not there by absolute path, the system is read-only, and only its
 * working directory, /tmp and /dev/shm can be written.
 */
Test(sandbox, the_lab_is_out_of_reach_and_only_the_run_folder_is_writable)
{
	char readme[4096], solutions[4096];
	const char *argv[] = { "racelab", "run", "--json", "--tool", "native", "run/fs-probe.c", "--",
			       readme, solutions, NULL };
	struct net_run nr;
	json_t *res;

	cr_assert_not_null(realpath("../README.md", readme));
	cr_assert_not_null(realpath("../solutions", solutions));
	net_run(&nr, argv);
	res = net_result(&nr, "native");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(res, "exit"), "code")), 0,
		     "%s", nr.out.stdout_text);
	net_run_clear(&nr);
}
