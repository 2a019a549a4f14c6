/*
 * Workers serialized by one lock (see serial.h for the rule), from the
 * preload's worker lines. The lines come from the program's own
 * processes: every word is checked, a malformed line is dropped, and at
 * most MAX_WORKERS are kept.
 */
#include "serial.h"
#include "strbuf.h"
#include "symbolize.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKERS 4096

static int number(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int id(const char *s, unsigned long *out)
{
	unsigned long long v;

	if (number(s, &v) || v > 0x7fffffff)
		return -1;
	*out = v;
	return 0;
}

/* worker PID TID life=NS wait=NS wait_cpu=NS cpu=NS clock=NS hold=NS hold_cpu=NS taken=N lock_wait=NS condwait=B [lock=L at=F] */
int serial_line(struct serial *s, const struct strvec *tok)
{
	static const char *const keys[] = { "life", "wait", "wait_cpu", "cpu", "clock", "hold",
					    "hold_cpu", "lock_wait", "condwait" };
	struct serial_worker w = { 0 };
	unsigned long long condwait = 0;
	unsigned long long *dst[] = { &w.life, &w.wait, &w.wait_cpu, &w.cpu, &w.clock, &w.hold,
				      &w.hold_cpu, &w.lock_wait, &condwait };
	unsigned seen = 0;

	if (tok->n < 3 || s->n >= MAX_WORKERS || id(tok->v[1], &w.pid) || id(tok->v[2], &w.tid))
		return -1;
	for (size_t i = 3; i < tok->n; i++) {
		const char *word = tok->v[i], *eq = strchr(word, '=');
		size_t klen = eq ? (size_t)(eq - word) : 0;

		if (!eq)
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			if (klen == strlen(keys[k]) && !strncmp(word, keys[k], klen) &&
			    !number(eq + 1, dst[k]))
				seen |= 1u << k;
		if (klen == 4 && !strncmp(word, "lock", 4) && !w.lock && eq[1])
			w.lock = xstrdup(eq + 1);
		else if (klen == 2 && !strncmp(word, "at", 2) && !w.at && eq[1])
			w.at = xstrdup(eq + 1);
	}
	if (seen != (1u << 9) - 1 || condwait > 1 || !w.lock != !w.at) {
		free(w.lock);
		free(w.at);
		return -1;
	}
	w.condwait = (int)condwait;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = w;
	return 0;
}

static unsigned long long at_most(unsigned long long a, unsigned long long b)
{
	return a < b ? a : b;
}

static unsigned long long less(unsigned long long a, unsigned long long b)
{
	return a > b ? a - b : 0;
}

unsigned serial_hold_share(const struct serial_worker *w, unsigned long long clock)
{
	unsigned long long hold, outside;

	if (!w->lock || w->condwait || !w->hold_cpu)
		return 0;
	/* CPU time used in a stretch of wall time is at most that stretch. */
	hold = less(at_most(w->hold_cpu, w->hold), clock);
	outside = at_most(less(less(w->cpu, w->hold_cpu), w->wait_cpu),
			  less(less(w->life, w->hold), w->wait));
	outside = less(outside, 2 * clock);
	return hold + outside ? (unsigned)(hold * 100 / (hold + outside)) : 0;
}

/* One reading of the CPU clock: the least any worker of the process measured. */
static unsigned long long clock_of(const struct serial *s, unsigned long pid)
{
	unsigned long long c = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].pid == pid && (!c || s->v[i].clock < c))
			c = s->v[i].clock;
	return c;
}

static int same_lock(const struct serial_worker *a, const struct serial_worker *b)
{
	return a->pid == b->pid && a->lock && b->lock && !strcmp(a->lock, b->lock);
}

