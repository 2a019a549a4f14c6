/*
 * The Valgrind XML parser (protocol 4, Valgrind 3.19): Helgrind, DRD and
 * Memcheck errors and the fatal signal, read with expat (see parse.h).
 *
 * An error's first <stack> is its main stack; every later one is a related
 * stack, named by the <auxwhat> or <xauxwhat> text just before it ("This
 * conflicts with a previous write of size 4 by thread #2", "Address .. is
 * 12 bytes inside a block of size 40 free'd", "Block was alloc'd at") or
 * by the element around it (DRD's <other_segment_start>, <other_segment_end>,
 * <allocation_context> and <first_observed_at>), tidied as the sanitizer
 * parser tidies its headers. Helgrind announces each thread it will name
 * once per document (<announcethread>, before the first error naming it);
 * every thread an error's texts name (<hthreadid>) with an announced
 * creation stack adds "thread #N created at".
 *
 * Only the text up to the first </valgrindoutput> is parsed: with
 * --trace-children a forked child may append to the same file. A document
 * cut short (the run was SIGKILLed while Valgrind wrote it) yields every
 * <error> completely read before the cut.
 *
 * Mapping choices beyond the obvious ones (the vocabulary, docs/design.md):
 * - Helgrind Misc warnings about condition variables are cond-misuse; any
 *   other Misc warning (re-lock, exit holding a lock, destroy of a locked
 *   mutex or rwlock, barrier misuse) is pthread API misuse: mutex-misuse.
 * - DRD SemaphoreErr, BarrierErr, GenericErr and InvalidThreadId are
 *   mutex-misuse for the same reason; HoldtimeErr (a lock held longer than
 *   a threshold) and the Unimp*ClReq kinds are not bugs and are skipped.
 * - Memcheck InvalidRead/InvalidWrite is heap-use-after-free when the
 *   block was free'd, heap-buffer-overflow when the address is just before
 *   or after a heap block, and undefined-behavior otherwise (no stack or
 *   crash kind is claimed without evidence). InvalidFree of a free'd block
 *   is double-free; other bad frees, Mismatched frees, uninitialised
 *   values, bad syscall params and overlaps are undefined-behavior.
 * - A leak whose allocation stack goes through pthread_create is the
 *   thread descriptor of a never-joined thread: thread-leak. Still
 *   reachable blocks are not leaks.
 * - A SIGSEGV whose stack shows recursion (8 identical innermost
 *   functions), or a single frame, is stack-overflow: the XML never says
 *   "Stack overflow", and Valgrind's unwinder stops at the guard page of
 *   an overflowed stack, where a crash elsewhere unwinds to start_thread
 *   or main. Any other fatal signal is a crash.
 * - When racelab killed the run (ctx->killed) with SIGTERM or SIGKILL, the
 *   fatal signal is not reported, nor any error after it: the kill itself
 *   makes Helgrind report "Exiting thread still holds 1 lock".
 */
#include "parse.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <expat.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define RECURSION_FRAMES 8

struct vg_frame {
	struct strbuf fn, dir, file, obj;
	int line;
};

struct vg_stack {
	char *what;		/* what names it; NULL for the main stack */
	struct vg_frame *frames;
	size_t nframes, alloc;
};

/* One <error>, <fatal_signal>, <announcethread> or top-level <stack> being read. */
struct vg_item {
	struct strbuf kind, what, aux;
	struct vg_stack *stacks;	/* stacks[0] is the main stack */
	size_t nstacks, alloc_stacks;
	char *label;		/* names the next stack; NULL when nothing does */
	int *threads;		/* Helgrind thread numbers the texts name, in order */
	size_t nthreads, alloc_threads;
	int thread;		/* <announcethread>: the thread's number */
	int signo;
	struct strbuf signame, event;
};

/* A thread Helgrind announced, and where it was created. */
struct vg_thread {
	int id;
	struct vg_stack created;
};

