/*
 * racelab grade: score students' submissions against the instructor's lab.
 *
 * For each submission and each exercise, a private copy of the
 * instructor's exercise directory gets the student's files named in
 * lab.ini `sources` (submission.h) and nothing else; it is then planned
 * and run exactly as `racelab check` does (plan_variant), every run going
 * through the same scheduler and runner, and scored (grade.h).
 */
#include "cmds.h"
#include "exercise.h"
#include "grade-format.h"
#include "grade.h"
#include "grade-store.h"
#include "options.h"
#include "report.h"
#include "scheduler.h"
#include "submission.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char grade_usage[] =
"usage: racelab grade [options] SUBMISSION...\n"
"\n"
"Grade each SUBMISSION (a directory, a .tar.gz or a .zip, laid out like\n"
"exercises/ or flat) against the lab here: only the files lab.ini lists\n"
"under `sources` are taken from it; everything else is the lab's. Every\n"
"exercise runs under every checker its lab.ini names, --repeat times\n"
"(default 3). See docs/grading.md.\n"
"\n"
"Grade options:\n"
"  --format F     text (default), racelab, gradescope, prairielearn, autolab,\n"
"                 junit, tap, csv; repeatable (gradescope, prairielearn and\n"
"                 autolab describe one submission)\n"
"  --out DIR      write each format to its own file in DIR (racelab.json...)\n"
"  --exercise EX  grade only exercise EX (repeatable; default: every one)\n"
"  --class DIR    grade every submission in DIR (a directory or archive per\n"
"                 student, named by it); repeatable\n"
"  --shard I/N    grade only the I-th of N shares of the submissions (1 <= I <= N)\n"
"  --merge        the arguments are racelab.json files (of shards): write\n"
"                 them as one gradebook\n"
"-j N runs N programs at once across every submission graded. With --out\n"
"DIR a class is resumable: a submission whose files, lab and options are\n"
"unchanged keeps its grade in DIR/students/.\n"
"\n";

/* The options only grade has, taken out of argv before parse_common(). */
struct grade_opts {
	struct strvec formats;
	struct strvec exercises;	/* --exercise; none: all */
	struct strvec classes;		/* --class DIR */
	char *out;
	int repeat_given;
	int shard, nshards;	/* --shard I/N; 0/0: all */
	int merge;
};

static const struct {
	const char *name;
	int has_arg;
} grade_options[] = {
	{ "--format", 1 },
	{ "--out", 1 },
	{ "--exercise", 1 },
	{ "--class", 1 },
	{ "--shard", 1 },
	{ "--merge", 0 },
};

static int take_grade_options(int argc, char **argv, struct grade_opts *go, struct strvec *rest)
{
	memset(go, 0, sizeof(*go));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		size_t k, nopt = sizeof(grade_options) / sizeof(*grade_options);

		if (!strcmp(a, "--repeat") || !strncmp(a, "--repeat=", 9))
			go->repeat_given = 1;
		for (k = 0; k < nopt; k++) {
			size_t len = strlen(grade_options[k].name);

			if (!strncmp(a, grade_options[k].name, len) && (!a[len] || a[len] == '='))
				break;
		}
		if (k == nopt) {
			strvec_push(rest, a);
			continue;
		}
		if (!grade_options[k].has_arg) {
			go->merge = 1;	/* the one flag */
			continue;
		}
		val = strchr(a, '=') ? strchr(a, '=') + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val)
			return error("%s needs a value", grade_options[k].name);
		if (!strncmp(a, "--format", 8)) {
			if (!grade_format_find(val))
				return error("--format: unknown format '%s' (%s)", val, grade_format_names);
			strvec_push(&go->formats, val);
		} else if (!strncmp(a, "--exercise", 10)) {
			strvec_push(&go->exercises, val);
		} else if (!strncmp(a, "--class", 7)) {
			strvec_push(&go->classes, val);
		} else if (!strncmp(a, "--shard", 7)) {
			char c;

			if (sscanf(val, "%d/%d%c", &go->shard, &go->nshards, &c) != 2 || go->nshards < 1 ||
			    go->shard < 1 || go->shard > go->nshards)
				return error("--shard: '%s' is not I/N with 1 <= I <= N", val);
		} else {
			free(go->out);
			go->out = xstrdup(val);
		}
	}
	if (go->formats.n > 1 && !go->out)
		return error("several --format need --out DIR: one file each");
	return 0;
}