static int by_value(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The median hold share of the workers whose longest hold is of w's lock; their number in *members. */
static unsigned median_share(const struct serial *s, const struct serial_worker *w, size_t *members)
{
	unsigned *v = xcalloc(s->n, sizeof(*v)), m;
	unsigned long long clock = clock_of(s, w->pid);
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		if (same_lock(w, &s->v[i]))
			v[n++] = serial_hold_share(&s->v[i], clock);
	qsort(v, n, sizeof(*v), by_value);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	*members = n;
	return m;
}

/* Worker number n of its process: its rank by thread id (the kernel numbers threads as they are made). */
static int worker_number(const struct serial *s, const struct serial_worker *w)
{
	int n = 1;

	for (size_t i = 0; i < s->n; i++)
		n += s->v[i].pid == w->pid && s->v[i].tid < w->tid;
	return n;
}

static unsigned percent(unsigned long long part, unsigned long long whole)
{
	unsigned long long p = whole ? part * 100 / whole : 0;

	return p > 100 ? 100 : (unsigned)p;
}

/* "counter.c:52", or what is known of the place. */
static void add_place(struct strbuf *sb, const struct sym *at, const char *srcdir)
{
	size_t n = srcdir ? strlen(srcdir) : 0;
	const char *file = at->file;

	if (file && n && !strncmp(file, srcdir, n) && file[n] == '/')
		file += n + 1;
	if (file && at->line)
		strbuf_addf(sb, "%s:%d", file, at->line);
	else
		strbuf_addstr(sb, "an unknown line");
}

static void explain(const struct serial *s, const struct serial_worker *first, size_t members,
		    const char *program, const char *srcdir, struct diag_list *out)
{
	struct sym lock = { 0 }, at = { 0 };
	const struct serial_worker *waited = NULL;
	struct strbuf msg = STRBUF_INIT, name = STRBUF_INIT;
	size_t workers = 0;
	struct diag *d;

	for (size_t i = 0; i < s->n; i++) {
		const struct serial_worker *w = &s->v[i];

		workers += w->pid == first->pid;
		if (same_lock(first, w))
			if (!waited || percent(w->lock_wait, w->life) > percent(waited->lock_wait, waited->life))
				waited = w;
	}
	if (!sym_parse(first->lock, &lock))
		symbolize_data(&lock, 1);
	if (!sym_parse(first->at, &at))
		symbolize(&at, 1);
	if (lock.function)
		strbuf_addstr(&name, lock.function);
	else
		strbuf_addf(&name, "the mutex at %s", first->lock);
	if (program)
		strbuf_addf(&msg, "%s: ", program);
	if (members == workers)
		strbuf_addf(&msg, "the %zu workers never ran at the same time", members);
	else
		strbuf_addf(&msg, "%zu of the %zu workers never ran at the same time", members, workers);
	strbuf_addf(&msg, ": each did its whole work holding %s (", name.buf);
	add_place(&msg, &at, srcdir);
	strbuf_addstr(&msg, "), one after another");
	if (percent(waited->lock_wait, waited->life))
		strbuf_addf(&msg, "; worker %d waited %u %% of its life for %s",
			    worker_number(s, waited), percent(waited->lock_wait, waited->life), name.buf);
	d = diag_list_push(out, "serialized", "rlwatch: concurrency", msg.buf);
	if (at.module) {
		frame_set_module(diag_add_frame(d, at.function, at.file ? at.file : at.module,
						at.line, srcdir), at.module);
		d->frames_what = xstrfmt("%s taken here and held over the whole work", name.buf);
	}
	sym_release(&lock);
	sym_release(&at);
	strbuf_release(&msg);
	strbuf_release(&name);
}

size_t serial_check(const struct serial *s, int peak, int want, const char *program,
		    const char *srcdir, struct diag_list *out)
{
	const struct serial_worker *best = NULL;
	size_t most = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct serial_worker *w = &s->v[i];
		size_t members;

		if (!w->lock || median_share(s, w, &members) < SERIAL_HOLD_PCT || members < 2)
			continue;
		if (members > most) {
			most = members;
			best = w;
		}
	}
	if (most < 2)
		return 0;
	if (want > 0 && (long)peak - (long)most + 1 < want)
		explain(s, best, most, program, srcdir, out);
	return most;
}

void serial_release(struct serial *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].lock);
		free(s->v[i].at);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}
