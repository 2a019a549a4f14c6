/*
 * lab.ini's [program NAME] sections: a server and its clients, each with
 * its sources, arguments, environment and oracle, checked together once
 * the whole file is read.
 */
#include "lab-int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
		*out = 1;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

void set_env(struct load *st, const struct entry *e, const char *sec, struct strvec *dst)
{
	struct strvec words = STRVEC_INIT;

	strvec_split(&words, e->value.buf);
	for (size_t i = 0; i < words.n; i++) {
		const char *eq = strchr(words.v[i], '=');

		if (!eq || eq == words.v[i])
			report(st, e->line, "[%s] env: '%s' is not NAME=value", sec, words.v[i]);
		else if (reserved(words.v[i]))
			report(st, e->line, "[%s] env: %.*s is set by racelab for every run",
			       sec, (int)(eq - words.v[i]), words.v[i]);
		else
			strvec_push(dst, words.v[i]);
	}
	strvec_clear(&words);
}

void apply_program(struct load *st, const struct entry *e)
{
	struct program *p = &st->lab->programs[e->program];
	const char *sec = section_label(st, e->section, e->program);

	if (!strcmp(e->name, "sources")) {
		set_sources(st, e, &p->sources);
	} else if (!strcmp(e->name, "args")) {
		strvec_split(&p->args, e->value.buf);
	} else if (!strcmp(e->name, "env")) {
		set_env(st, e, sec, &p->env);
	} else if (!strcmp(e->name, "role")) {
		if (!strcmp(e->value.buf, "server"))
			p->role = ROLE_SERVER;
		else if (!strcmp(e->value.buf, "client"))
			p->role = ROLE_CLIENT;
		else
			report(st, e->line, "[%s] role: '%s' is neither server nor client", sec, e->value.buf);
	} else if (!strcmp(e->name, "checked")) {
		if (parse_bool(e->value.buf, &p->checked))
			report(st, e->line, "[%s] checked: '%s' is not yes or no", sec, e->value.buf);
	} else if (!apply_oracle_key(st, e, &p->oracle)) {
		report(st, e->line, "[%s] unknown key '%s' (known: sources, args, env, role, checked, "
		       "stdout, count, exit, threads, concurrent)", sec, e->name);
	}
}

int mentions_port(const struct strvec *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (strstr(v->v[i], PORT_PLACEHOLDER))
			return 1;
	return 0;
}

/* The rules a set of [program] sections must follow as a whole. */
void check_programs(struct load *st)
{
	struct lab *lab = st->lab;
	size_t servers = 0, clients = 0, checked = 0;
	const struct entry *e;

	if (!lab->nprograms)
		return;
	if ((e = entry_find(st, "exercise", -1, "args")))
		report(st, e->line, "[exercise] args: with [program] sections each program has its own args");
	if (seen_find(st, "oracle"))
		report(st, seen_find(st, "oracle")->line, "[oracle]: with [program] sections each program "
		       "has its own stdout, count and exit");
	for (size_t i = 0; i < lab->nprograms; i++) {
		struct program *p = &lab->programs[i];

		if (!entry_find(st, "program", (int)i, "sources"))
			report(st, p->line, "[program %s] has no 'sources'", p->name);
		if (p->role == ROLE_MAIN)
			report(st, p->line, "[program %s] has no 'role' (server or client)", p->name);
		servers += p->role == ROLE_SERVER;
		clients += p->role == ROLE_CLIENT;
		checked += p->checked;
		if (p->oracle.threads && !p->checked && (e = entry_find(st, "program", (int)i, "threads")))
			report(st, e->line, "[program %s] threads: only a checked program's threads are "
			       "counted (its native run is observed)", p->name);
		if (p->role == ROLE_SERVER && !mentions_port(&p->args) && !mentions_port(&p->env))
			report(st, p->line, "[program %s] is a server but neither its args nor its env "
			       "mention {port}: racelab could not tell when it listens", p->name);
	}
	if (!clients)
		report(st, lab->programs[0].line, "[program] sections: at least one must have role = client "
		       "(the run ends when the clients end)");
	if (servers > 1)
		report(st, lab->programs[0].line, "[program] sections: at most one server (one {port} per run)");
	if (!checked)
		report(st, lab->programs[0].line, "[program] sections: every program says checked = no; "
		       "nothing would run under the checkers");
	/* What the student edits must be something that is built. */
	for (size_t i = 0; i < lab->sources.n; i++) {
		int built = 0;

		for (size_t k = 0; k < lab->nprograms && !built; k++)
			built = strvec_has(&lab->programs[k].sources, lab->sources.v[i]);
		if (!built && (e = entry_find(st, "exercise", -1, "sources")))
			report(st, e->line, "[exercise] sources: '%s' is not in any [program]'s sources",
			       lab->sources.v[i]);
	}
}