/* One submission in the class's scheduler: its grade fills as its results come. */
struct graded {
	struct grade *g;
	char *stageroot;	/* its exercises, staged: cut from paths (the student knows NN-name/file.c) */
	char *stagerel;		/* stageroot as path_from_cwd() writes it */
	uint64_t input;		/* what the grade is made from (grade-store.h) */
	size_t pending;		/* its results not collected yet */
};

/*
 * Collects results into grades; the feedback is the terminal reporter's
 * words. The scheduler reports results in the order their tasks were
 * planned, and each submission's tasks were planned together: a result
 * belongs to the first submission still waiting for some.
 */
struct collect {
	struct graded *v;
	size_t n, next;		/* next: the first submission not finished */
	struct exercise **sel;
	size_t nsel;
	const char *out;	/* --out: each grade is kept as soon as it is finished */
	uint64_t since;		/* when the previous submission was finished */
	int failed;		/* a grade could not be kept */
	size_t total, graded;	/* submissions to grade, and those finished or kept */
	int tty;		/* stderr is a terminal: a progress line while runs go on */
	int progress_shown;
};

static void clear_progress(struct collect *c)
{
	if (c->progress_shown) {
		fputs("\r\033[K", stderr);
		c->progress_shown = 0;
	}
}

/*
 * A line on stderr for each submission graded: a class takes minutes to
 * hours, and a TA must see it move (the grades themselves go to stdout or
 * --out). Kept grades are counted too.
 */
static void say_graded(struct collect *c, const struct grade *g, const char *how)
{
	clear_progress(c);
	c->graded++;
	fprintf(stderr, "racelab grade: [%zu/%zu] %s: %g of %d points (%s)\n", c->graded, c->total,
		g->student ? g->student : "?", g->points, g->max_points, how);
}

/* Append text with every "prefix/" removed. */
static void add_without(struct strbuf *sb, const char *text, size_t len, const char *prefix)
{
	char *p = xstrfmt("%s/", prefix);
	size_t plen = strlen(p);
	const char *end = text + len, *hit;

	while ((hit = memmem(text, (size_t)(end - text), p, plen))) {
		strbuf_add(sb, text, (size_t)(hit - text));
		text = hit + plen;
	}
	strbuf_add(sb, text, (size_t)(end - text));
	free(p);
}

static const struct lab *lab_of(struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->nsel; i++)
		if (!strcmp(c->sel[i]->name, name))
			return c->sel[i]->lab_ok ? &c->sel[i]->lab : NULL;
	return NULL;
}

static void *collect_begin(const struct report_opts *o)
{
	return NULL;	/* the context is the class's, made by grade_class() */
}

/* The submission is graded (ran: some of its programs were run): score it, and keep it with --out. */
static void finish(struct collect *c, struct graded *gd, int ran)
{
	uint64_t now = now_ms();
	char *how;

	grade_score(gd->g);
	gd->g->duration_ms = now - c->since;
	c->since = now;
	if (c->out && grade_store_save(c->out, gd->g, gd->input) < 0)
		c->failed = 1;
	how = ran ? xstrfmt("graded in %.1f s", (double)gd->g->duration_ms / 1000) :
		    xstrdup("graded: nothing of it to run");
	say_graded(c, gd->g, how);
	free(how);
}

/* One result into the submission's grade: the verdict, and what is wrong as check says it. */
static void collect_one(struct collect *c, struct graded *gd, const struct result *r)
{
	struct grade_exercise *ge = grade_find(gd->g, r->exercise);
	struct strbuf once = STRBUF_INIT;
	struct report_opts ro;
	struct summary sum;
	char *buf = NULL;
	size_t len = 0, keep;
	FILE *mem;
	void *t;

	if (!ge)
		return;
	grade_record(ge, lab_of(c, r->exercise), r);
	if (r->status == STATUS_PASS)
		return;
	if (r->case_hidden) {
		/* Its inputs and expected output are the instructor's: name and verdict only. */
		strbuf_addf(&ge->feedback, "    %-9s %-5s  [case %s, hidden: its input and output are "
			    "not shown]\n", r->tool ? r->tool->name : "", status_name(r->status), r->kase);
		return;
	}
	if (!(mem = open_memstream(&buf, &len)))
		return;
	memset(&ro, 0, sizeof(ro));
	ro.out = mem;
	ro.command = "check";
	t = report_terminal.begin(&ro);
	report_terminal.result(t, r);
	fflush(mem);
	keep = len;
	/* end() frees the reporter; the totals it prints are cut off. */
	memset(&sum, 0, sizeof(sum));
	report_terminal.end(t, &sum);
	fclose(mem);
	add_without(&once, buf, keep, gd->stageroot);
	add_without(&ge->feedback, once.buf, once.len, gd->stagerel);
	strbuf_release(&once);
	free(buf);
}