struct vg_state {
	const struct parse_ctx *ctx;
	struct diag_list out;
	struct vg_info *info;
	XML_Parser parser;
	struct strbuf text;	/* character data of the current element */
	const char **path;	/* open element names, path[0] = root */
	size_t depth, alloc_path;
	struct vg_item item;
	int in_item;		/* an enum item_type, 0 outside one */
	int fd_stacks;		/* collect the top-level stacks (--track-fds), not errors */
	int tool;		/* 'h'elgrind, 'd'rd, 'm'emcheck, 0 unknown */
	int root_seen;
	int killed_here;	/* the kill's fatal signal was seen: drop later errors */
	struct vg_thread *threads;	/* announced so far in this document */
	size_t nthreads, alloc_threads;
};

enum item_type { IT_ERROR = 1, IT_FATAL_SIGNAL, IT_FD_STACK, IT_THREAD };

static void stack_release(struct vg_stack *s)
{
	for (size_t i = 0; i < s->nframes; i++) {
		strbuf_release(&s->frames[i].fn);
		strbuf_release(&s->frames[i].dir);
		strbuf_release(&s->frames[i].file);
		strbuf_release(&s->frames[i].obj);
	}
	free(s->frames);
	free(s->what);
	memset(s, 0, sizeof(*s));
}

static void item_release(struct vg_item *it)
{
	for (size_t i = 0; i < it->nstacks; i++)
		stack_release(&it->stacks[i]);
	free(it->stacks);
	free(it->label);
	free(it->threads);
	strbuf_release(&it->kind);
	strbuf_release(&it->what);
	strbuf_release(&it->aux);
	strbuf_release(&it->signame);
	strbuf_release(&it->event);
	memset(it, 0, sizeof(*it));
}

static void item_reset(struct vg_item *it)
{
	item_release(it);
	strbuf_init(&it->kind, 0);
	strbuf_init(&it->what, 0);
	strbuf_init(&it->aux, 0);
	strbuf_init(&it->signame, 0);
	strbuf_init(&it->event, 0);
}

/* The main stack, or NULL when the item has none. */
static const struct vg_stack *main_stack(const struct vg_item *it)
{
	return it->nstacks ? &it->stacks[0] : NULL;
}

static const char *parent(const struct vg_state *st, size_t up)
{
	return st->depth > up ? st->path[st->depth - 1 - up] : "";
}

static int is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static void set_label(struct vg_item *it, char *label)
{
	free(it->label);
	it->label = label;
}

static struct vg_stack *push_stack(struct vg_item *it, char *what)
{
	struct vg_stack *s;

	ALLOC_GROW(it->stacks, it->nstacks + 1, it->alloc_stacks);
	s = &it->stacks[it->nstacks++];
	memset(s, 0, sizeof(*s));
	s->what = what;
	return s;
}

/* A <stack> opens: the item's main stack, or a related one the label names. */
static void start_stack(struct vg_state *st)
{
	struct vg_item *it = &st->item;
	int direct = st->depth == (st->in_item == IT_FD_STACK ? 2 : 3);

	if (!it->nstacks && direct) {
		push_stack(it, NULL);
		return;
	}
	if (!it->nstacks)
		push_stack(it, NULL);	/* a nested stack first: the main one is empty */
	push_stack(it, it->label ? it->label : xstrdup("also at"));
	it->label = NULL;
}

static void start_frame(struct vg_item *it)
{
	struct vg_stack *s = &it->stacks[it->nstacks - 1];
	struct vg_frame *f;

	ALLOC_GROW(s->frames, s->nframes + 1, s->alloc);
	f = &s->frames[s->nframes++];
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->fn, 0);
	strbuf_init(&f->dir, 0);
	strbuf_init(&f->file, 0);
	strbuf_init(&f->obj, 0);
}

