#include "env-guard.h"
#include "proc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const guarded[] = {
	"TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "VALGRIND_OPTS",
	"LD_AUDIT", "LD_PRELOAD", NULL,
};

/* The value of NAME in env ("NAME=value" entries), or NULL. */
static const char *value_in(const struct strvec *env, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < env->n; i++)
		if (!strncmp(env->v[i], name, n) && env->v[i][n] == '=')
			return env->v[i] + n + 1;
	return NULL;
}

struct env_guard *env_guard_new(const struct strvec *env, int valgrind)
{
	struct env_guard *g = xcalloc(1, sizeof(*g));

	strbuf_init(&g->buf, 0);
	for (const char *const *p = guarded; *p; p++) {
		const char *v = value_in(env, *p);

		/* Valgrind puts its own preload into its guest's environment */
		if (valgrind && !strcmp(*p, "LD_PRELOAD"))
			continue;
		if (v)
			strvec_pushf(&g->want, "%s=%s", *p, v);
		else
			strvec_push(&g->want, *p);
	}
	return g;
}

/* The value of name in the NUL-separated environment text, or NULL. */
static const char *value_of(const struct strbuf *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text->buf; p < text->buf + text->len; p += strlen(p) + 1)
		if (!strncmp(p, name, n) && p[n] == '=')
			return p + n + 1;
	return NULL;
}

void env_guard_check(struct env_guard *g, pid_t pid)
{
	/* an exited process, or one that is going: nothing to compare */
	if (proc_read(&g->buf, "/proc/%d/environ", pid, 0) < 0 || !g->buf.len)
		return;
	for (size_t i = 0; i < g->want.n; i++) {
		const char *eq = strchr(g->want.v[i], '=');
		char *name;
		const char *now;
		char comm[20];

		if (g->noted & (1u << i))
			continue;	/* once per variable: the first process that shows it */
		name = eq ? xstrndup(g->want.v[i], eq - g->want.v[i]) : xstrdup(g->want.v[i]);
		now = value_of(&g->buf, name);
		if (eq ? !now || strcmp(now, eq + 1) : !!now) {
			proc_program_name(pid, comm, sizeof(comm));
			strvec_push_nodup(&g->found,
				xstrfmt("process %d (%s) runs with %s %s: a program that runs again with "
					"the checker's environment changed escapes racelab's options",
					(int)pid, comm, name, !now ? "removed" : eq ? "changed" : "added"));
			g->noted |= 1u << i;
		}
		free(name);
	}
}

void env_guard_free(struct env_guard *g)
{
	if (!g)
		return;
	strvec_clear(&g->want);
	strvec_clear(&g->found);
	strbuf_release(&g->buf);
	free(g);
}