static void collect_result(void *ctx, const struct result *r)
{
	struct collect *c = ctx;
	struct graded *gd;

	while (c->next < c->n && !c->v[c->next].pending)
		c->next++;
	if (c->next == c->n)
		return;
	gd = &c->v[c->next];
	collect_one(c, gd, r);
	if (!--gd->pending)
		finish(c, gd, 1);
}

static void collect_progress(void *ctx, int done, int total, const char *what)
{
	struct collect *c = ctx;
	const struct grade *g = c->next < c->n ? c->v[c->next].g : NULL;

	if (!c->tty)
		return;
	fprintf(stderr, "\r\033[K[%d/%d runs] grading %s: %s ...", done, total,
		g && g->student ? g->student : "", what ? what : "");
	c->progress_shown = 1;
}

static void collect_end(void *ctx, const struct summary *s)
{
	clear_progress(ctx);
}

static const struct reporter report_collect = {
	"grade", collect_begin, collect_result, collect_progress, collect_end,
};

/* Copy the regular files of the instructor's exercise directory into dest. */
static int copy_exercise(const char *src, const char *dest)
{
	DIR *d = opendir(src);
	struct dirent *de;
	int ret = 0;

	if (!d || mkdir_p(dest, 0755) < 0) {
		if (d)
			closedir(d);
		return error("cannot copy %s to %s", src, dest);
	}
	while ((de = readdir(d))) {
		char *from = xstrfmt("%s/%s", src, de->d_name), *to, *data;
		struct stat st;
		size_t len;

		if (lstat(from, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(from);
			continue;
		}
		to = xstrfmt("%s/%s", dest, de->d_name);
		data = read_file(from, &len);
		if (!data || write_file(to, data, len) < 0)
			ret = error("cannot copy %s", from);
		free(data);
		free(from);
		free(to);
	}
	closedir(d);
	return ret;
}

static int same_contents(const char *a, const char *b)
{
	size_t la, lb;
	char *da = read_file(a, &la), *db = read_file(b, &lb);
	int same = da && db && la == lb && !memcmp(da, db, la);

	free(da);
	free(db);
	return same;
}

/* Take one file: note how, and whether it differs from the handout. */
static void take_file(const struct submission *sub, struct grade_exercise *ge, const char *exdir,
		      const char *stage, const char *file, int *submitted, int *changed)
{
	char *dest = xstrfmt("%s/%s", stage, file), *handout = xstrfmt("%s/%s", exdir, file), *why;

	for (size_t i = 0; i < ge->files.n; i++)
		if (!strncmp(ge->files.v[i], file, strlen(file)) && ge->files.v[i][strlen(file)] == ':')
			goto done;	/* two programs share it */
	switch (submission_take(sub, ge->name, file, dest, &why)) {
	case TAKEN_SUBMITTED:
		(*submitted)++;
		if (!same_contents(dest, handout)) {
			(*changed)++;
			strvec_push_nodup(&ge->files, xstrfmt("%s: submitted", file));
		} else {
			strvec_push_nodup(&ge->files, xstrfmt("%s: submitted, unchanged", file));
		}
		break;
	case TAKEN_MISSING:
		strvec_push_nodup(&ge->files, xstrfmt("%s: not submitted (the handout's is graded)", file));
		break;
	case TAKEN_REFUSED:
		strvec_push_nodup(&ge->files, xstrfmt("%s: refused, %s (the handout's is graded)",
						      file, why));
		free(why);
		break;
	}
done:
	free(dest);
	free(handout);
}

/* Stage every exercise of one submission and plan its runs. */
static void plan_submission(struct plan *plan, const struct submission *sub, struct grade *g,
			    struct exercise **sel, size_t nsel, const char *stageroot)
{
	for (size_t i = 0; i < nsel; i++) {
		struct exercise *e = sel[i];
		struct grade_exercise *ge = grade_add(g, e->name, e->lab_ok ? &e->lab : NULL);
		const struct lab *lab = &e->lab;
		struct strvec files = STRVEC_INIT;
		char *stage;
		int submitted = 0, changed = 0;

		if (!e->lab_ok) {
			ge->state = GRADE_LAB_ERROR;
			strbuf_addf(&ge->feedback, "%s\n", e->lab_error);
			continue;
		}
		stage = xstrfmt("%s/%s", stageroot, e->name);
		if (copy_exercise(e->dir, stage) < 0) {
			ge->state = GRADE_LAB_ERROR;
			free(stage);
			continue;
		}
		/* A program that is not checked (a given client) is the lab's. */
		lab_student_files(lab, &files);
		for (size_t k = 0; k < files.n; k++)
			take_file(sub, ge, e->dir, stage, files.v[k], &submitted, &changed);
		strvec_clear(&files);
		if (!submitted)
			ge->state = GRADE_NOT_SUBMITTED;
		else if (!changed)
			ge->state = GRADE_UNCHANGED;
		else
			plan_variant(plan, e, VARIANT_SUBMISSION, stage);
		free(stage);
	}
}

/*
 * Stage one submission and plan its runs in the class's scheduler; one
 * whose exercises need no run (unchanged, not submitted, unreadable) is
 * finished at once.
 */
static void plan_one(struct plan *plan, struct collect *c, const char *path, uint64_t input,
		     struct grade *g)
{
	struct graded *gd = &c->v[c->n++];
	struct submission sub;
	struct strbuf err = STRBUF_INIT;
	struct sched *sched = plan->sched;
	size_t first = sched->ntasks;

	memset(g, 0, sizeof(*g));
	gd->g = g;
	gd->input = input;
	gd->stageroot = xstrfmt("%s/graded/%zu", sched->workdir, c->n);
	gd->stagerel = path_from_cwd(NULL, gd->stageroot);
	if (submission_open(&sub, path, sched->workdir, &err) < 0) {
		/* Not readable: every exercise is a zero, said once. */
		g->student = xstrdup(path);
		for (size_t i = 0; i < c->nsel; i++) {
			struct exercise *e = c->sel[i];
			struct grade_exercise *ge = grade_add(g, e->name, e->lab_ok ? &e->lab : NULL);

			ge->state = GRADE_NOT_SUBMITTED;
			strbuf_addf(&ge->feedback, "the submission cannot be read: %s\n", err.buf);
		}
		strbuf_release(&err);
	} else {
		g->student = xstrdup(sub.name);
		plan_submission(plan, &sub, g, c->sel, c->nsel, gd->stageroot);
		for (size_t i = 0; i < sub.refused.n; i++)
			warning("%s: refused %s", sub.name, sub.refused.v[i]);
		submission_close(&sub);	/* its files are staged */
	}
	for (size_t k = first; k < sched->ntasks; k++)
		gd->pending += !sched->tasks[k]->hidden;
	if (!gd->pending)
		finish(c, gd, 0);
}

/* A class directory: each entry not starting with '.' is one student's submission. */
static int list_class(const char *dir, struct strvec *subs)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);

	if (n < 0)
		return error("cannot read the class %s", dir);
	for (int i = 0; i < n; i++) {
		if (v[i]->d_name[0] != '.')
			strvec_push_nodup(subs, xstrfmt("%s/%s", dir, v[i]->d_name));
		free(v[i]);
	}
	free(v);
	return 0;
}

