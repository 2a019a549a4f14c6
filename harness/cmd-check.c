/*
 * racelab check: is each bug gone from the student's exercises/?
 * racelab verify: do the buggy versions show what lab.ini expects, and are
 * the solutions clean and correct?
 */
#include "cmds.h"
#include "exercise.h"
#include "options.h"
#include "report.h"
#include "scheduler.h"
#include "strbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char check_usage[] =
"usage: racelab check [options] [EX...]\n"
"\n"
"Build and run your version of each exercise (exercises/NN-name) under the\n"
"checkers and say whether its bug is gone: every checker clean and the\n"
"program still correct (lab.ini [oracle]). EX is a number (3), a name\n"
"(deadlock-abba) or a directory; default: every exercise. Without --tool,\n"
"each exercise runs under every checker its lab.ini names: the same ones\n"
"racelab verify and grading use, so a fix that passes here passes there.\n"
"\n";

static const char verify_usage[] =
"usage: racelab verify [options] [EX...]\n"
"\n"
"For each exercise, check that the buggy program (exercises/NN-name) shows\n"
"what lab.ini [buggy] expects from every checker, and that the solution\n"
"(solutions/NN-name) is clean and correct. With --repeat N every run is\n"
"made N times and must pass every time.\n"
"\n";

static const struct expectation expect_clean = { EXPECT_CLEAN, NULL, 0, 0, NULL };

static void preset(struct task *t, const struct exercise *e, enum variant variant,
		   const struct tool *tool, enum status st, const char *reason)
{
	t->result.exercise = xstrdup(e->name);
	t->result.title = e->lab_ok && e->lab.title ? xstrdup(e->lab.title) : NULL;
	t->result.variant = variant;
	t->result.tool = tool;
	t->result.status = st;
	t->result.reason = xstrdup(reason);
	t->spec.exercise = e->name;
}

static const struct expectation *expectation_for(const struct exercise *e, enum variant variant,
						 size_t i)
{
	const struct lab *lab = &e->lab;

	if (variant == VARIANT_BUGGY)
		return &lab->buggy[i];
	if (lab->fixed[i].type != EXPECT_UNSET)
		return &lab->fixed[i];
	/* A checker that cannot run the program at all cannot run its fix either. */
	if (lab->buggy[i].type == EXPECT_SKIP)
		return &lab->buggy[i];
	return &expect_clean;
}

static int sources_present(const char *dir, const struct strvec *sources, char **missing)
{
	for (size_t i = 0; i < sources->n; i++) {
		char *p = xstrfmt("%s/%s", dir, sources->v[i]);
		int ok = !access(p, R_OK);

		if (!ok) {
			*missing = p;
			return 0;
		}
		free(p);
	}
	return 1;
}

/*
 * The builds and programs of one run: the one program, or each [program
 * NAME]; a case (NULL: the exercise's own run) gives their inputs and oracles.
 */
static void plan_programs(struct plan *p, struct task *t, const struct lab *lab,
			  const struct lab_case *c, const char *label, const char *dir)
{
	const struct tool *tool = t->spec.tool;
	struct build *b;
	struct run_prog *rp;

	if (!lab->nprograms) {
		b = sched_build(p->sched, label, dir, &lab->sources, &lab->cflags, tool->flavor);
		rp = sched_task_program(t, b);
		rp->args = c ? &c->progs[0].args : &lab->args;
		rp->env = c ? &c->progs[0].env : NULL;
		rp->stdin_path = c ? c->progs[0].stdin_path : NULL;
		rp->oracle = c ? &c->progs[0].oracle : &lab->oracle;
		t->spec.srcdir = b->srcdir;
		return;
	}
	for (size_t i = 0; i < lab->nprograms; i++) {
		const struct program *pg = &lab->programs[i];
		char *plabel = xstrfmt("%s-%s", label, pg->name);

		/* A program that is not checked runs natively under every checker. */
		b = sched_build(p->sched, plabel, dir, &pg->sources, &lab->cflags,
				pg->checked ? tool->flavor : FLAVOR_NATIVE);
		free(plabel);
		rp = sched_task_program(t, b);
		rp->name = pg->name;
		rp->role = pg->role;
		rp->args = c ? &c->progs[i].args : &pg->args;
		rp->env = c ? &c->progs[i].env : &pg->env;
		rp->stdin_path = c ? c->progs[i].stdin_path : NULL;
		rp->checked = pg->checked;
		rp->oracle = c ? &c->progs[i].oracle : &pg->oracle;
		t->spec.srcdir = b->srcdir;
	}
}

