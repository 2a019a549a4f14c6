#ifndef RACELAB_DIAG_H
#define RACELAB_DIAG_H
/*
 * One normalized diagnostic: a bug kind from the vocabulary (diag.c, docs/design.md), the
 * checker's own words, a one-line message and frames innermost first (the
 * main stack: where the bug was caught), plus the related stacks the
 * checker gave beside it: the other access of a race, where a block was
 * freed and allocated, the other acquisition of a lock-order cycle, where
 * each thread involved was created.
 *
 * A diag_list owns its diagnostics, and each diagnostic owns its strings,
 * frames and related stacks. Frame files are relative to the program's
 * directory when the file lies inside it; otherwise the checker's path (or
 * NULL) is kept and the frame is not a "user frame".
 */
#include <stddef.h>

struct frame {
	char *function;		/* may be NULL when unknown */
	char *file;		/* relative to the program's directory, or as the checker printed it, or NULL */
	int line;		/* 0 when unknown */
	int user;		/* 1 when file lies in the program's directory */
	char *module;		/* file name of the ELF object the code is in ("libc.so.6"), or NULL */
};

/* A stack the checker gave besides the main one, and what it says it is. */
struct related {
	char *what;		/* e.g. "previous write of size 8 by thread T1", "thread T1 created at" */
	struct frame *frames;	/* innermost first */
	size_t nframes, alloc_frames;
};

struct diag {
	char *kind;		/* vocabulary kind, e.g. "data-race" */
	char *tool_kind;	/* the checker's own words, e.g. "data race", "Race" */
	char *message;		/* one line, e.g. "Write of size 4 by thread T2" */
	char *frames_what;	/* what the main stack is, when the message does not say it
				 * ("mutex M1 acquired here while holding mutex M0 in thread T1"); may be NULL */
	struct frame *frames;
	size_t nframes, alloc_frames;
	struct related *related;	/* in the checker's order */
	size_t nrelated, alloc_related;
	char *detail;		/* optional extra text (a watch dump, etc.), may be NULL */
	int cause;		/* index in its list of the diagnostic this one follows from
				 * (a zombie whose parent is stuck in the deadlock), or -1:
				 * a bug of its own (consequence.h) */
};

struct diag_list {
	struct diag *v;
	size_t n, alloc;
};

#define DIAG_LIST_INIT { NULL, 0, 0 }

/* Append a diagnostic, a bug of its own (strings are copied; tool_kind/message may be NULL). */
struct diag *diag_list_push(struct diag_list *l, const char *kind,
			    const char *tool_kind, const char *message);
/*
 * Append a frame to d's main stack. `file` is made relative to srcdir (an
 * absolute directory without trailing slash) when it lies inside it; a
 * file given as a bare name is taken as relative to srcdir when
 * srcdir/file exists. srcdir may be NULL. Returns the new frame.
 */
struct frame *diag_add_frame(struct diag *d, const char *function, const char *file,
			     int line, const char *srcdir);
/* Append copies of src's main frames to dst's (already relative: no srcdir lookup). */
void diag_copy_frames(struct diag *dst, const struct diag *src);
/*
 * Append to l a copy of src and its main stack, its tool_kind replaced
 * unless NULL; the copy is a bug of its own (src's cause indexes another list).
 */
struct diag *diag_list_copy(struct diag_list *l, const struct diag *src, const char *tool_kind);
/* Start a related stack of d, with no frames yet (what is copied). */
struct related *diag_add_related(struct diag *d, const char *what);
/* Append a frame to a related stack, as diag_add_frame() does. */
struct frame *related_add_frame(struct related *r, const char *function, const char *file,
				int line, const char *srcdir);
/* Set the module of f from a path to it (its file name is kept; NULL or "" clears it). */
void frame_set_module(struct frame *f, const char *module);
/* Free what d owns (not d itself). */
void diag_release(struct diag *d);
/* First frame of d's main stack in the program's directory, or NULL. */
const struct frame *diag_user_frame(const struct diag *d);
/* Likewise among v[0..n). */
const struct frame *first_user_frame(const struct frame *v, size_t n);
void diag_list_clear(struct diag_list *l);
/* Move all diagnostics of src to the end of dst (causes follow them); src becomes empty. */
void diag_list_splice(struct diag_list *dst, struct diag_list *src);

/*
 * The first len bytes of a checker's message with its "0x..." words (and
 * an "at" before one) dropped, so messages compare equal across runs:
 * "Write of size 4 at 0x7b04 by thread T2" -> "Write of size 4 by thread T2".
 * Punctuation after an address stays. Caller frees.
 */
char *message_without_addresses(const char *s, size_t len);

/* The vocabulary: each kind with a one-line explanation for students. */
struct bug_kind {
	const char *name;
	const char *explain;
};
const struct bug_kind *bug_kind_find(const char *name);

#endif
