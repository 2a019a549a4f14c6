#include "diag.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct diag *diag_list_push(struct diag_list *l, const char *kind,
			    const char *tool_kind, const char *message)
{
	struct diag *d;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->kind = xstrdup(kind);
	d->tool_kind = dup_or_null(tool_kind);
	d->message = dup_or_null(message);
	d->cause = -1;
	return d;
}

/* A new zeroed frame at the end of the array *v of *n frames. */
static struct frame *push_frame(struct frame **v, size_t *n, size_t *alloc)
{
	struct frame *f;

	ALLOC_GROW(*v, *n + 1, *alloc);
	f = &(*v)[(*n)++];
	memset(f, 0, sizeof(*f));
	return f;
}

static void set_frame(struct frame *f, const char *function, const char *file,
		      int line, const char *srcdir)
{
	f->function = dup_or_null(function);
	f->line = line;
	if (!file || !*file)
		return;
	if (srcdir && *srcdir) {
		size_t n = strlen(srcdir);
		if (!strncmp(file, srcdir, n) && file[n] == '/') {
			f->file = xstrdup(file + n + 1);
			f->user = 1;
			return;
		}
		if (file[0] != '/' && strncmp(file, "../", 3)) {
			char *p = xstrfmt("%s/%s", srcdir, file);
			f->user = access(p, F_OK) == 0;
			free(p);
		}
	}
	f->file = xstrdup(file);
}

struct frame *diag_add_frame(struct diag *d, const char *function, const char *file,
			     int line, const char *srcdir)
{
	struct frame *f = push_frame(&d->frames, &d->nframes, &d->alloc_frames);

	set_frame(f, function, file, line, srcdir);
	return f;
}

struct related *diag_add_related(struct diag *d, const char *what)
{
	struct related *r;

	ALLOC_GROW(d->related, d->nrelated + 1, d->alloc_related);
	r = &d->related[d->nrelated++];
	memset(r, 0, sizeof(*r));
	r->what = xstrdup(what);
	return r;
}

struct frame *related_add_frame(struct related *r, const char *function, const char *file,
				int line, const char *srcdir)
{
	struct frame *f = push_frame(&r->frames, &r->nframes, &r->alloc_frames);

	set_frame(f, function, file, line, srcdir);
	return f;
}

void frame_set_module(struct frame *f, const char *module)
{
	const char *slash = module ? strrchr(module, '/') : NULL;

	free(f->module);
	f->module = module && *module ? xstrdup(slash ? slash + 1 : module) : NULL;
}

const struct frame *first_user_frame(const struct frame *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].user)
			return &v[i];
	return NULL;
}

const struct frame *diag_user_frame(const struct diag *d)
{
	return first_user_frame(d->frames, d->nframes);
}

void diag_copy_frames(struct diag *dst, const struct diag *src)
{
	for (size_t k = 0; k < src->nframes; k++) {
		const struct frame *f = &src->frames[k];
		struct frame *t = push_frame(&dst->frames, &dst->nframes, &dst->alloc_frames);

		t->function = dup_or_null(f->function);
		t->file = dup_or_null(f->file);
		t->module = dup_or_null(f->module);
		t->line = f->line;
		t->user = f->user;
	}
}

struct diag *diag_list_copy(struct diag_list *l, const struct diag *src, const char *tool_kind)
{
	struct diag *d = diag_list_push(l, src->kind, tool_kind ? tool_kind : src->tool_kind,
					src->message);

	d->frames_what = dup_or_null(src->frames_what);
	d->detail = dup_or_null(src->detail);
	diag_copy_frames(d, src);
	return d;
}

static void release_frames(struct frame *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].function);
		free(v[i].file);
		free(v[i].module);
	}
	free(v);
}

void diag_release(struct diag *d)
{
	release_frames(d->frames, d->nframes);
	for (size_t i = 0; i < d->nrelated; i++) {
		release_frames(d->related[i].frames, d->related[i].nframes);
		free(d->related[i].what);
	}
	free(d->related);
	free(d->kind);
	free(d->tool_kind);
	free(d->message);
	free(d->frames_what);
	free(d->detail);
}

