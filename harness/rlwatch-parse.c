/*
 * rlwatch_parse(): the event file librlwatch.so wrote (see
 * preload/rlwatch.c for the line formats) into counts and diagnostics.
 *
 * The file is written by the program's own processes, so it is input we
 * do not trust: every line is checked, unknown or malformed lines are
 * skipped (a newer preload may write more kinds), and nothing in it can
 * make us crash. Frames of all events are symbolized together, so that
 * each module costs one addr2line run.
 */
#include "rlwatch.h"
#include "strbuf.h"
#include "strvec.h"
#include "symbolize.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum event_type { EV_STACK_OVERFLOW, EV_INVERSION };

struct event {
	enum event_type type;
	char *message;
	char *line;		/* the raw line */
	size_t first, n;	/* its frames in the shared sym array */
	size_t count;		/* identical events folded into this one */
};

struct events {
	struct event *v;
	size_t n, alloc;
	struct sym *syms;
	size_t nsyms, alloc_syms;
};

static int parse_ulong(const char *s, int base, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, base);
	return errno || *end ? -1 : 0;
}

static int parse_id(const char *s, unsigned long *out)
{
	return parse_ulong(s, 10, out) || *out > 0x7fffffff ? -1 : 0;
}

/* "0x..." */
static int parse_addr(const char *s, unsigned long *out)
{
	return strncmp(s, "0x", 2) ? -1 : parse_ulong(s + 2, 16, out);
}

/* "key=TID:PRIO" */
static int parse_tid_prio(const char *value, unsigned long *tid, unsigned long *prio)
{
	const char *colon = strchr(value, ':');
	char *t;
	int ret;

	if (!colon)
		return -1;
	t = xstrndup(value, colon - value);
	ret = parse_id(t, tid) || parse_ulong(colon + 1, 10, prio) || *prio > 99 ? -1 : 0;
	free(t);
	return ret;
}

/* Frames are the tokens of the form MODULE+0xOFFSET; anything else is skipped. */
static void add_frames(struct events *ev, struct event *e, char *const *tok, size_t n)
{
	e->first = ev->nsyms;
	e->n = 0;
	for (size_t i = 0; i < n; i++) {
		struct sym s;
		if (sym_parse(tok[i], &s))
			continue;
		ALLOC_GROW(ev->syms, ev->nsyms + 1, ev->alloc_syms);
		ev->syms[ev->nsyms++] = s;
		e->n++;
	}
}

static struct event *event_new(struct events *ev, enum event_type type,
			       const char *line, char *message)
{
	struct event *e;

	ALLOC_GROW(ev->v, ev->n + 1, ev->alloc);
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->message = message;
	e->line = xstrdup(line);
	e->count = 1;
	return e;
}

/* stack-overflow PID TID ADDR FRAME... */
static void parse_stack_overflow(struct events *ev, const char *line, struct strvec *tok)
{
	unsigned long pid, tid, addr;
	struct event *e;
	char *msg;

	if (tok->n < 4 || parse_id(tok->v[1], &pid) || parse_id(tok->v[2], &tid) ||
	    parse_addr(tok->v[3], &addr))
		return;
	if (pid == tid)
		msg = xstrfmt("the main thread of process %lu ran out of stack "
			      "(fault at 0x%lx)", pid, addr);
	else
		msg = xstrfmt("thread %lu ran out of stack (fault at 0x%lx)", tid, addr);
	e = event_new(ev, EV_STACK_OVERFLOW, line, msg);
	add_frames(ev, e, tok->v + 4, tok->n - 4);
}

struct inversion {
	unsigned long waiter, waiter_prio, owner, owner_prio, runner, runner_prio;
	unsigned long wait_ms, ran_ms;
	int seen;		/* bit per required key */
};

static void inversion_key(struct inversion *inv, const char *tok)
{
	const char *eq = strchr(tok, '=');
	size_t klen;

	if (!eq)
		return;
	klen = eq - tok;
#define KEY(k) (klen == strlen(k) && !strncmp(tok, k, klen))
	if (KEY("waiter") && !parse_tid_prio(eq + 1, &inv->waiter, &inv->waiter_prio))
		inv->seen |= 1;
	else if (KEY("owner") && !parse_tid_prio(eq + 1, &inv->owner, &inv->owner_prio))
		inv->seen |= 2;
	else if (KEY("runner") && !parse_tid_prio(eq + 1, &inv->runner, &inv->runner_prio))
		inv->seen |= 4;
	else if (KEY("wait_ms") && !parse_ulong(eq + 1, 10, &inv->wait_ms))
		inv->seen |= 8;
	else if (KEY("ran_ms") && !parse_ulong(eq + 1, 10, &inv->ran_ms))
		inv->seen |= 16;
#undef KEY
}

/* priority-inversion PID key=value... FRAME... */
static void parse_inversion(struct events *ev, const char *line, struct strvec *tok)
{
	struct inversion inv = { 0 };
	unsigned long pid;
	struct event *e;
	char *msg;

	if (tok->n < 2 || parse_id(tok->v[1], &pid))
		return;
	for (size_t i = 2; i < tok->n; i++)
		inversion_key(&inv, tok->v[i]);
	if (inv.seen != 31)
		return;
	msg = xstrfmt("thread %lu (priority %lu) waited %lu ms for a lock held by "
		      "thread %lu (priority %lu) while thread %lu (priority %lu) ran %lu ms",
		      inv.waiter, inv.waiter_prio, inv.wait_ms, inv.owner,
		      inv.owner_prio, inv.runner, inv.runner_prio, inv.ran_ms);
	e = event_new(ev, EV_INVERSION, line, msg);
	add_frames(ev, e, tok->v + 2, tok->n - 2);
}

