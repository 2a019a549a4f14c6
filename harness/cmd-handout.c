/*
 * racelab handout DIR: make the lab unpacked at DIR a student handout, in
 * place. Every lab.ini loses its hidden [case] sections, and a file that
 * only hidden cases feed on stdin is removed. make dist-student runs it on
 * a `git archive` of the instructor's tree; the sections are found by
 * racelab's own lab.ini reader (lab.c), the one that reads them for runs.
 */
#include "cmds.h"
#include "exercise.h"
#include "lab.h"
#include "strbuf.h"
#include "usage.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char handout_usage[] =
"usage: racelab handout DIR\n"
"\n"
"Make the lab at DIR a student handout, in place: each exercise's lab.ini\n"
"loses its hidden [case] sections (and the comment lines right above\n"
"them), and a file only hidden cases feed on stdin is removed. DIR must\n"
"have no solutions/ folder: this is for a copy made to be handed out\n"
"(make dist-student), never for the instructor's own tree.\n";

/* 1 when a case the students see feeds `path` on stdin. */
static int fed_to_a_shown_case(const struct lab *lab, const char *path)
{
	for (size_t i = 0; i < lab->ncases; i++)
		for (size_t k = 0; !lab->cases[i].hidden && k < LAB_MAX_PROGRAMS; k++)
			if (lab->cases[i].progs[k].stdin_path &&
			    !strcmp(lab->cases[i].progs[k].stdin_path, path))
				return 1;
	return 0;
}

static int is_comment(const char *line, size_t len)
{
	while (len && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	return len && (*line == ';' || *line == '#');
}

/* lab.ini without the lines of drop[] (1-based), written by a rename. */
static int rewrite(const char *path, const char *text, size_t len, const unsigned char *drop,
		   size_t nlines)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text, *end = text + len;
	char *tmp = xstrfmt("%s.tmp", path);
	int ret = 0;

	for (size_t line = 1; p < end; line++) {
		const char *eol = memchr(p, '\n', end - p);
		size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);

		if (line > nlines || !drop[line])
			strbuf_add(&sb, p, n);
		p += n;
	}
	if (write_file(tmp, sb.buf, sb.len) < 0 || rename(tmp, path) < 0) {
		ret = error_errno("cannot write %s", path);
		unlink(tmp);
	}
	free(tmp);
	strbuf_release(&sb);
	return ret;
}

static int strip_hidden(const struct exercise *e)
{
	const struct lab *lab = &e->lab;
	size_t len, nlines = 0;
	char *text;
	const char **starts;
	unsigned char *drop;
	int ret = 0, any = 0;

	for (size_t i = 0; i < lab->ncases; i++)
		any |= lab->cases[i].hidden;
	if (!any)
		return 0;
	text = read_file(lab->path, &len);
	if (!text)
		return error_errno("cannot read %s", lab->path);
	for (size_t i = 0; i < len; i++)
		nlines += text[i] == '\n';
	nlines += len && text[len - 1] != '\n';
	starts = xcalloc(nlines + 2, sizeof(*starts));
	drop = xcalloc(nlines + 2, 1);
	starts[1] = text;
	for (size_t i = 0, line = 1; i < len; i++)
		if (text[i] == '\n' && line < nlines)
			starts[++line] = text + i + 1;
	for (size_t i = 0; i < lab->ncases; i++) {
		const struct lab_case *c = &lab->cases[i];
		int first = c->line;

		if (!c->hidden)
			continue;
		/* the comment that introduces the case goes with it */
		while (first > 1 && is_comment(starts[first - 1], starts[first] - starts[first - 1]))
			first--;
		for (int l = first; l <= c->end_line && l <= (int)nlines; l++)
			drop[l] = 1;
		for (size_t k = 0; k < LAB_MAX_PROGRAMS; k++) {
			const char *in = c->progs[k].stdin_path;

			if (in && !fed_to_a_shown_case(lab, in) && unlink(in) < 0 && errno != ENOENT)
				ret = error_errno("cannot remove %s", in);
		}
	}
	if (rewrite(lab->path, text, len, drop, nlines) < 0)
		ret = -1;
	free(drop);
	free(starts);
	free(text);
	return ret;
}

int cmd_handout(int argc, char **argv)
{
	struct exercise_set set;
	struct stat st;
	char *root, *sol;
	int ret = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(handout_usage, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fputs(handout_usage, stderr);
		return RACELAB_EXIT_USAGE;
	}
	root = realpath(argv[1], NULL);
	if (!root) {
		error_errno("%s", argv[1]);
		return RACELAB_EXIT_USAGE;
	}
	sol = xstrfmt("%s/solutions", root);
	if (!stat(sol, &st)) {
		error("%s has solutions/: a handout is made from a copy without them "
		      "(make dist-student), never from the instructor's tree", root);
		free(sol);
		free(root);
		return RACELAB_EXIT_USAGE;
	}
	free(sol);
	if (exercise_set_load(&set, root) < 0) {
		free(root);
		return RACELAB_EXIT_USAGE;
	}
	for (size_t i = 0; i < set.n; i++) {
		const struct exercise *e = &set.v[i];

		if (!e->lab_ok) {
			/* a lab.ini racelab cannot read may hide a case: nothing is handed out */
			fputs(e->lab_error, stderr);
			ret = RACELAB_EXIT_USAGE;
		} else if (strip_hidden(e) < 0) {
			ret = RACELAB_EXIT_BROKEN;
		}
	}
	exercise_set_clear(&set);
	free(root);
	return ret;
}
