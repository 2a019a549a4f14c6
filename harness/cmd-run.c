/*
 * racelab run: any program, every checker, one normalized report.
 */
#include "cmds.h"
#include "exercise.h"
#include "lab.h"
#include "options.h"
#include "report.h"
#include "scheduler.h"
#include "strbuf.h"
#include "util.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char run_usage[] =
"usage: racelab run [options] FILE.c... [-- ARGS...]\n"
"\n"
"Build FILE.c (all files in one directory, compiled together) for every\n"
"checker, run it with ARGS, and report what each checker found, in one\n"
"vocabulary of bug kinds. Exit 0 when no checker found anything, 1 when\n"
"some did.\n"
"\n";

int cmd_run(int argc, char **argv)
{
	struct common_opts o;
	struct sched sched;
	struct summary sum = SUMMARY_INIT;
	struct strvec sources = STRVEC_INIT;
	struct report_opts ro;
	const struct reporter *rep;
	char *srcdir = NULL, *root, *bindir, *label, *name;
	void *rctx;
	int mask, ret = 0;
	uint64_t h = FNV1A_INIT;

	if (parse_common(argc, argv, &o) < 0)
		return RACELAB_EXIT_USAGE;
	if (o.help || !o.positional.n) {
		fputs(run_usage, o.help ? stdout : stderr);
		options_usage(o.help ? stdout : stderr);
		common_opts_clear(&o);
		return o.help ? 0 : RACELAB_EXIT_USAGE;
	}
	for (size_t i = 0; i < o.positional.n; i++) {
		char *real = realpath(o.positional.v[i], NULL), *dir, *copy;

		if (!real) {
			ret = error_errno("%s", o.positional.v[i]);
			continue;
		}
		copy = xstrdup(real);
		dir = dirname(copy);
		if (!srcdir)
			srcdir = xstrdup(dir);
		else if (strcmp(srcdir, dir))
			ret = error("%s: every file must be in %s (they are compiled together there)",
				    o.positional.v[i], srcdir);
		strvec_push(&sources, strrchr(real, '/') + 1);
		free(copy);
		free(real);
	}
	if (ret < 0) {
		free(srcdir);
		strvec_clear(&sources);
		common_opts_clear(&o);
		return RACELAB_EXIT_USAGE;
	}

	root = lab_root_find();
	bindir = bin_cache_dir(root);
	runner_setup_user();
	if (sched_init(&sched, o.jobs, bindir) < 0)
		return RACELAB_EXIT_BROKEN;
	sched.keep = o.keep;
	h = fnv1a(h, srcdir, strlen(srcdir));
	label = xstrfmt("run-%016llx", (unsigned long long)h);
	name = xstrdup(sources.v[0]);
	mask = selected_tools(&o, default_tool_mask());
	for (size_t i = 0; i < ntools; i++) {
		struct task *t;
		struct build *b;

		if (!(mask & (1 << i)))
			continue;
		t = sched_task(&sched);
		b = sched_build(&sched, label, srcdir, &sources, NULL, tools[i].flavor);
		sched_task_program(t, b)->args = &o.program_args;
		t->spec.exercise = name;
		t->spec.variant = VARIANT_FILE;
		t->spec.tool = &tools[i];
		plan_runs(t, &o);
		t->spec.srcdir = b->srcdir;
		t->spec.timeout_ms = 1000u * (o.timeout_s ? o.timeout_s : 10);
		t->spec.stall_ms = o.stall_ms ? o.stall_ms : DEFAULT_STALL_MS;
		t->result.exercise = xstrdup(name);
		t->result.variant = VARIANT_FILE;
		t->result.tool = &tools[i];
		t->result.srcdir = xstrdup(srcdir);
	}

	memset(&ro, 0, sizeof(ro));
	ro.out = stdout;
	ro.color = o.color;
	ro.verbose = o.verbose;
	ro.command = "run";
	{
		char *docs = root ? xstrfmt("%s/docs", root) : NULL;
		ro.docs = docs;
		rep = o.json ? &report_json : &report_terminal;
		rctx = rep->begin(&ro);
		ret = sched_run(&sched, rep, rctx, &sum);
		rep->end(rctx, &sum);
		free(docs);
	}
	ret = ret < 0 ? RACELAB_EXIT_BROKEN : exit_code_for(&sum);
	summary_clear(&sum);

	sched_clear(&sched);
	strvec_clear(&sources);
	free(name);
	free(label);
	free(bindir);
	free(root);
	free(srcdir);
	common_opts_clear(&o);
	return ret;
}
