/*
 * The terminal reporter: one block per exercise, a verdict per checker,
 * and for each diagnostic its location, kind, that line of the source,
 * the checker's words, the stacks around it and what the kind means, so a
 * student can act on it.
 *
 * A diagnostic with a place starts at column 0 with "path:line: kind", the
 * path from the current directory: the GCC convention that vim's
 * quickfix (:cfile), Emacs' compilation mode and VS Code's terminal jump
 * to. Its stacks follow, indented: the main one, then each related stack
 * under what the checker says it is. In a stack, the frames in the
 * program's directory ("user frames") come first, numbered from the first
 * of them (#1), each with its path; the others are folded into one line
 * ("... 3 frames in libc.so.6"). By default a stack shows at most
 * USER_FRAMES user frames and the source line of its first one (a line
 * shown once for a diagnostic is not shown again), and a related stack
 * equal to the stack just above it (two threads on the same line, made by
 * the same loop) is one line; -v shows every frame in the checker's
 * order, library frames with their module, and the source line of every
 * user frame. A consequence (consequence.h) comes right after its cause,
 * "because of the deadlock above: zombie".
 */
#include "report.h"
#include "excerpt.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct term {
	struct report_opts o;
	char *last_exercise;
	int last_variant;	/* -1: none yet */
	int progress_shown;
	int tty_progress;
};

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_DIM    "\033[2m"
#define C_RED    "\033[31m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN   "\033[36m"

#define USER_FRAMES 3		/* user frames of a stack shown without -v */
#define VERBOSE_FRAMES 64	/* frames of a stack shown with -v (deep recursion) */

/* One diagnostic being printed: what its stacks need to know. */
struct stacks {
	struct term *t;
	const struct result *r;
	const char *program;	/* the module of the user frames: the program itself */
	struct strvec shown;	/* "file:line" whose source line is already shown */
};

static const char *col(const struct term *t, const char *c)
{
	return t->o.color ? c : "";
}

static void *term_begin(const struct report_opts *o)
{
	struct term *t = xcalloc(1, sizeof(*t));

	t->o = *o;
	t->last_variant = -1;
	t->tty_progress = isatty(2) && o->out == stdout;
	return t;
}

static void clear_progress(struct term *t)
{
	if (t->progress_shown) {
		fputs("\r\033[K", stderr);
		t->progress_shown = 0;
	}
}

static void term_progress(void *ctx, int done, int total, const char *what)
{
	struct term *t = ctx;

	if (!t->tty_progress)
		return;
	fprintf(stderr, "\r\033[K[%d/%d] running %s ...", done, total, what ? what : "");
	t->progress_shown = 1;
}

static const char *verdict(const struct term *t, const struct result *r, const char **color)
{
	int verify = !strcmp(t->o.command, "verify");
	int run = !strcmp(t->o.command, "run");

	switch (r->status) {
	case STATUS_PASS:
		*color = C_GREEN;
		return verify ? "PASS" : "CLEAN";
	case STATUS_FAIL:
		*color = C_RED;
		return verify ? "FAIL" : run ? "FOUND" : "BUG";
	case STATUS_SKIP:
		*color = C_YELLOW;
		return "SKIP";
	default:
		*color = C_RED;
		return "ERROR";
	}
}

static void print_detail(struct term *t, const char *detail, int max_lines)
{
	FILE *out = t->o.out;
	const char *p = detail;
	int n = 0;

	while (*p && (max_lines <= 0 || n < max_lines)) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);
		struct strbuf safe = STRBUF_INIT;

		/* A thread dump names processes: their names are the program's to choose. */
		excerpt_terminal_safe(&safe, line);
		fprintf(out, "        %s%s%s\n", col(t, C_DIM), safe.buf, col(t, C_RESET));
		strbuf_release(&safe);
		free(line);
		p += len;
		if (*p)
			p++;
		n++;
	}
	if (*p)
		fprintf(out, "        %s... (racelab %s -v shows all)%s\n", col(t, C_DIM),
			t->o.command, col(t, C_RESET));
}

/* Point students only at pages that exist. */
static int has_page(const struct term *t, const char *kind)
{
	char *p;
	int ok;

	if (!t->o.docs)
		return 0;
	p = xstrfmt("%s/bugs/%s.md", t->o.docs, kind);
	ok = !access(p, R_OK);
	free(p);
	return ok;
}