/* DRD's elements around a related stack, and what each names. */
static const char *wrapper_label(const char *name)
{
	if (is(name, "other_segment_start"))
		return "other segment start";
	if (is(name, "other_segment_end"))
		return "other segment end";
	if (is(name, "allocation_context"))
		return "allocation context";
	return NULL;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct vg_state *st = data;
	const char *up = st->depth ? st->path[st->depth - 1] : "";

	ALLOC_GROW(st->path, st->depth + 1, st->alloc_path);
	st->path[st->depth++] = xstrdup(name);
	strbuf_reset(&st->text);
	if (st->depth == 1) {
		st->root_seen = is(name, "valgrindoutput");
	} else if (st->depth == 2 && (is(name, "error") || is(name, "fatal_signal") ||
				      is(name, "announcethread"))) {
		item_reset(&st->item);
		st->in_item = is(name, "error") ? IT_ERROR :
			is(name, "fatal_signal") ? IT_FATAL_SIGNAL : IT_THREAD;
	} else if (st->depth == 2 && st->fd_stacks && is(name, "stack")) {
		item_reset(&st->item);
		st->in_item = IT_FD_STACK;
		start_stack(st);
	} else if (st->in_item && is(name, "stack")) {
		start_stack(st);
	} else if (st->in_item && is(name, "frame") && is(up, "stack")) {
		start_frame(&st->item);
	} else if (st->in_item && wrapper_label(name)) {
		set_label(&st->item, xstrdup(wrapper_label(name)));
	}
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct vg_state *st = data;

	strbuf_add(&st->text, s, len);
}

/* Append the one-line text of t to sb, separated by a space. */
static void add_words(struct strbuf *sb, const struct strbuf *t)
{
	const char *p = t->buf;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (!*p)
		return;
	if (sb->len)
		strbuf_addch(sb, ' ');
	for (; *p; p++)
		strbuf_addch(sb, isspace((unsigned char)*p) ? ' ' : *p);
	strbuf_rtrim(sb);
}

static const char *helgrind_kind(const char *kind, const char *what)
{
	if (is(kind, "Race"))
		return "data-race";
	if (is(kind, "LockOrder"))
		return "lock-order-inversion";
	if (is(kind, "Dubious") || (is(kind, "Misc") && strstr(what, "pthread_cond_")))
		return "cond-misuse";
	return "mutex-misuse";
}

static const char *drd_kind(const char *kind)
{
	if (is(kind, "ConflictingAccess"))
		return "data-race";
	if (is(kind, "CondErr") || is(kind, "CondRaceErr") || is(kind, "CondWaitErr") ||
	    is(kind, "CondDestrErr"))
		return "cond-misuse";
	if (is(kind, "HoldtimeErr") || !strncmp(kind, "Unimp", 5))
		return NULL;
	return "mutex-misuse";
}

static int through_pthread_create(const struct vg_item *it)
{
	const struct vg_stack *s = main_stack(it);

	for (size_t i = 0; s && i < s->nframes; i++)
		if (!strncmp(s->frames[i].fn.buf, "pthread_create", 14))
			return 1;
	return 0;
}

/* "... inside a block of size 40 free'd", not "not stack'd, malloc'd or (recently) free'd" */
static int freed_block(const char *aux)
{
	const char *b = strstr(aux, " a block of size ");

	return b && strstr(b, " free'd");
}

static const char *memcheck_kind(const struct vg_item *it)
{
	const char *kind = it->kind.buf, *aux = it->aux.buf;

	if (!strncmp(kind, "Leak_", 5)) {
		if (is(kind, "Leak_StillReachable"))
			return NULL;
		return through_pthread_create(it) ? "thread-leak" : "memory-leak";
	}
	if (is(kind, "InvalidRead") || is(kind, "InvalidWrite")) {
		if (freed_block(aux))
			return "heap-use-after-free";
		if (strstr(aux, "bytes after a block") || strstr(aux, "bytes before a block"))
			return "heap-buffer-overflow";
		return "undefined-behavior";
	}
	if (is(kind, "InvalidFree") && freed_block(aux))
		return "double-free";
	if (is(kind, "FdNotClosed"))
		return "fd-leak";
	return "undefined-behavior";
}