static int all_sources_present(const char *dir, const struct lab *lab, char **missing)
{
	if (!sources_present(dir, &lab->sources, missing))
		return 0;
	for (size_t i = 0; i < lab->nprograms; i++)
		if (!sources_present(dir, &lab->programs[i].sources, missing))
			return 0;
	return 1;
}

/* A run of the program under tool, with case c's inputs (NULL: its own), judged by ex. */
static void plan_run(struct plan *p, struct task *t, const struct exercise *e, enum variant variant,
		     const char *dir, const char *label, const struct tool *tool,
		     const struct lab_case *c, const struct expectation *ex)
{
	const struct lab *lab = &e->lab;
	const struct common_opts *o = p->o;
	int realtime = strvec_has(&lab->requires, "sched-fifo");
	struct strbuf sb = STRBUF_INIT;

	t->exclusive = realtime;
	t->spec.exercise = e->name;
	t->spec.variant = variant;
	t->spec.tool = tool;
	plan_runs(t, o);
	plan_programs(p, t, lab, c, label, dir);
	t->spec.timeout_ms = 1000u * (o->timeout_s ? o->timeout_s : lab->timeout_s);
	t->spec.stall_ms = o->stall_ms ? o->stall_ms : lab->stall_ms;
	t->spec.oracle_on_every_tool = variant != VARIANT_BUGGY;
	t->spec.expect = ex;
	t->spec.realtime = realtime;
	t->result.exercise = xstrdup(e->name);
	t->result.title = lab->title ? xstrdup(lab->title) : NULL;
	t->result.variant = variant;
	t->result.tool = tool;
	t->result.kase = c ? xstrdup(c->name) : NULL;
	t->result.case_hidden = c && c->hidden;
	t->result.srcdir = xstrdup(dir);
	expect_format(ex, &sb);
	t->result.expected = strbuf_detach(&sb, NULL);
}

/* Some program of the run (the lab's, or case c's) must keep workers running at the same time. */
static int wants_concurrency(const struct lab *lab, const struct lab_case *c)
{
	int want = (c ? c->progs[0].oracle : lab->oracle).concurrent > 0;

	for (size_t i = 0; i < lab->nprograms; i++)
		want |= (c ? c->progs[i].oracle : lab->programs[i].oracle).concurrent > 0;
	return want;
}

/*
 * Concurrency is measured in the native run only, and judged under every
 * checker of a fix: each other run of the variant gets the native one as
 * its probe, a hidden native run when none was asked for.
 */
static void plan_probes(struct plan *p, struct exercise *e, enum variant variant, const char *dir,
			const char *label, const struct lab_case *c, struct task **planned, size_t n)
{
	struct task *native = NULL;

	if (variant == VARIANT_BUGGY || !n || !wants_concurrency(&e->lab, c))
		return;
	for (size_t i = 0; i < n; i++)
		if (planned[i]->spec.tool->id == TOOL_NATIVE)
			native = planned[i];
	if (!native) {
		native = sched_task(p->sched);
		native->hidden = 1;
		plan_run(p, native, e, variant, dir, label, &tools[TOOL_NATIVE], c,
			 expectation_for(e, variant, TOOL_NATIVE));
	}
	for (size_t i = 0; i < n; i++)
		if (planned[i] != native)
			planned[i]->probe = native;
}

/*
 * Why tool i cannot run the program of dir, as the result that says so
 * (*st, returned reason, owned by the caller), or NULL when it can.
 */
static char *cannot_run(const struct exercise *e, enum variant variant, const char *dir,
			const char *missing, size_t i, enum status *st)
{
	const struct expectation *ex = expectation_for(e, variant, i);
	char *why;

	*st = STATUS_ERROR;
	if (!dir)
		return xstrdup("no solution directory (solutions/NAME)");
	if (missing)
		return xstrfmt("%s is missing", missing);
	*st = STATUS_SKIP;
	if (ex->type == EXPECT_SKIP)
		return xstrfmt("lab.ini says skip%s%s", ex->reason ? ": " : "",
			       ex->reason ? ex->reason : "");
	if (ex->type == EXPECT_UNSET)
		return xstrfmt("lab.ini has no expectation for %s in [buggy]", tools[i].name);
	if (strvec_has(&e->lab.requires, "sched-fifo") && !realtime_allowed(&why))
		return xstrdup(why);
	return NULL;
}

