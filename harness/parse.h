#ifndef RACELAB_PARSE_H
#define RACELAB_PARSE_H
/*
 * Turning checker reports into diagnostics (diag.h).
 *
 * The sanitizer parser reads one log_path file (TSan, ASan, LSan and UBSan
 * all write there, with racelab's stack_trace_format "FRAME|%n|%f|%s|%l|%c|%m|%o";
 * see tools.c). The Valgrind parser reads one --xml-file document
 * (protocol 4) with expat. Both append to `out` and never print.
 */
#include "diag.h"
#include "strvec.h"
#include <stddef.h>

struct parse_ctx {
	const char *srcdir;	/* absolute program directory, no trailing slash; may be NULL */
	int killed;		/* 1 when racelab killed the run (hang or timeout):
				 * reports caused by the kill itself are dropped */
};

/* Returns the number of diagnostics appended, or -1 when the text is not a
 * sanitizer log at all. A log with a header but no SUMMARY (tampering or a
 * truncated report) still yields its diagnostics. */
int parse_sanitizer_log(const char *text, size_t len, const struct parse_ctx *ctx,
			struct diag_list *out);

struct vg_info {
	int pid, ppid;
	int finished;		/* <state>FINISHED</state> seen */
	int fatal_signal;	/* signo of <fatal_signal>, 0 when none */
	int nerrors;		/* <error> elements, leaks included */
};

/* Returns the number of diagnostics appended, or -1 when the document is
 * not well-formed up to the first </valgrindoutput>. */
int parse_valgrind_xml(const char *text, size_t len, const struct parse_ctx *ctx,
		       struct diag_list *out, struct vg_info *info);

/*
 * Split the text of one --xml-file into its documents. Valgrind 3.19 lets
 * a forked child write its whole document into the parent's file (the
 * descriptor is inherited), nested at the point where the child ran; each
 * document comes out whole, the parent's with the nested ones cut out.
 * Pushes each onto docs (owned by the caller); returns how many.
 */
size_t valgrind_split_docs(const char *text, size_t len, struct strvec *docs);

/*
 * Memcheck's --track-fds report. Valgrind 3.19 writes the list of
 * descriptors open at exit into the text log (vg.PID.log) and, for each
 * one not inherited, where it was opened as a bare <stack> at the end of
 * the XML document, in the same order but without its number.
 * valgrind_fd_stacks() collects those stacks (one diagnostic with frames
 * each); parse_valgrind_fds() reads the list and gives the k-th descriptor
 * that was not inherited the k-th stack (stacks may be NULL: no frames).
 * One fd-leak per descriptor open at exit, except the standard three and
 * those inherited from racelab.
 */
int valgrind_fd_stacks(const char *text, size_t len, const struct parse_ctx *ctx,
		       struct diag_list *stacks);
int parse_valgrind_fds(const char *text, size_t len, const struct diag_list *stacks,
		       const struct parse_ctx *ctx, struct diag_list *out);

#endif
