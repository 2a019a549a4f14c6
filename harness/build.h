#ifndef RACELAB_BUILD_H
#define RACELAB_BUILD_H
/*
 * Building one program for one flavor (tools.h), cached under build/bin.
 *
 * A build is redone only when its key changes: the compiler command line
 * and the contents of every file the compiler read (its sources and every
 * header they include, wherever it is; system headers aside), as the
 * compiler's own -MM lists them. That list is kept per command line and
 * sources in a manifest beside the binaries (deps-SOURCEKEY).
 * The compiler's messages are kept in `log`; a failed build becomes a
 * build-error diagnostic for every run of that program. Each build is
 * also scanned for tampering (tamper-scan.h): its sources as its own
 * preprocessor shows them, then its binary; the findings (`tamper`) are
 * cached beside the binary (scan-KEY) and become a `tamper` diagnostic of
 * every run of that program.
 *
 * Lifecycle: build_init(); build_start() (returns 1 when the cache was
 * fresh and nothing runs); build_poll() until it returns 1; build_clear().
 */
#include "run-command.h"
#include "strvec.h"
#include "tools.h"

enum build_state { BUILD_PENDING, BUILD_RUNNING, BUILD_OK, BUILD_FAILED };

struct build {
	char *srcdir;		/* absolute program directory */
	struct strvec sources;	/* file names in srcdir */
	struct strvec cflags;	/* extra flags from lab.ini */
	char *incdir;		/* the lab's shared headers (include/), or NULL */
	enum flavor flavor;
	char *outdir;		/* build/bin/<label>/<flavor> */
	char *binary;		/* outdir/prog-KEY, once build_start() computed the key */
	char *log;		/* outdir/compile.PID.log: the compiler's messages */
	char *tmp;		/* outdir/prog.PID.tmp while compiling */
	enum build_state state;
	struct child_process cp;
	char skey[17];		/* command line and sources: names the manifest */
	char key[17];		/* skey and every file the compiler read: names the binary */
	struct strvec tamper;	/* tamper-scan.h findings, "FILE\tLINE\tMESSAGE"; cached as scan-KEY */
};

/* bindir: the cache root (absolute); label: a file-name-safe name for srcdir. */
void build_init(struct build *b, const char *bindir, const char *label, const char *srcdir,
		const struct strvec *sources, const struct strvec *cflags, enum flavor f,
		const char *incdir);
/* 1: done already (cached or failed to start), 0: compiler running. */
int build_start(struct build *b);
/* 1 when finished (state is BUILD_OK or BUILD_FAILED), 0 while running. */
int build_poll(struct build *b);
/* The compiler's messages (or why it could not run), trimmed. Caller frees. */
char *build_messages(const struct build *b);
void build_clear(struct build *b);

#endif