/*
 * The runs of one case (NULL: the exercise's own run) under each checker
 * of mask. A checker that cannot run the program gets a result saying why
 * in the own run only: a case would say it again. Returns 0, or -1 when
 * the program cannot run at all (no point in trying its cases).
 */
static int plan_case(struct plan *p, struct exercise *e, enum variant variant, const char *dir,
		     const char *label, const struct lab_case *c, int mask)
{
	char *missing = NULL;
	int runnable = dir && all_sources_present(dir, &e->lab, &missing);
	struct task *planned[NTOOLS];
	size_t nplanned = 0;

	for (size_t i = 0; i < ntools; i++) {
		enum status st;
		struct task *t;
		char *why;

		if (!(mask & (1 << i)))
			continue;
		why = cannot_run(e, variant, dir, missing, i, &st);
		if (why) {
			if (!c)
				preset(sched_task(p->sched), e, variant, &tools[i], st, why);
			free(why);
			continue;
		}
		t = sched_task(p->sched);
		plan_run(p, t, e, variant, dir, label, &tools[i], c, expectation_for(e, variant, i));
		planned[nplanned++] = t;
	}
	plan_probes(p, e, variant, dir, label, c, planned, nplanned);
	free(missing);
	return runnable ? 0 : -1;
}

/*
 * Every run of a variant: its own under each checker, then each [case]
 * under the checkers the case names. The buggy program runs its own case
 * only: [buggy] describes that run, and a case is what a fix must meet.
 * With --case NAME only that case runs; when the program cannot run at
 * all, its own run is planned all the same, to say why.
 */
void plan_variant(struct plan *p, struct exercise *e, enum variant variant, const char *dir)
{
	const struct lab *lab = &e->lab;
	const char *only = p->o->only_case;
	int mask = p->lab_tools ? lab_tool_mask(lab) : p->mask;
	int own = !only || !strcmp(only, "default");
	char *label = xstrfmt("%s-%s", variant == VARIANT_FIXED ? "solutions" : "exercises", e->name);
	int runs = plan_case(p, e, variant, dir, label, NULL, own ? mask : 0) == 0;

	if (!runs && !own)
		plan_case(p, e, variant, dir, label, NULL, mask);
	for (size_t k = 0; runs && variant != VARIANT_BUGGY && k < lab->ncases; k++)
		if (!only || !strcmp(only, lab->cases[k].name))
			plan_case(p, e, variant, dir, label, &lab->cases[k],
				  mask & lab->cases[k].tool_mask);
	free(label);
}

/* --case NAME: every exercise selected has that case (or NAME is "default"). */
static int check_only_case(const struct common_opts *o, struct exercise **sel, size_t nsel)
{
	int ret = 0;

	if (!o->only_case || !strcmp(o->only_case, "default"))
		return 0;
	for (size_t i = 0; i < nsel; i++) {
		const struct lab *lab = &sel[i]->lab;
		size_t k = 0;

		while (sel[i]->lab_ok && k < lab->ncases && strcmp(lab->cases[k].name, o->only_case))
			k++;
		if (sel[i]->lab_ok && k == lab->ncases)
			ret = error("--case: %s has no [case %s] (name one exercise, or see its lab.ini)",
				    sel[i]->name, o->only_case);
	}
	return ret;
}

static void plan_lab_error(struct plan *p, struct exercise *e)
{
	struct task *t = sched_task(p->sched);

	/* One result for the exercise: its lab.ini is what must be fixed. */
	preset(t, e, VARIANT_BUGGY, NULL, STATUS_ERROR, e->lab_error);
}

/*
 * Remember how the last check of each exercise ended under each checker
 * (build/status/EXERCISE/CHECKER): racelab list derives one status from
 * every checker lab.ini names, whichever command ran each one last.
 */
static int fails_elsewhere(const struct sched *s, const struct result *r)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct result *o = &s->tasks[i]->result;

		if (o != r && o->tool == r->tool && o->exercise && !strcmp(o->exercise, r->exercise) &&
		    !s->tasks[i]->hidden && o->status != STATUS_PASS && o->status != STATUS_SKIP)
			return 1;
	}
	return 0;
}