/* The module that holds d's user frames: the program's own binary. */
static const char *program_module(const struct diag *d)
{
	for (size_t i = 0; i < d->nframes; i++)
		if (d->frames[i].user && d->frames[i].module)
			return d->frames[i].module;
	for (size_t k = 0; k < d->nrelated; k++)
		for (size_t i = 0; i < d->related[k].nframes; i++)
			if (d->related[k].frames[i].user && d->related[k].frames[i].module)
				return d->related[k].frames[i].module;
	return NULL;
}

/*
 * Where a frame outside the program's directory is: its library
 * ("libc.so.6"), or, inside the program's own binary, the header it came
 * from or the checker's runtime linked into it ("the tsan runtime").
 */
static char *frame_place(const struct stacks *s, const struct frame *f)
{
	const char *slash = f->file ? strrchr(f->file, '/') : NULL;

	if (f->module && (!s->program || strcmp(f->module, s->program)))
		return xstrdup(f->module);
	if (f->file)
		return xstrdup(slash ? slash + 1 : f->file);
	if (f->module && s->r->tool && s->r->tool->flavor != FLAVOR_NATIVE)
		return xstrfmt("the %s runtime", s->r->tool->name);
	if (f->module)
		return xstrdup("the program");
	return xstrdup("unknown code");
}

/* Print the source line of f under a frame, once per diagnostic unless -v. */
static void print_source(struct stacks *s, const char *indent, const struct frame *f)
{
	char *key, *src;

	if (!f->user || !f->file || f->line <= 0)
		return;
	key = xstrfmt("%s:%d", f->file, f->line);
	if (strvec_find(&s->shown, key) >= 0 && !s->t->o.verbose) {
		free(key);
		return;
	}
	strvec_push_nodup(&s->shown, key);
	src = source_line(s->r->srcdir, f->file, f->line);
	if (src) {
		fprintf(s->t->o.out, "%s%s%5d |%s %s\n", indent, col(s->t, C_CYAN), f->line,
			col(s->t, C_RESET), src);
		free(src);
	}
}

/* "#2 exercises/05-leaked-results/results.c:54 in worker()"; frames num to last */
static void print_user_frame(struct stacks *s, int num, int last, const struct frame *f)
{
	char *path = path_from_cwd(s->r->srcdir, f->file);

	if (last > num)
		fprintf(s->t->o.out, "          #%d-#%d %s:%d", num, last, path, f->line);
	else
		fprintf(s->t->o.out, "          #%d %s:%d", num, path, f->line);
	if (f->function)
		fprintf(s->t->o.out, " in %s()", f->function);
	if (last > num)
		fprintf(s->t->o.out, ", %d times", last - num + 1);
	fputc('\n', s->t->o.out);
	free(path);
}

/* -v: a frame outside the program's directory, in full. */
static void print_library_frame(struct stacks *s, int num, const struct frame *f)
{
	FILE *out = s->t->o.out;
	char *place = frame_place(s, f);

	if (num > 0)
		fprintf(out, "          %s#%d ", col(s->t, C_DIM), num);
	else
		fprintf(out, "          %s - ", col(s->t, C_DIM));
	fprintf(out, "%s", f->function ? f->function : "??");
	if (f->file && f->line > 0)
		fprintf(out, " (%s:%d)", f->file, f->line);
	fprintf(out, " in %s%s\n", place, col(s->t, C_RESET));
	free(place);
}