/* Memcheck's " in loss record 2 of 3" goes too: it numbers leaks by size. */
static char *tidy_message(const char *s)
{
	const char *loss = strstr(s, " in loss record ");

	return message_without_addresses(s, loss ? (size_t)(loss - s) : strlen(s));
}

/* Add the frames of s with add() (to a diagnostic's main stack or a related one). */
static void add_frames(struct vg_state *st, const struct vg_stack *s, void *to,
		       struct frame *(*add)(void *to, const char *fn, const char *file,
					   int line, const char *srcdir))
{
	struct strbuf path = STRBUF_INIT;

	for (size_t i = 0; s && i < s->nframes; i++) {
		const struct vg_frame *f = &s->frames[i];
		struct frame *df;

		strbuf_reset(&path);
		if (f->dir.len && f->file.len && f->file.buf[0] != '/')
			strbuf_addf(&path, "%s/%s", f->dir.buf, f->file.buf);
		else
			strbuf_addstr(&path, f->file.buf);
		df = add(to, f->fn.len ? f->fn.buf : NULL, path.len ? path.buf : NULL,
			 f->line, st->ctx->srcdir);
		frame_set_module(df, f->obj.buf);
	}
	strbuf_release(&path);
}

static struct frame *to_diag(void *d, const char *fn, const char *file, int line,
			     const char *srcdir)
{
	return diag_add_frame(d, fn, file, line, srcdir);
}

static struct frame *to_related(void *r, const char *fn, const char *file, int line,
				const char *srcdir)
{
	return related_add_frame(r, fn, file, line, srcdir);
}

static void add_related(struct vg_state *st, struct diag *d, const char *what,
			const struct vg_stack *s)
{
	add_frames(st, s, diag_add_related(d, what), to_related);
}

/* An error's diagnostic: its main stack, the related ones, the threads it names. */
static void push_diag(struct vg_state *st, const char *kind, const char *msg)
{
	const struct vg_item *it = &st->item;
	struct diag *d = diag_list_push(&st->out, kind, it->kind.buf, msg);

	add_frames(st, main_stack(it), d, to_diag);
	for (size_t i = 1; i < it->nstacks; i++)
		add_related(st, d, it->stacks[i].what, &it->stacks[i]);
	for (size_t i = 0; i < it->nthreads; i++) {
		int seen = 0;

		for (size_t k = 0; k < i; k++)
			seen |= it->threads[k] == it->threads[i];
		for (size_t k = 0; k < st->nthreads && !seen; k++) {
			if (st->threads[k].id == it->threads[i] && st->threads[k].created.nframes) {
				char *what = xstrfmt("thread #%d created at", it->threads[i]);

				add_related(st, d, what, &st->threads[k].created);
				free(what);
				break;
			}
		}
	}
}

/*
 * Helgrind's "Block was alloc'd by thread #1" comes after the block's
 * stack, with no stack of its own: it names who allocated the block.
 */
static void name_allocator(struct vg_item *it)
{
	static const char prefix[] = "block was alloc'd by ";
	struct vg_stack *s = it->nstacks > 1 ? &it->stacks[it->nstacks - 1] : NULL;
	size_t n = s ? strlen(s->what) : 0;
	char *what;

	if (!s || !it->label || strncmp(it->label, prefix, sizeof(prefix) - 1) ||
	    n < 7 || strcmp(s->what + n - 7, "alloc'd"))
		return;
	what = xstrfmt("%s by %s", s->what, it->label + sizeof(prefix) - 1);
	free(s->what);
	s->what = what;
}