static void parse_line(struct events *ev, const char *line, struct rlwatch_info *info)
{
	struct strvec tok = STRVEC_INIT;
	unsigned long a, b;

	strvec_split(&tok, line);
	if (!tok.n)
		goto out;
	if (!strcmp(tok.v[0], "hello")) {
		if (tok.n == 2 && !parse_id(tok.v[1], &a))
			info->loaded = 1;
	} else if (!strcmp(tok.v[0], "thread")) {
		/* tid 0: counted by the creator before the thread ran */
		if (tok.n == 3 && !parse_id(tok.v[1], &a) && !parse_ulong(tok.v[2], 10, &b) &&
		    info->threads_created < 0x7fffffff)
			info->threads_created++;
	} else if (!strcmp(tok.v[0], "peak")) {
		if (tok.n == 3 && !parse_id(tok.v[1], &a) && !parse_ulong(tok.v[2], 10, &b) &&
		    b < 0x7fffffff && (int)b > info->peak)
			info->peak = (int)b;
	} else if (!strcmp(tok.v[0], "worker")) {
		if (!serial_line(&info->serial, &tok))
			info->workers++;
	} else if (!strcmp(tok.v[0], "stack-overflow")) {
		parse_stack_overflow(ev, line, &tok);
	} else if (!strcmp(tok.v[0], "priority-inversion")) {
		parse_inversion(ev, line, &tok);
	}
out:
	strvec_clear(&tok);
}

static int same_frames(const struct events *ev, const struct event *a, const struct event *b)
{
	if (a->type != b->type || a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct sym *x = &ev->syms[a->first + i], *y = &ev->syms[b->first + i];
		if (x->offset != y->offset || strcmp(x->module, y->module))
			return 0;
	}
	return 1;
}

static const char *tool_kind_of(enum event_type t)
{
	return t == EV_STACK_OVERFLOW ? "rlwatch: stack overflow" : "rlwatch: priority inversion";
}

static const char *kind_of(enum event_type t)
{
	return t == EV_STACK_OVERFLOW ? "stack-overflow" : "priority-inversion";
}

/*
 * Deep recursion repeats one frame over and over: consecutive identical
 * addresses are shown once.
 */
static void add_diag_frames(struct diag *d, const struct events *ev,
			    const struct event *e, const char *srcdir)
{
	for (size_t i = 0; i < e->n; i++) {
		const struct sym *s = &ev->syms[e->first + i];
		if (i && s->offset == s[-1].offset && !strcmp(s->module, s[-1].module))
			continue;
		frame_set_module(diag_add_frame(d, s->function, s->file ? s->file : s->module,
						s->line, srcdir), s->module);
	}
}

static int emit_diags(struct events *ev, const char *srcdir, struct diag_list *out)
{
	int added = 0;

	for (size_t i = 0; i < ev->n; i++) {
		struct event *e = &ev->v[i];
		size_t j;

		for (j = 0; j < i; j++)
			if (ev->v[j].count && same_frames(ev, &ev->v[j], e))
				break;
		if (j < i) {
			ev->v[j].count++;
			e->count = 0;
		}
	}
	for (size_t i = 0; i < ev->n; i++) {
		struct event *e = &ev->v[i];
		struct diag *d;
		char *msg;

		if (!e->count)
			continue;
		msg = e->count > 1 ? xstrfmt("%s (and %zu more times)", e->message, e->count - 1)
				   : xstrdup(e->message);
		d = diag_list_push(out, kind_of(e->type), tool_kind_of(e->type), msg);
		free(msg);
		add_diag_frames(d, ev, e, srcdir);
		added++;
	}
	return added;
}

static void events_release(struct events *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		free(ev->v[i].message);
		free(ev->v[i].line);
	}
	free(ev->v);
	for (size_t i = 0; i < ev->nsyms; i++)
		sym_release(&ev->syms[i]);
	free(ev->syms);
}

int rlwatch_parse(const char *text, size_t len, const char *srcdir, const char *key,
		  struct diag_list *out, struct rlwatch_info *info)
{
	size_t klen = key ? strlen(key) : 0;
	struct events ev = { 0 };
	struct rlwatch_info dummy;
	const char *p = text, *end = text + len;
	int added;

	memset(info ? info : &dummy, 0, sizeof(dummy));
	if (!text || !out)
		return -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = (nl ? nl : end) - p;
		/* A NUL inside a line makes it garbage, one without the key not the preload's. */
		if (!memchr(p, '\0', n) &&
		    (!key || (n > klen && !memcmp(p, key, klen) && p[klen] == ' '))) {
			char *line = xstrndup(p + (key ? klen + 1 : 0), n - (key ? klen + 1 : 0));
			parse_line(&ev, line, info ? info : &dummy);
			free(line);
		}
		p += n + 1;
	}
	symbolize(ev.syms, ev.nsyms);
	added = emit_diags(&ev, srcdir, out);
	events_release(&ev);
	if (!info)
		rlwatch_info_release(&dummy);
	return added;
}

void rlwatch_info_release(struct rlwatch_info *info)
{
	serial_release(&info->serial);
}