/* "... 3 more of your frames, 2 frames in libc.so.6, 1 in the tsan runtime" */
static void print_fold(struct stacks *s, const struct frame *v, size_t n, size_t more_user)
{
	struct strvec places = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t *count = xcalloc(n + 1, sizeof(*count));

	for (size_t i = 0; i < n; i++) {
		char *place;
		int k;

		if (v[i].user)
			continue;
		place = frame_place(s, &v[i]);
		k = strvec_find(&places, place);
		if (k < 0) {
			k = (int)places.n;
			strvec_push_nodup(&places, place);
		} else {
			free(place);
		}
		count[k]++;
	}
	if (more_user)
		strbuf_addf(&sb, "%zu more of your frame%s", more_user, more_user == 1 ? "" : "s");
	for (size_t k = 0; k < places.n; k++)
		strbuf_addf(&sb, "%s%zu%s in %s", sb.len ? ", " : "", count[k],
			    k ? "" : count[k] == 1 ? " frame" : " frames", places.v[k]);
	if (sb.len)
		fprintf(s->t->o.out, "          %s... %s%s\n", col(s->t, C_DIM), sb.buf,
			col(s->t, C_RESET));
	strbuf_release(&sb);
	strvec_clear(&places);
	free(count);
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int same_frame(const struct frame *a, const struct frame *b)
{
	return a->line == b->line && same_str(a->function, b->function) &&
	       same_str(a->file, b->file);
}

static int same_frames(const struct frame *a, size_t na, const struct frame *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_frame(&a[i], &b[i]))
			return 0;
	return 1;
}

/*
 * The frames of one stack. Numbers count from the first user frame (#1).
 * skip: that frame is already shown (the diagnostic's own first line).
 * Without -v, a run of identical user frames (recursion) is one line.
 */
static void print_frames(struct stacks *s, const struct frame *v, size_t n, int skip)
{
	const struct frame *first = first_user_frame(v, n);
	size_t u = first ? (size_t)(first - v) : n, shown = 0, more = 0, run;
	int verbose = s->t->o.verbose;

	for (size_t i = 0; i < n; i++) {
		int num = i >= u ? (int)(i - u + 1) : 0;

		if (verbose && i >= VERBOSE_FRAMES) {
			fprintf(s->t->o.out, "          ... %zu more frames\n", n - i);
			return;
		}
		if (!v[i].user) {
			if (verbose)
				print_library_frame(s, num, &v[i]);
			continue;
		}
		if (skip && &v[i] == first)
			continue;
		if (!verbose && shown == USER_FRAMES) {
			more++;
			continue;
		}
		run = 1;
		while (!verbose && i + run < n && same_frame(&v[i + run], &v[i]))
			run++;
		print_user_frame(s, num, num + (int)run - 1, &v[i]);
		if (verbose || !shown)
			print_source(s, "            ", &v[i]);
		shown++;
		i += run - 1;
	}
	if (!verbose)
		print_fold(s, v, n, more);
}

/* Related stack i of d, under what the checker calls it. */
static void print_related(struct stacks *s, const struct diag *d, size_t i)
{
	const struct related *rel = &d->related[i];
	const struct frame *above = i ? d->related[i - 1].frames : d->frames;
	size_t nabove = i ? d->related[i - 1].nframes : d->nframes;

	if (!s->t->o.verbose && rel->nframes && same_frames(rel->frames, rel->nframes, above, nabove)) {
		fprintf(s->t->o.out, "        %s: the same stack as above\n", rel->what);
		return;
	}
	fprintf(s->t->o.out, "        %s:\n", rel->what);
	print_frames(s, rel->frames, rel->nframes, 0);
}

/*
 * A consequence (consequence.h) says what it follows from before its kind
 * and, instead of what its kind means, that its cause comes first.
 */