/* What else decides a grade: the checkers and runs asked for. */
static char *options_key(const struct common_opts *o)
{
	return xstrfmt("tools=%d repeat=%d timeout=%u stall=%u", selected_tools(o, all_tool_mask()),
		       o->repeat, o->timeout_s, o->stall_ms);
}

/*
 * Grade every submission (or keep its grade); -1 when the runs could not
 * be made. Every submission's runs go to one scheduler, so -j keeps its
 * slots busy across submissions, not only within one.
 */
static int grade_class(const struct strvec *subs, const struct grade_opts *go,
		       const struct common_opts *o, struct exercise **sel, size_t nsel,
		       struct grade ***grades, size_t *n)
{
	char *root = lab_root_find(), *bindir = bin_cache_dir(root), *key = options_key(o);
	struct collect col;
	struct sched sched;
	struct summary sum;
	struct plan plan;
	int ret = -1;

	runner_setup_user();
	*grades = xcalloc(subs->n + 1, sizeof(**grades));
	memset(&col, 0, sizeof(col));
	col.v = xcalloc(subs->n + 1, sizeof(*col.v));
	col.sel = sel;
	col.nsel = nsel;
	col.out = go->out;
	col.since = now_ms();
	col.total = subs->n;
	col.tty = isatty(2);
	if (sched_init(&sched, o->jobs, bindir) < 0)
		goto out;
	sched.keep = o->keep;
	plan.sched = &sched;
	plan.o = o;
	plan.mask = selected_tools(o, all_tool_mask());
	plan.lab_tools = !o->tool_mask;
	for (size_t i = 0; i < subs->n; i++) {
		struct grade *g = xcalloc(1, sizeof(*g));
		uint64_t input = 0;
		char *name = submission_name(subs->v[i]);

		(*grades)[(*n)++] = g;
		if (go->out)
			input = grade_input_hash(subs->v[i], sel, nsel, key);
		if (!go->out || grade_store_load(go->out, name, input, g) < 0)
			plan_one(&plan, &col, subs->v[i], input, g);
		else
			say_graded(&col, g, "kept: unchanged since it was graded");
		free(name);
	}
	memset(&sum, 0, sizeof(sum));
	if (sched_run(&sched, &report_collect, &col, &sum) == 0 && !col.failed)
		ret = 0;
	sched_clear(&sched);
out:
	for (size_t i = 0; i < col.n; i++) {
		free(col.v[i].stageroot);
		free(col.v[i].stagerel);
	}
	free(col.v);
	free(key);
	free(bindir);
	free(root);
	return ret;
}

