#include "cmds.h"
#include "options.h"
#include "report.h"
#include "run-command.h"
#include "runner.h"
#include "scheduler.h"
#include "strbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int exit_code_for(const struct summary *s)
{
	if (s->broken)
		return RACELAB_EXIT_BROKEN;
	if (s->input_error)
		return RACELAB_EXIT_USAGE;
	if (s->fail)
		return RACELAB_EXIT_FAIL;
	return RACELAB_EXIT_OK;
}

char *bin_cache_dir(const char *root)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (root)
		return xstrfmt("%s/build/bin", root);
	if (xdg && *xdg)
		return xstrfmt("%s/racelab/bin", xdg);
	if (home && *home)
		return xstrfmt("%s/.cache/racelab/bin", home);
	return xstrdup("/tmp/racelab-cache/bin");
}

/*
 * Noise tries o->seeds seeds in each repeat, except on a buggy program
 * (verify): its bug is staged to show under every seed, and a student's
 * check stops at the first seed that shows it. One seed a repeat (seeds
 * 1, 2, ... repeat) is what the student sees, at a fraction of the cost;
 * a fix, which no seed may fail, gets them all.
 */
void plan_runs(struct task *t, const struct common_opts *o)
{
	t->repeat = o->repeat;
	if (t->spec.tool->id != TOOL_NOISE)
		return;
	t->replay = o->seed != 0;
	t->first_seed = o->seed ? o->seed : 1;
	if (!t->replay && t->spec.variant != VARIANT_BUGGY)
		t->repeat *= o->seeds;
}

/* Probe once, the way the runs will be made (same user, same capability). */
int realtime_allowed(char **why)
{
	static int probed, allowed;
	static char *reason;

	if (!probed) {
		struct child_process cp = CHILD_PROCESS_INIT;
		int st;

		probed = 1;
		strvec_split(&cp.args, "chrt -f 1 true");
		env_base(&cp.env, NULL);
		cp.keep_sys_nice = 1;
		runner_user(&cp);
		st = run_command(&cp);
		allowed = st == 0;
		if (!allowed)
			reason = xstrdup("real-time scheduling (SCHED_FIFO) is refused on this machine "
					 "(`chrt -f 1 true` failed): the exercise needs it");
		child_process_clear(&cp);
	}
	*why = reason;
	return allowed;
}
