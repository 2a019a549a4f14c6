#include "oracle.h"
#include "excerpt.h"
#include "strbuf.h"
#include "util.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* How many lines of the file match re (-1 when the regex does not compile). */
/*
 * Read line by line: a program may print hundreds of megabytes, and none
 * of it needs to be in memory at once. A line longer than LINE_MAX_KEPT
 * is matched on its first LINE_MAX_KEPT bytes.
 */
#define LINE_MAX_KEPT (1 << 20)

static int count_matches(const char *path, const char *re_text)
{
	regex_t re;
	FILE *f;
	char *buf;
	int n = 0, c;

	if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB))
		return -1;
	if (!(f = fopen(path, "re"))) {
		regfree(&re);
		return 0;
	}
	buf = xmalloc(LINE_MAX_KEPT + 1);
	while (fgets(buf, LINE_MAX_KEPT + 1, f)) {
		size_t len = strlen(buf);

		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		else	/* cut: skip the rest of the line */
			while ((c = getc(f)) != EOF && c != '\n')
				;
		n += len && !regexec(&re, buf, 0, NULL, 0);
	}
	fclose(f);
	free(buf);
	regfree(&re);
	return n;
}

/* The first OUTPUT_HEAD bytes of a program's output: all an excerpt shows. */
#define OUTPUT_HEAD (1 << 20)

static char *output_head(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = xmalloc(OUTPUT_HEAD + 1);
	*len = fread(buf, 1, OUTPUT_HEAD, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/*
 * Workers that never ran together: each joined before the next was
 * created, or none made at all. Counted by structure (created and not
 * yet joined or reaped, or detached and not yet ended), not by timing.
 */
static void serialized(struct result *res, const struct run_proc *p, int want)
{
	const char *who = p->prog->name ? p->prog->name : "the program";
	char *msg;

	if (!p->rw.peak)
		msg = xstrfmt("%s made no workers (threads or forked processes): at least %d must "
			      "run at the same time", who, want);
	else
		msg = xstrfmt("at most %d worker%s of %s %s alive at the same time (created and not "
			      "yet joined or reaped), at least %d expected: a worker joined before the next "
			      "is created never runs beside it", p->rw.peak, p->rw.peak == 1 ? "" : "s",
			      who, p->rw.peak == 1 ? "was" : "were", want);
	diag_list_push(&res->diags, "serialized", "rlwatch: concurrency", msg);
	free(msg);
}

/* Adds a wrong-output diagnostic when program p does not meet its oracle. */
void oracle_check(const struct run *r, struct result *res, const struct run_proc *p)
{
	const struct oracle *o = p->prog->oracle;
	int native = tool_observed(r->spec->tool);
	int st = p->cp.status, code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	struct strbuf why = STRBUF_INIT;
	/* A checker that reported something chose the exit status itself
	 * (TSan 66, Valgrind 99, ASan 1): only a quiet run's status is the program's.
	 * A server racelab stopped has no status of its own. */
	int own_exit = !p->stopped && (native || !p->prog->checked || !res->diags.n);

	if (o->stdout_re) {
		int want = o->count ? o->count : 1, n = count_matches(p->out, o->stdout_re);

		if (n == 0 && want == 1)
			strbuf_addf(&why, "no line of the output matches /%s/; ", o->stdout_re);
		else if (n >= 0 && n < want)
			strbuf_addf(&why, "%d line%s of the output match%s /%s/, at least %d expected; ",
				    n, n == 1 ? "" : "s", n == 1 ? "es" : "", o->stdout_re, want);
	}
	if (o->has_exit && own_exit && code != o->exit_code) {
		if (code >= 0)
			strbuf_addf(&why, "exit status %d, expected %d; ", code, o->exit_code);
		else
			strbuf_addf(&why, "no exit status (expected %d); ", o->exit_code);
	}
	/* Threads are counted by the native run's observer, per program. */
	if (native && o->threads > 0 && (p->rw.loaded || p->prog->role == ROLE_MAIN)) {
		int seen = p->rw.loaded ? p->rw.threads_created : watch_max_threads(r->watch) - 1;
		if (seen < o->threads)
			strbuf_addf(&why, "%d thread%s created, at least %d expected; ",
				    seen, seen == 1 ? "" : "s", o->threads);
	}
	/*
	 * Concurrency kept, seen by the plain native run's observer: workers
	 * alive together, and not taking turns at one lock held over their
	 * work. Not under noise, whose delays would count as work: the noise
	 * result gets the native run's verdict as its probe (scheduler.c).
	 */
	if (r->spec->tool->id == TOOL_NATIVE && o->concurrent > 0 && p->rw.loaded) {
		if (p->rw.peak < o->concurrent)
			serialized(res, p, o->concurrent);
		else
			serial_check(&p->rw.serial, p->rw.peak, o->concurrent, p->prog->name,
				     r->spec->srcdir, &res->diags);
	}
	if (why.len) {
		char *msg, *out;
		size_t len = 0;
		struct diag *d;

		strbuf_setlen(&why, why.len - 2);
		msg = xstrfmt("%s%s%s", p->prog->name ? p->prog->name : "",
			      p->prog->name ? ": " : "", why.buf);
		d = diag_list_push(&res->diags, "wrong-output", "oracle", msg);
		out = output_head(p->out, &len);
		d->detail = oracle_excerpt(o, out, len, own_exit ? code : -1);
		free(out);
		free(msg);
	}
	strbuf_release(&why);
}
