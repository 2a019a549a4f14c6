/*
 * Hostile programs run through racelab inside a cgroup net (net-run.h).
 */
#include "net-run.h"
#include "cgroup-net.h"
#include "racelab-json.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Room for racelab and a run at its default limits (512 processes, 2 GiB),
 * and no more: a sandbox that does not hold is stopped here.
 */
#define NET_PIDS 1500
#define NET_MEMORY (6ULL << 30)

void net_run(struct net_run *nr, const char *const *argv)
{
	net_run_in(nr, NULL, argv);
}

void net_run_in(struct net_run *nr, const char *dir, const char *const *argv)
{
	struct net n;

	if (geteuid() != 0 || net_make(&n, NET_PIDS, NET_MEMORY) < 0)
		cr_skip_test("no cgroup net can be made here: hostile programs are not run");
	nr->out = racelab_net(dir, argv, &n);
	nr->left = net_procs(&n);
	nr->refused = net_refused(&n);
	net_remove(&n);
	nr->doc = parse_json(&nr->out);
}

void net_run_program(struct net_run *nr, const char *file, unsigned timeout_s,
		     const char *const *tools)
{
	const char *argv[32] = { "racelab", "run", "--json", "--timeout" };
	char timeout[16];
	size_t n = 4;

	snprintf(timeout, sizeof(timeout), "%u", timeout_s);
	argv[n++] = timeout;
	for (size_t i = 0; tools[i] && n < 28; i++) {
		argv[n++] = "--tool";
		argv[n++] = tools[i];
	}
	argv[n++] = file;
	argv[n] = NULL;
	net_run(nr, argv);
}

json_t *net_result(const struct net_run *nr, const char *tool)
{
	return result_for(nr->doc, "file", tool);
}

void net_run_clear(struct net_run *nr)
{
	json_decref(nr->doc);
	free(nr->out.stdout_text);
	free(nr->out.stderr_text);
}