static void record_status(const char *root, const struct sched *s)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct result *r = &s->tasks[i]->result;
		char *dir, *path;
		struct stat st;

		if (!r->exercise || !r->tool || r->status == STATUS_SKIP || s->tasks[i]->hidden)
			continue;
		/* A checker passes an exercise when it passes every case of it. */
		if (r->status == STATUS_PASS && fails_elsewhere(s, r))
			continue;
		dir = xstrfmt("%s/build/status/%s", root, r->exercise);
		/* An older racelab kept one file per exercise here. */
		if (!stat(dir, &st) && !S_ISDIR(st.st_mode))
			unlink(dir);
		path = xstrfmt("%s/%s", dir, r->tool->name);
		if (mkdir_p(dir, 0755) < 0 ||
		    write_file(path, r->status == STATUS_PASS ? "pass\n" : "fail\n", 5) < 0)
			warning("cannot write %s", path);
		free(path);
		free(dir);
	}
}

static int run_lab(int argc, char **argv, int verify)
{
	struct common_opts o;
	struct exercise_set set;
	struct exercise **sel = NULL;
	size_t nsel = 0;
	struct sched sched;
	struct summary sum = SUMMARY_INIT;
	struct plan plan;
	const struct reporter *rep;
	struct report_opts ro;
	void *rctx;
	char *root, *bindir, *docs;
	int ret;

	if (parse_common(argc, argv, &o) < 0) {
		common_opts_clear(&o);
		return RACELAB_EXIT_USAGE;
	}
	if (o.help) {
		fputs(verify ? verify_usage : check_usage, stdout);
		options_usage(stdout);
		common_opts_clear(&o);
		return 0;
	}
	root = lab_root_find();
	if (!root) {
		error("no exercises/ directory here or above: run racelab from the lab "
		      "(or set RACELAB_ROOT)");
		common_opts_clear(&o);
		return RACELAB_EXIT_USAGE;
	}
	if (exercise_set_load(&set, root) < 0 || exercise_select(&set, &o.positional, &sel, &nsel) < 0 ||
	    check_only_case(&o, sel, nsel) < 0) {
		exercise_set_clear(&set);
		free(sel);
		free(root);
		common_opts_clear(&o);
		return RACELAB_EXIT_USAGE;
	}
	bindir = bin_cache_dir(root);
	runner_setup_user();
	if (sched_init(&sched, o.jobs, bindir) < 0) {
		free(bindir);
		return RACELAB_EXIT_BROKEN;
	}
	sched.keep = o.keep;
	plan.sched = &sched;
	plan.o = &o;
	plan.mask = selected_tools(&o, default_tool_mask());
	plan.lab_tools = !verify && !o.tool_mask;
	for (size_t i = 0; i < nsel; i++) {
		struct exercise *e = sel[i];

		if (!e->lab_ok) {
			plan_lab_error(&plan, e);
			continue;
		}
		if (verify) {
			plan_variant(&plan, e, VARIANT_BUGGY, e->dir);
			plan_variant(&plan, e, VARIANT_FIXED, e->soldir);
		} else {
			plan_variant(&plan, e, VARIANT_SUBMISSION, e->dir);
		}
	}

	docs = xstrfmt("%s/docs", root);
	memset(&ro, 0, sizeof(ro));
	ro.out = stdout;
	ro.color = o.color;
	ro.verbose = o.verbose;
	ro.command = verify ? "verify" : "check";
	ro.docs = docs;
	rep = o.json ? &report_json : &report_terminal;
	rctx = rep->begin(&ro);
	ret = sched_run(&sched, rep, rctx, &sum);
	rep->end(rctx, &sum);
	ret = ret < 0 ? RACELAB_EXIT_BROKEN : exit_code_for(&sum);
	summary_clear(&sum);
	if (!verify && !o.only_case)	/* one case says nothing of the exercise */
		record_status(root, &sched);

	sched_clear(&sched);
	exercise_set_clear(&set);
	free(sel);
	free(docs);
	free(bindir);
	free(root);
	common_opts_clear(&o);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	return run_lab(argc, argv, 0);
}

int cmd_verify(int argc, char **argv)
{
	return run_lab(argc, argv, 1);
}
