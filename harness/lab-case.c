/*
 * lab.ini's [case NAME] sections: more runs of the exercise with other
 * arguments, environment or input, each with the oracle they call for.
 *
 * A case's values are resolved once the whole file is read: it starts
 * from what the exercise (or each [program]) already says, and each key
 * the case sets replaces that one value. In an exercise of several
 * programs a key names its program: `client.args`, `server.env`.
 */
#include "lab-int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char default_case_tools[] = "native noise";

void enter_case(struct load *st, const char *name, size_t len)
{
	struct lab *lab = st->lab;
	struct lab_case *c;

	if (!named_section(st, &name, &len, "case", "three-jobs"))
		return;
	if (len == 7 && !strncmp(name, "default", 7)) {
		report(st, st->lineno, "[case default] is the exercise's own run: name the case otherwise");
		return;
	}
	for (size_t i = 0; i < lab->ncases; i++)
		if (strlen(lab->cases[i].name) == len && !strncmp(lab->cases[i].name, name, len)) {
			report(st, st->lineno, "section [case %.*s] appears twice (first at line %d)",
			       (int)len, name, lab->cases[i].line);
			return;
		}
	if (lab->ncases == LAB_MAX_CASES) {
		report(st, st->lineno, "too many [case] sections (at most %d)", LAB_MAX_CASES);
		return;
	}
	c = &lab->cases[lab->ncases];
	memset(c, 0, sizeof(*c));
	c->name = xstrndup(name, len);
	c->line = st->lineno;
	st->program = (int)lab->ncases++;
	st->section = "case";
	st->ignoring = 0;
}

static void oracle_copy(struct oracle *dst, const struct oracle *src)
{
	*dst = *src;
	dst->stdout_re = src->stdout_re ? xstrdup(src->stdout_re) : NULL;
}

static void strvec_copy(struct strvec *dst, const struct strvec *src)
{
	for (size_t i = 0; i < src->n; i++)
		strvec_push(dst, src->v[i]);
}

/* What the case starts from: the exercise's own run. */
static void case_start(struct lab *lab, struct lab_case *c)
{
	c->tool_mask = 0;
	for (size_t i = 0; i < ntools; i++)
		if (strstr(default_case_tools, tools[i].name))
			c->tool_mask |= 1 << i;
	if (!lab->nprograms) {
		strvec_copy(&c->progs[0].args, &lab->args);
		oracle_copy(&c->progs[0].oracle, &lab->oracle);
		return;
	}
	for (size_t k = 0; k < lab->nprograms; k++) {
		strvec_copy(&c->progs[k].args, &lab->programs[k].args);
		strvec_copy(&c->progs[k].env, &lab->programs[k].env);
		oracle_copy(&c->progs[k].oracle, &lab->programs[k].oracle);
	}
}

static void set_tools(struct load *st, const struct entry *e, struct lab_case *c)
{
	struct strvec words = STRVEC_INIT;

	strvec_split(&words, e->value.buf);
	if (!words.n)
		report(st, e->line, "[case %s] tools: name at least one checker", c->name);
	c->tool_mask = 0;
	for (size_t i = 0; i < words.n; i++) {
		const struct tool *t = tool_find(words.v[i]);

		if (!t)
			report(st, e->line, "[case %s] tools: unknown checker '%s'", c->name, words.v[i]);
		else
			c->tool_mask |= 1 << (t - tools);
	}
	strvec_clear(&words);
}

static void set_stdin(struct load *st, const struct entry *e, const char *sec, struct case_prog *cp)
{
	const char *f = e->value.buf;
	const char *slash = strrchr(st->lab->path, '/');
	char *path;

	/* Read beside lab.ini, so a grader's copy is the one fed, whatever was submitted. */
	if (!*f || strchr(f, '/') || strstr(f, "..") || !strcmp(f, ".")) {
		report(st, e->line, "[%s] stdin: '%s' must be a plain file name beside lab.ini", sec, f);
		return;
	}
	path = slash ? xstrfmt("%.*s/%s", (int)(slash - st->lab->path), st->lab->path, f)
		     : xstrdup(f);
	if (access(path, R_OK) < 0) {
		report(st, e->line, "[%s] stdin: cannot read %s", sec, f);
		free(path);
		return;
	}
	if (*path != '/') {
		char *abs = realpath(path, NULL);

		free(path);
		path = abs ? abs : xstrdup(f);
	}
	free(cp->stdin_path);
	cp->stdin_path = path;
}