static void print_diag(struct term *t, const struct result *r, const struct diag *d)
{
	FILE *out = t->o.out;
	const struct frame *f = diag_user_frame(d);
	const struct diag *cause = d->cause >= 0 ? &r->diags.v[d->cause] : NULL;
	const struct bug_kind *k = cause ? NULL : bug_kind_find(d->kind);
	struct stacks s = { t, r, program_module(d), STRVEC_INIT };
	char *because = cause ? xstrfmt("because of the %s above: ", cause->kind) : xstrdup("");

	if (f && f->file) {
		char *path = path_from_cwd(r->srcdir, f->file);

		fprintf(out, "%s:%d: %s%s%s%s", path, f->line, because, col(t, C_BOLD C_RED),
			d->kind, col(t, C_RESET));
		free(path);
	} else {
		fprintf(out, "      %s%s%s%s", because, col(t, cause ? C_BOLD : C_BOLD C_RED),
			d->kind, col(t, C_RESET));
	}
	free(because);
	if (f && f->function)
		fprintf(out, " in %s()", f->function);
	fputc('\n', out);
	if (f)
		print_source(&s, "        ", f);
	if (d->message || d->tool_kind) {
		struct strbuf safe = STRBUF_INIT;

		if (d->message)
			excerpt_terminal_safe(&safe, d->message);
		fprintf(out, "        %s%s", safe.buf ? safe.buf : "", d->message ? "  " : "");
		strbuf_release(&safe);
		if (d->tool_kind)
			fprintf(out, "%s[%s: %s]%s", col(t, C_DIM), r->tool ? r->tool->name : "racelab",
				d->tool_kind, col(t, C_RESET));
		fputc('\n', out);
	}
	if (d->frames_what)
		fprintf(out, "        %s%s%s\n", col(t, C_DIM), d->frames_what, col(t, C_RESET));
	print_frames(&s, d->frames, d->nframes, 1);
	for (size_t i = 0; i < d->nrelated; i++)
		print_related(&s, d, i);
	if (k) {
		fprintf(out, "        %s%s", col(t, C_DIM), k->explain);
		if (has_page(t, k->name))
			fprintf(out, ": see docs/bugs/%s.md", k->name);
		fprintf(out, "%s\n", col(t, C_RESET));
	} else if (cause) {
		fprintf(out, "        %sfix the %s first: if this is still there then, it shows as "
			"a bug of its own%s\n", col(t, C_DIM), cause->kind, col(t, C_RESET));
	}
	if (d->detail)
		print_detail(t, d->detail, t->o.verbose ? 0 : 12);
	strvec_clear(&s.shown);
}

static int same_place(const struct diag *a, const struct diag *b)
{
	const struct frame *fa = diag_user_frame(a), *fb = diag_user_frame(b);

	if (strcmp(a->kind, b->kind))
		return 0;
	if (!fa || !fb)
		return !fa && !fb && a->message && b->message && !strcmp(a->message, b->message);
	return fa->line == fb->line && fa->file && fb->file && !strcmp(fa->file, fb->file);
}

/* "  saw data-race x2, thread-leak": each kind once, in order of appearance. */
static void print_kinds(FILE *out, const struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		int seen = 0, count = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(l->v[k].kind, l->v[i].kind);
		if (seen)
			continue;
		for (size_t k = i; k < l->n; k++)
			count += !strcmp(l->v[k].kind, l->v[i].kind);
		fprintf(out, "%s %s", i ? "," : "  saw", l->v[i].kind);
		if (count > 1)
			fprintf(out, " x%d", count);
	}
}

/*
 * A noise result failed: under which seed, and how to run that one seed
 * again (the same command, one exercise, that seed).
 */
static void print_noise_failure(struct term *t, const struct result *r)
{
	FILE *out = t->o.out;

	fprintf(out, "  under schedule noise, seed %" PRIu64, r->seed);
	if (r->runs > 1)
		fprintf(out, " (the %d seed%s before it passed)", r->runs - 1, r->runs == 2 ? "" : "s");
	fputc('\n', out);
	fprintf(out, "      %sreplay: racelab %s %s --tool noise --seed %" PRIu64 "%s%s%s\n",
		col(t, C_DIM), t->o.command, r->exercise, r->seed, r->kase ? " --case " : "",
		r->kase ? r->kase : "", col(t, C_RESET));
}