static void end_error(struct vg_state *st)
{
	struct vg_item *it = &st->item;
	const char *kind;
	char *msg;

	st->info->nerrors++;
	if (st->killed_here)
		return;
	switch (st->tool) {
	case 'h': kind = helgrind_kind(it->kind.buf, it->what.buf); break;
	case 'd': kind = drd_kind(it->kind.buf); break;
	case 'm': kind = memcheck_kind(it); break;
	default: kind = "undefined-behavior"; break;
	}
	if (!kind)
		return;
	name_allocator(it);
	msg = tidy_message(it->what.buf);
	push_diag(st, kind, msg);
	free(msg);
}

static int looks_recursive(const struct vg_item *it)
{
	const struct vg_stack *s = main_stack(it);
	size_t same = 1;

	if (!s)
		return 0;
	/* Valgrind stops unwinding at a thread's guard page, so an overflowing
	 * thread often shows one frame; the guard page is mapped without
	 * permissions, while a wild or NULL access is "not within mapped region". */
	if (s->nframes == 1 && strstr(it->event.buf, "Bad permissions"))
		return 1;
	while (same < s->nframes && s->frames[same].fn.len &&
	       is(s->frames[same].fn.buf, s->frames[0].fn.buf))
		same++;
	return same >= RECURSION_FRAMES;
}

static void end_fatal_signal(struct vg_state *st)
{
	struct vg_item *it = &st->item;
	const char *kind = "crash";
	struct strbuf msg = STRBUF_INIT;

	st->info->fatal_signal = it->signo;
	/*
	 * racelab's kill stops every process of the run at once; their XML can
	 * interleave in one file (a forked child writes into its parent's), so
	 * after a kill no fatal signal is the program's own.
	 */
	if (st->ctx->killed) {
		st->killed_here = 1;
		return;
	}
	if (it->signo == SIGSEGV && looks_recursive(it))
		kind = "stack-overflow";
	strbuf_addf(&msg, "killed by %s", it->signame.len ? it->signame.buf : "a signal");
	if (it->event.len)
		strbuf_addf(&msg, ": %s", it->event.buf);
	add_frames(st, main_stack(it), diag_list_push(&st->out, kind, it->signame.buf, msg.buf),
		   to_diag);
	strbuf_release(&msg);
}

/* Keep an announced thread's creation stack for the errors that name it. */
static void end_thread(struct vg_state *st)
{
	struct vg_item *it = &st->item;
	struct vg_thread *t;

	ALLOC_GROW(st->threads, st->nthreads + 1, st->alloc_threads);
	t = &st->threads[st->nthreads++];
	memset(t, 0, sizeof(*t));
	t->id = it->thread;
	if (it->nstacks) {
		t->created = it->stacks[0];	/* moved: the item forgets it */
		memmove(it->stacks, it->stacks + 1, --it->nstacks * sizeof(*it->stacks));
	}
}

/*
 * "This conflicts with a previous write of size 4 by thread #2" ->
 * "previous write of size 4 by thread #2"; "Address 0x4a4204c is 12 bytes
 * inside a block of size 40 free'd" -> "address is 12 bytes inside a
 * block of size 40 free'd". Addresses and a final period go, and the
 * capital of the first word.
 */
static char *tidy_label(const char *text)
{
	static const char conflicts[] = "This conflicts with a ";
	char *s;
	size_t n;

	if (!strncmp(text, conflicts, sizeof(conflicts) - 1))
		text += sizeof(conflicts) - 1;
	s = message_without_addresses(text, strlen(text));
	n = strlen(s);
	while (n && strchr(".: ", s[n - 1]))
		s[--n] = '\0';
	if (isupper((unsigned char)s[0]) && islower((unsigned char)s[1]))
		s[0] = tolower((unsigned char)s[0]);
	return s;
}

static void add_thread_ref(struct vg_item *it, const char *text)
{
	ALLOC_GROW(it->threads, it->nthreads + 1, it->alloc_threads);
	it->threads[it->nthreads++] = atoi(text);
}