/* "client.args" in a lab of programs: the program and the key. */
static int split_key(struct load *st, const struct entry *e, struct lab_case *c, const char **key)
{
	const struct lab *lab = st->lab;
	const char *dot = strchr(e->name, '.');

	*key = e->name;
	if (!lab->nprograms) {
		if (dot)
			report(st, e->line, "[case %s] %s: this exercise has one program; write '%s'",
			       c->name, e->name, dot + 1);
		return dot ? -1 : 0;
	}
	if (!strcmp(e->name, "hidden") || !strcmp(e->name, "tools"))
		return 0;
	if (!dot) {
		report(st, e->line, "[case %s] %s: name the program, e.g. '%s.%s'",
		       c->name, e->name, lab->programs[0].name, e->name);
		return -1;
	}
	for (size_t k = 0; k < lab->nprograms; k++)
		if (strlen(lab->programs[k].name) == (size_t)(dot - e->name) &&
		    !strncmp(lab->programs[k].name, e->name, dot - e->name)) {
			*key = dot + 1;
			return (int)k;
		}
	report(st, e->line, "[case %s] %s: no [program %.*s]", c->name, e->name,
	       (int)(dot - e->name), e->name);
	return -1;
}

static int sets_input(const char *key)
{
	return !strcmp(key, "args") || !strcmp(key, "env") || !strcmp(key, "stdin");
}

static void apply_case_entry(struct load *st, const struct entry *e, struct lab_case *c,
			     int *inputs)
{
	struct lab *lab = st->lab;
	char sec[96];
	const char *key;
	int k = split_key(st, e, c, &key);
	struct case_prog *cp;
	struct entry own;	/* the entry under its plain key, for the oracle's parser */
	int hidden;

	if (k < 0)
		return;
	own = *e;
	own.name = (char *)key;
	cp = &c->progs[k];
	snprintf(sec, sizeof(sec), "case %s", c->name);
	*inputs += sets_input(key);
	if (!strcmp(key, "hidden")) {
		if (parse_bool(e->value.buf, &hidden))
			report(st, e->line, "[%s] hidden: '%s' is not yes or no", sec, e->value.buf);
		else
			c->hidden = hidden;
	} else if (!strcmp(key, "tools")) {
		set_tools(st, e, c);
	} else if (!strcmp(key, "args")) {
		strvec_clear(&cp->args);
		strvec_split(&cp->args, e->value.buf);
	} else if (!strcmp(key, "env")) {
		strvec_clear(&cp->env);
		set_env(st, e, sec, &cp->env);
	} else if (!strcmp(key, "stdin")) {
		set_stdin(st, e, sec, cp);
	} else if (apply_oracle_key(st, &own, &cp->oracle)) {
		if (lab->nprograms && !lab->programs[k].checked &&
		    (!strcmp(key, "threads") || !strcmp(key, "concurrent")))
			report(st, e->line, "[%s] %s: only a checked program's workers are counted", sec,
			       e->name);
	} else {
		report(st, e->line, "[%s] unknown key '%s' (known: args, env, stdin, stdout, count, exit, "
		       "threads, concurrent, hidden, tools)", sec, key);
	}
}

/* Every [case]: the exercise's run with the case's keys applied. */
void resolve_cases(struct load *st)
{
	struct lab *lab = st->lab;

	for (size_t i = 0; i < lab->ncases; i++) {
		struct lab_case *c = &lab->cases[i];
		int inputs = 0;

		case_start(lab, c);
		for (size_t k = 0; k < st->nentries; k++)
			if (!strcmp(st->entries[k].section, "case") && st->entries[k].program == (int)i)
				apply_case_entry(st, &st->entries[k], c, &inputs);
		if (!inputs)
			report(st, c->line, "[case %s] runs the program as the exercise does: set its "
			       "args, env or stdin", c->name);
		for (size_t k = 0; k < lab->nprograms; k++)
			if (lab->programs[k].role == ROLE_SERVER && !mentions_port(&c->progs[k].args) &&
			    !mentions_port(&c->progs[k].env))
				report(st, c->line, "[case %s] %s: a server's args or env must keep {port}",
				       c->name, lab->programs[k].name);
	}
}

void case_release(struct lab_case *c)
{
	free(c->name);
	for (size_t k = 0; k < LAB_MAX_PROGRAMS; k++) {
		strvec_clear(&c->progs[k].args);
		strvec_clear(&c->progs[k].env);
		free(c->progs[k].stdin_path);
		free(c->progs[k].oracle.stdout_re);
	}
}