void diag_list_clear(struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		diag_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

void diag_list_splice(struct diag_list *dst, struct diag_list *src)
{
	ALLOC_GROW(dst->v, dst->n + src->n, dst->alloc);
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	for (size_t i = 0; i < src->n; i++)
		if (dst->v[dst->n + i].cause >= 0)
			dst->v[dst->n + i].cause += (int)dst->n;
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = src->alloc = 0;
}

static int is_hex_word(const char *w, size_t n)
{
	if (n < 3 || w[0] != '0' || w[1] != 'x')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!isxdigit((unsigned char)w[i]))
			return 0;
	return 1;
}

char *message_without_addresses(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = s + len;

	while (s < end) {
		const char *w = s, *e;
		size_t n, hex;

		while (w < end && *w == ' ')
			w++;
		e = w;
		while (e < end && *e != ' ')
			e++;
		n = e - w;
		hex = n;
		while (hex && strchr(",.:;)", w[hex - 1]))
			hex--;
		if (is_hex_word(w, hex)) {
			if (sb.len >= 3 && !strcmp(sb.buf + sb.len - 3, " at"))
				strbuf_setlen(&sb, sb.len - 3);
			else if (sb.len == 2 && !strcmp(sb.buf, "at"))
				strbuf_reset(&sb);
			strbuf_add(&sb, w + hex, n - hex);
		} else if (n) {
			if (sb.len)
				strbuf_addch(&sb, ' ');
			strbuf_add(&sb, w, n);
		}
		s = e;
	}
	return strbuf_detach(&sb, NULL);
}

static const struct bug_kind kinds[] = {
	{ "data-race", "two threads touched the same memory, at least one wrote, and nothing ordered them" },
	{ "lock-order-inversion", "locks were taken in opposite orders: a potential deadlock" },
	{ "deadlock", "the program stopped: every thread waits for something that will never happen" },
	{ "livelock", "the threads keep running but the program makes no progress" },
	{ "timeout", "the program did not end in time and the watch could not say why" },
	{ "thread-leak", "a joinable thread was never joined" },
	{ "mutex-misuse", "a mutex was unlocked when not held, by the wrong thread, locked twice or destroyed while locked" },
	{ "cond-misuse", "a condition variable was used without holding its mutex, or with two mutexes" },
	{ "signal-unsafe", "a signal handler called a function that is not async-signal-safe" },
	{ "priority-inversion", "a high-priority thread waited for a lock held by a low-priority one while a medium one ran" },
	{ "heap-use-after-free", "heap memory was used after it was freed" },
	{ "double-free", "the same heap block was freed twice" },
	{ "heap-buffer-overflow", "an access went past the end (or start) of a heap block" },
	{ "stack-buffer-overflow", "an access went past the end (or start) of a stack array" },
	{ "stack-use-after-return", "a pointer to a function's local variable was used after the function returned" },
	{ "stack-use-after-scope", "a pointer to a local variable was used after its block ended" },
	{ "stack-overflow", "a thread ran out of stack, usually through deep or endless recursion" },
	{ "memory-leak", "heap memory was still allocated and unreachable at exit" },
	{ "undefined-behavior", "the program did something the C standard leaves undefined" },
	{ "zombie", "a child process ended and its parent never waited for it" },
	{ "orphan", "a process of the run was still alive after the program ended" },
	{ "fd-leak", "a file descriptor was left open that should have been closed" },
	{ "crash", "the program was killed by a signal" },
	{ "wrong-output", "the program's output, exit status or thread count was not what a correct program gives" },
	{ "build-error", "the program did not compile" },
	{ "serialized", "the fix gave up the concurrency the program must keep: its workers never ran at the same time" },
	{ "tamper", "the program attacked the checker instead of fixing the bug: it silenced, removed or forged a report" },
	{ "resource-limit", "the run went past a limit of its sandbox: memory, processes, disk or output" },
};

const struct bug_kind *bug_kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}
