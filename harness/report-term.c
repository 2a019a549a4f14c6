/*
 * The terminal reporter: one block per exercise, a verdict per checker,
 * and for each diagnostic its kind, file:line, that line of the source and
 * what the kind means, so a student can act on it.
 */
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct term {
	struct report_opts o;
	char *last_exercise;
	const char *last_variant;
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

static const char *col(const struct term *t, const char *c)
{
	return t->o.color ? c : "";
}

static void *term_begin(const struct report_opts *o)
{
	struct term *t = xcalloc(1, sizeof(*t));

	t->o = *o;
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
		fprintf(out, "        %s%.*s%s\n", col(t, C_DIM), (int)len, p, col(t, C_RESET));
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

static void print_diag(struct term *t, const struct result *r, const struct diag *d)
{
	FILE *out = t->o.out;
	const struct frame *f = diag_user_frame(d);
	const struct bug_kind *k = bug_kind_find(d->kind);

	fprintf(out, "      %s%s%s", col(t, C_BOLD C_RED), d->kind, col(t, C_RESET));
	if (f && f->file)
		fprintf(out, "  %s:%d", f->file, f->line);
	if (f && f->function)
		fprintf(out, "  in %s()", f->function);
	fputc('\n', out);
	if (f) {
		char *src = source_line(r->srcdir, f->file, f->line);
		if (src) {
			fprintf(out, "        %s%5d |%s %s\n", col(t, C_CYAN), f->line, col(t, C_RESET), src);
			free(src);
		}
	}
	if (d->message || d->tool_kind) {
		fprintf(out, "        %s%s", d->message ? d->message : "", d->message ? "  " : "");
		if (d->tool_kind)
			fprintf(out, "%s[%s: %s]%s", col(t, C_DIM), r->tool ? r->tool->name : "racelab",
				d->tool_kind, col(t, C_RESET));
		fputc('\n', out);
	}
	if (k) {
		fprintf(out, "        %s%s", col(t, C_DIM), k->explain);
		if (has_page(t, k->name))
			fprintf(out, ": see docs/bugs/%s.md", k->name);
		fprintf(out, "%s\n", col(t, C_RESET));
	}
	if (d->detail)
		print_detail(t, d->detail, t->o.verbose ? 0 : 12);
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
		t->last_variant = NULL;
		fprintf(out, "\n%s%s%s%s%s\n", col(t, C_BOLD), r->exercise, r->title ? "  " : "",
			r->title ? r->title : "", col(t, C_RESET));
	}
	if (verify && (!t->last_variant || strcmp(t->last_variant, r->variant))) {
		t->last_variant = r->variant;
		fprintf(out, "  %s%s%s\n", col(t, C_DIM),
			!strcmp(r->variant, "buggy") ? "buggy version (exercises/): must show lab.ini [buggy]"
			: "solution (solutions/): must be clean and correct", col(t, C_RESET));
	}
	fprintf(out, "    %-9s %s%-5s%s", r->tool ? r->tool->name : "lab.ini", col(t, color), v,
		col(t, C_RESET));
	if (r->status == STATUS_PASS) {
		print_kinds(out, &r->diags);
		if (r->runs > 1)
			fprintf(out, "  (%d runs)", r->runs);
		fputc('\n', out);
		if (!t->o.verbose)
			return;
	} else if (r->status == STATUS_SKIP || r->status == STATUS_ERROR) {
		fprintf(out, "  %.*s\n", r->reason ? (int)strcspn(r->reason, "\n") : 0,
			r->reason ? r->reason : "");
		if (r->reason && strchr(r->reason, '\n'))
			print_detail(t, strchr(r->reason, '\n') + 1, t->o.verbose ? 0 : 12);
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
	if (!strcmp(t->o.command, "check") && s->fail)
		fprintf(out, "Fix the lines shown above and run the same command again.\n");
	free(t->last_exercise);
	free(t);
}

const struct reporter report_terminal = {
	"terminal", term_begin, term_result, term_progress, term_end,
};