int cmd_grade(int argc, char **argv)
{
	struct grade_opts go;
	struct strvec rest = STRVEC_INIT, subs = STRVEC_INIT;
	struct common_opts o;
	struct exercise_set set;
	struct exercise **sel = NULL;
	struct grade **grades = NULL;
	size_t nsel = 0, ngrades = 0, k = 0;
	char *root = NULL;
	int ret = RACELAB_EXIT_USAGE;

	memset(&set, 0, sizeof(set));
	memset(&o, 0, sizeof(o));
	if (take_grade_options(argc, argv, &go, &rest) < 0 ||
	    parse_common((int)rest.n, (char **)strvec_argv(&rest), &o) < 0)
		goto out;
	if (o.help) {
		fputs(grade_usage, stdout);
		options_usage(stdout);
		ret = 0;
		goto out;
	}
	if (!go.repeat_given)
		o.repeat = 3;
	if (!go.formats.n)
		strvec_push(&go.formats, "text");
	for (size_t i = 0; i < o.positional.n; i++)
		strvec_push(&subs, o.positional.v[i]);
	for (size_t i = 0; i < go.classes.n; i++)
		if (list_class(go.classes.v[i], &subs) < 0)
			goto out;
	/* A share is every N-th submission in the order given: the same on every machine. */
	for (size_t i = 0; go.nshards && i < subs.n; i++) {
		if ((int)(i % (size_t)go.nshards) == go.shard - 1)
			subs.v[k++] = subs.v[i];
		else
			free(subs.v[i]);
	}
	if (go.nshards)
		subs.n = k;
	if (!subs.n && !go.nshards) {
		error("no submission to grade (racelab grade --help)");
		goto out;
	}
	for (size_t f = 0; f < go.formats.n; f++)
		if (grade_format_find(go.formats.v[f])->one_student && subs.n > 1) {
			error("--format %s describes one submission: grade them one at a time",
			      go.formats.v[f]);
			goto out;
		}
	if (go.out && mkdir_p(go.out, 0755) < 0) {
		error("cannot make %s", go.out);
		goto out;
	}
	if (go.merge) {
		if (grade_store_merge(&subs, &grades, &ngrades) < 0)
			goto out;
	} else {
		root = lab_root_find();
		if (!root) {
			error("no exercises/ directory here or above: grade from the instructor's lab "
			      "(or set RACELAB_ROOT)");
			goto out;
		}
		if (exercise_set_load(&set, root) < 0 ||
		    exercise_select(&set, &go.exercises, &sel, &nsel) < 0)
			goto out;
		if (grade_class(&subs, &go, &o, sel, nsel, &grades, &ngrades) < 0) {
			ret = RACELAB_EXIT_BROKEN;
			goto out;
		}
	}
	ret = 0;
	for (size_t f = 0; f < go.formats.n; f++)
		if (grade_format_emit(grade_format_find(go.formats.v[f]), go.out, grades, ngrades) < 0)
			ret = RACELAB_EXIT_BROKEN;
out:
	for (size_t i = 0; i < ngrades; i++) {
		grade_release(grades[i]);
		free(grades[i]);
	}
	free(grades);
	free(sel);
	if (set.v)
		exercise_set_clear(&set);
	free(root);
	common_opts_clear(&o);
	strvec_clear(&rest);
	strvec_clear(&subs);
	strvec_clear(&go.formats);
	strvec_clear(&go.exercises);
	strvec_clear(&go.classes);
	free(go.out);
	return ret;
}
