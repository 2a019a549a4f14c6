#ifndef RACELAB_SUBMISSION_H
#define RACELAB_SUBMISSION_H
/*
 * A student's submission for `racelab grade`: a directory, a .tar.gz or a
 * .zip, laid out like exercises/ (NN-name/file.c) or flat (file.c), or
 * the whole handout (exercises/NN-name/file.c, racelab/exercises/...).
 *
 * Nothing of a submission is trusted but the contents of the files lab.ini
 * names under `sources`: they are taken by name, as regular files only.
 * An archive is unpacked with libarchive into a private directory, and
 * every entry that is not a plain file with a relative path inside it
 * (absolute, "..", links, devices, fifos) is refused, never written.
 *
 * A struct submission owns its strings and, for an archive, the unpacked
 * directory (removed by submission_close()).
 */
#include "strbuf.h"
#include "strvec.h"

struct submission {
	char *name;		/* the student: the directory or archive name, without extension */
	char *dir;		/* absolute directory read from (its exercises/ for a whole handout) */
	char *unpacked;		/* dir when it was unpacked here (removed at close), else NULL */
	struct strvec refused;	/* archive entries refused, "path: why" */
};

/* The student's name for path: its last component without .tar.gz, .tgz, .tar or .zip. */
char *submission_name(const char *path);
/* Open path; -1 with the reason in err when it is neither a directory nor a readable archive. */
int submission_open(struct submission *s, const char *path, const char *tmpdir, struct strbuf *err);
void submission_close(struct submission *s);

enum taken { TAKEN_SUBMITTED, TAKEN_MISSING, TAKEN_REFUSED };

/*
 * Copy the student's `file` of exercise `exname` (NN-name/file, else the
 * flat file) to dest (a path). Returns how: TAKEN_MISSING leaves dest
 * alone, TAKEN_REFUSED (a link, a device, unreadable) too, with why.
 */
enum taken submission_take(const struct submission *s, const char *exname, const char *file,
			   const char *dest, char **why);

/* The file names a submission may give: plain names, no '/', no "..". */
int source_name_ok(const char *file);

#endif
