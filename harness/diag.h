#ifndef RACELAB_DIAG_H
#define RACELAB_DIAG_H
/*
 * One normalized diagnostic: a bug kind from the DESIGN.md vocabulary, the
 * checker's own words, a one-line message and frames innermost first.
 *
 * A diag_list owns its diagnostics, and each diagnostic owns its strings
 * and frames. Frame files are relative to the program's directory when the
 * file lies inside it; otherwise the checker's path (or NULL) is kept and
 * the frame is not a "user frame".
 */
#include <stddef.h>

struct frame {
	char *function;		/* may be NULL when unknown */
	char *file;		/* relative to the program's directory, or as the checker printed it, or NULL */
	int line;		/* 0 when unknown */
	int user;		/* 1 when file lies in the program's directory */
};

struct diag {
	char *kind;		/* vocabulary kind, e.g. "data-race" */
	char *tool_kind;	/* the checker's own words, e.g. "data race", "Race" */
	char *message;		/* one line, e.g. "Write of size 4 by thread T2" */
	struct frame *frames;
	size_t nframes, alloc_frames;
	char *detail;		/* optional extra text (a watch dump, etc.), may be NULL */
};

struct diag_list {
	struct diag *v;
	size_t n, alloc;
};

#define DIAG_LIST_INIT { NULL, 0, 0 }

/* Append a diagnostic (strings are copied; tool_kind/message may be NULL). */
struct diag *diag_list_push(struct diag_list *l, const char *kind,
			    const char *tool_kind, const char *message);
/*
 * Append a frame to d. `file` is made relative to srcdir (an absolute
 * directory without trailing slash) when it lies inside it; a file given
 * as a bare name is taken as relative to srcdir when srcdir/file exists.
 * srcdir may be NULL.
 */
void diag_add_frame(struct diag *d, const char *function, const char *file,
		    int line, const char *srcdir);
/* Append copies of src's frames to dst (already relative: no srcdir lookup). */
void diag_copy_frames(struct diag *dst, const struct diag *src);
/* Free what d owns (not d itself). */
void diag_release(struct diag *d);
/* First frame in the program's directory, or NULL. */
const struct frame *diag_user_frame(const struct diag *d);
void diag_list_clear(struct diag_list *l);
/* Drop the last diagnostic of l, if any. */
void diag_list_clear_last(struct diag_list *l);
/* Move all diagnostics of src to the end of dst; src becomes empty. */
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
const struct bug_kind *bug_kinds(size_t *n);

#endif