static void term_result(void *ctx, const struct result *r)
{
	struct term *t = ctx;
	FILE *out = t->o.out;
	const char *color, *v = verdict(t, r, &color);
	int shown = 0, verify = !strcmp(t->o.command, "verify");

	clear_progress(t);
	if (!t->last_exercise || strcmp(t->last_exercise, r->exercise)) {
		free(t->last_exercise);
		t->last_exercise = xstrdup(r->exercise);
		t->last_variant = -1;
		fprintf(out, "\n%s%s%s%s%s\n", col(t, C_BOLD), r->exercise, r->title ? "  " : "",
			r->title ? r->title : "", col(t, C_RESET));
	}
	if (verify && t->last_variant != (int)r->variant) {
		t->last_variant = (int)r->variant;
		fprintf(out, "  %s%s%s\n", col(t, C_DIM),
			r->variant == VARIANT_BUGGY ? "buggy version (exercises/): must show lab.ini [buggy]"
			: "solution (solutions/): must be clean and correct", col(t, C_RESET));
	}
	fprintf(out, "    %-9s %s%-5s%s", r->tool ? r->tool->name : "lab.ini", col(t, color), v,
		col(t, C_RESET));
	if (r->kase)
		fprintf(out, "  %s[case %s%s]%s", col(t, C_DIM), r->kase,
			r->case_hidden ? ", hidden" : "", col(t, C_RESET));
	if (r->status == STATUS_PASS) {
		print_kinds(out, &r->diags);
		if (r->runs > 1)
			fprintf(out, "  (%d %s)", r->runs, r->seed ? "seeds" : "runs");
		fputc('\n', out);
		if (!t->o.verbose)
			return;
	} else if (r->status == STATUS_SKIP || r->status == STATUS_ERROR) {
		fprintf(out, "  %.*s\n", r->reason ? (int)strcspn(r->reason, "\n") : 0,
			r->reason ? r->reason : "");
		if (r->reason && strchr(r->reason, '\n'))
			print_detail(t, strchr(r->reason, '\n') + 1, t->o.verbose ? 0 : 12);
	} else if (r->by_probe) {
		fprintf(out, "  measured in the native run of the same fix\n");
	} else if (r->seed) {
		print_noise_failure(t, r);
	} else {
		if (r->runs > 1)
			fprintf(out, "  in run %d (the runs before it passed)", r->runs);
		fputc('\n', out);
	}
	for (size_t i = 0; i < r->match.unmet.n; i++)
		fprintf(out, "      %sexpected but not seen:%s %s\n", col(t, C_YELLOW), col(t, C_RESET),
			r->match.unmet.v[i]);
	for (size_t i = 0; i < r->diags.n; i++) {
		int dup = 0;

		for (size_t k = 0; k < i && !dup; k++)
			dup = same_place(&r->diags.v[k], &r->diags.v[i]);
		if (dup)
			continue;
		if (!t->o.verbose && shown == 3) {
			fprintf(out, "      ... %zu more (-v shows all)\n", r->diags.n - i);
			break;
		}
		print_diag(t, r, &r->diags.v[i]);
		shown++;
	}
	if (verify && r->status == STATUS_FAIL && r->expected)
		fprintf(out, "      %slab.ini expects: %s%s\n", col(t, C_DIM), r->expected, col(t, C_RESET));
}

static void term_end(void *ctx, const struct summary *s)
{
	struct term *t = ctx;
	FILE *out = t->o.out;
	int total = s->pass + s->fail + s->error + s->skip;

	clear_progress(t);
	fprintf(out, "\n%d result%s in %.1f s", total, total == 1 ? "" : "s", s->duration_ms / 1000.0);
	if (s->error)
		fprintf(out, "; %s%d error%s%s (counted as failed)", col(t, C_RED), s->error,
			s->error == 1 ? "" : "s", col(t, C_RESET));
	fputc('\n', out);
	/* "N passed, N failed, N skipped" alone on a line: what CI logs look for. */
	fprintf(out, "%s%s: %s%d passed%s, %s%d failed%s, %d skipped%s\n", col(t, C_BOLD),
		t->o.command, col(t, s->pass ? C_GREEN : ""), s->pass, col(t, C_RESET C_BOLD),
		col(t, s->fail + s->error ? C_RED : ""), s->fail + s->error, col(t, C_RESET C_BOLD),
		s->skip, col(t, C_RESET));
	if (!strcmp(t->o.command, "check") && s->exercises) {
		/* The student's verdict, per exercise, not per checker: the last line. */
		if (s->unfixed.n)
			fprintf(out, "not yet fixed (fix the lines shown above, then run the same "
				"command again):\n");
		for (size_t i = 0; i < s->unfixed.n; i++)
			fprintf(out, "  %s\n", s->unfixed.v[i]);
		fprintf(out, "%s%d of %d exercise%s fixed%s\n", col(t, C_BOLD), s->exercises_ok,
			s->exercises, s->exercises == 1 ? "" : "s", col(t, C_RESET));
	}
	free(t->last_exercise);
	free(t);
}

const struct reporter report_terminal = {
	"terminal", term_begin, term_result, term_progress, term_end,
};