static void end_frame_field(struct vg_item *it, const char *name, const struct strbuf *text)
{
	struct vg_stack *s = &it->stacks[it->nstacks - 1];
	struct vg_frame *f = &s->frames[s->nframes - 1];

	if (is(name, "fn"))
		add_words(&f->fn, text);
	else if (is(name, "dir"))
		add_words(&f->dir, text);
	else if (is(name, "file"))
		add_words(&f->file, text);
	else if (is(name, "obj"))
		add_words(&f->obj, text);
	else if (is(name, "line"))
		f->line = atoi(text->buf);
}

static void end_item_field(struct vg_state *st, const char *name)
{
	struct vg_item *it = &st->item;
	const char *up = parent(st, 1);

	if (is(up, "frame") && is(parent(st, 2), "stack")) {
		end_frame_field(it, name, &st->text);
	} else if (st->in_item == IT_FD_STACK) {
		return;
	} else if (st->depth == 3) {
		if (is(name, "kind")) {
			add_words(&it->kind, &st->text);
		} else if (is(name, "what")) {
			add_words(&it->what, &st->text);
		} else if (is(name, "auxwhat")) {
			add_words(&it->aux, &st->text);
			set_label(it, tidy_label(st->text.buf));
		} else if (is(name, "signo")) {
			it->signo = atoi(st->text.buf);
		} else if (is(name, "signame")) {
			add_words(&it->signame, &st->text);
		} else if (is(name, "event")) {
			add_words(&it->event, &st->text);
		} else if (is(name, "hthreadid")) {
			it->thread = atoi(st->text.buf);	/* <announcethread> */
		} else if (wrapper_label(name) || is(name, "first_observed_at")) {
			set_label(it, NULL);	/* a wrapper without a stack names nothing */
		}
	} else if (st->depth == 4 && is(name, "text")) {
		if (is(up, "xwhat")) {
			add_words(&it->what, &st->text);
		} else if (is(up, "xauxwhat")) {
			add_words(&it->aux, &st->text);
			set_label(it, tidy_label(st->text.buf));
		}
	} else if (st->depth == 4 && is(name, "hthreadid") && (is(up, "xwhat") || is(up, "xauxwhat"))) {
		add_thread_ref(it, st->text.buf);
	} else if (st->depth == 4 && is(name, "what") && is(up, "first_observed_at")) {
		struct strbuf w = STRBUF_INIT;

		add_words(&w, &st->text);
		set_label(it, xstrfmt("%s was first observed at", w.buf));
		strbuf_release(&w);
	}
}

static void end_top_field(struct vg_state *st, const char *name)
{
	if (st->depth == 2 && is(name, "pid")) {
		st->info->pid = atoi(st->text.buf);
	} else if (st->depth == 2 && is(name, "ppid")) {
		st->info->ppid = atoi(st->text.buf);
	} else if (st->depth == 2 && is(name, "protocoltool")) {
		if (strstr(st->text.buf, "helgrind"))
			st->tool = 'h';
		else if (strstr(st->text.buf, "drd"))
			st->tool = 'd';
		else if (strstr(st->text.buf, "memcheck"))
			st->tool = 'm';
	} else if (st->depth == 3 && is(name, "state") && is(parent(st, 1), "status")) {
		if (strstr(st->text.buf, "FINISHED"))
			st->info->finished = 1;
	}
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct vg_state *st = data;

	if (st->in_item && st->depth == 2) {
		if (st->in_item == IT_FD_STACK)
			add_frames(st, main_stack(&st->item),
				   diag_list_push(&st->out, "fd-leak", "FdNotClosed", NULL), to_diag);
		else if (st->in_item == IT_THREAD)
			end_thread(st);
		else if (st->fd_stacks)
			;	/* errors are read by parse_valgrind_xml() */
		else if (st->in_item == IT_ERROR)
			end_error(st);
		else
			end_fatal_signal(st);
		st->in_item = 0;
	} else if (st->in_item) {
		end_item_field(st, name);
	} else {
		end_top_field(st, name);
	}
	strbuf_reset(&st->text);
	free((char *)st->path[--st->depth]);
}

/* Up to and including the first </valgrindoutput>: a child may append more. */
static size_t document_length(const char *text, size_t len)
{
	static const char tag[] = "</valgrindoutput>";
	const char *end = memmem(text, len, tag, sizeof(tag) - 1);

	return end ? (size_t)(end - text) + sizeof(tag) - 1 : len;
}

static int parse_xml(const char *text, size_t len, const struct parse_ctx *ctx,
		     struct diag_list *out, struct vg_info *info, int fd_stacks)
{
	struct vg_state st = { .ctx = ctx, .info = info, .out = DIAG_LIST_INIT, .fd_stacks = fd_stacks };
	size_t n = document_length(text, len);
	int ok, ret;

	memset(info, 0, sizeof(*info));
	if (n > INT_MAX)
		return error("valgrind XML too large: %zu bytes", n);
	strbuf_init(&st.text, 0);
	item_reset(&st.item);
	st.parser = XML_ParserCreate(NULL);
	if (!st.parser)
		die("out of memory creating an XML parser");
	XML_SetUserData(st.parser, &st);
	XML_SetElementHandler(st.parser, on_start, on_end);
	XML_SetCharacterDataHandler(st.parser, on_text);
	ok = XML_Parse(st.parser, text, (int)n, 1) == XML_STATUS_OK;
	XML_ParserFree(st.parser);

	/* A cut document keeps what was complete; garbage keeps nothing. */
	if (!ok && !st.root_seen) {
		diag_list_clear(&st.out);
		ret = -1;
	} else {
		ret = (int)st.out.n;
		diag_list_splice(out, &st.out);
	}
	while (st.depth)
		free((char *)st.path[--st.depth]);
	free(st.path);
	for (size_t i = 0; i < st.nthreads; i++)
		stack_release(&st.threads[i].created);
	free(st.threads);
	item_release(&st.item);
	strbuf_release(&st.text);
	return ret;
}

int parse_valgrind_xml(const char *text, size_t len, const struct parse_ctx *ctx,
		       struct diag_list *out, struct vg_info *info)
{
	return parse_xml(text, len, ctx, out, info, 0);
}

int valgrind_fd_stacks(const char *text, size_t len, const struct parse_ctx *ctx,
		       struct diag_list *stacks)
{
	struct vg_info info;

	return parse_xml(text, len, ctx, stacks, &info, 1);
}

size_t valgrind_split_docs(const char *text, size_t len, struct strvec *docs)
{
	static const char open_tag[] = "<?xml", close_tag[] = "</valgrindoutput>";
	struct strbuf rest = STRBUF_INIT;
	size_t n = 0;

	strbuf_add(&rest, text, len);
	for (;;) {
		char *end = strstr(rest.buf, close_tag), *start = NULL, *p;

		if (!end)
			break;
		/* The innermost document that closes first: the last start before it. */
		for (p = strstr(rest.buf + 1, open_tag); p && p < end; p = strstr(p + 1, open_tag))
			start = p;
		if (!start)
			break;		/* the outer document closes: it is what is left */
		end += strlen(close_tag);
		strvec_push_nodup(docs, xstrndup(start, (size_t)(end - start)));
		n++;
		memmove(start, end, rest.len - (size_t)(end - rest.buf) + 1);
		strbuf_setlen(&rest, rest.len - (size_t)(end - start));
	}
	/*
	 * Documents left open (processes killed before they finished) cannot
	 * be cut out whole: split what is left at each start, so that each
	 * part at least begins as a document and its errors can be read.
	 */
	while (rest.len) {
		char *next = strstr(rest.buf + 1, open_tag);
		size_t part = next ? (size_t)(next - rest.buf) : rest.len;

		strvec_push_nodup(docs, xstrndup(rest.buf, part));
		n++;
		memmove(rest.buf, rest.buf + part, rest.len - part + 1);
		strbuf_setlen(&rest, rest.len - part);
	}
	strbuf_release(&rest);
	return n;
}
