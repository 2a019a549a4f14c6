#ifndef RACELAB_LAB_INT_H
#define RACELAB_LAB_INT_H
/*
 * What lab.c (reading lab.ini, the common sections) shares with
 * lab-program.c ([program NAME] sections) while a file is loaded.
 * Nothing else includes this.
 */
#include "lab.h"
#include "strbuf.h"

extern const char *const lab_sections[];
#define NSECTIONS 5

/* How inih will read the line the reader just handed it. */
enum line_type {
	LINE_BLANK,		/* empty, comment, or replaced by us after an error */
	LINE_CONTINUATION,	/* indented line after a pair: more of that value */
	LINE_SECTION,
	LINE_PAIR,
	LINE_BAD,		/* already reported */
};

struct entry {
	const char *section;	/* one of sections[] */
	int program;		/* index into lab->programs for [program NAME], else -1 */
	char *name;
	struct strbuf value;
	int line;
	int continued;
};

struct section_seen {
	const char *name;
	int line;
};

struct problem {
	int line;
	size_t seq;		/* keeps problems of one line in the order found */
	struct strbuf msg;
};

struct load {
	struct lab *lab;
	struct strbuf *err;
	struct problem *problems;
	size_t nerr, alloc_problems;

	/* the reader's position in the file */
	const char *pos, *end;
	int lineno;
	enum line_type type;

	/*
	 * The current section: NULL before the first header, or while in a
	 * section already reported as unknown (ignoring is then set).
	 */
	const char *section;
	int program;		/* the current [program NAME], or -1 */
	int ignoring;
	/* inih's prev_name: a pair was read since the last header */
	int has_pair;
	/* the entry a continuation line extends, or -1 */
	long last_entry;

	struct section_seen seen[NSECTIONS];
	struct entry *entries;
	size_t nentries, alloc_entries;
};

__attribute__((format(printf, 3, 4)))
void report(struct load *st, int line, const char *fmt, ...);
const char *section_label(struct load *st, const char *section, int program);
struct entry *entry_find(struct load *st, const char *section, int program, const char *name);
int entry_int(struct load *st, const struct entry *e, long min, long max, long *out);
void set_sources(struct load *st, const struct entry *e, struct strvec *dst);
/* The oracle keys [oracle] and [program NAME] share. Returns 1 when known. */
int apply_oracle_key(struct load *st, const struct entry *e, struct oracle *o);
/* An env assignment naming a variable racelab sets for every run. */
int reserved(const char *assignment);

/* The section's first header seen, or NULL. */
struct section_seen *seen_find(struct load *st, const char *name);

void apply_program(struct load *st, const struct entry *e);
void check_programs(struct load *st);

#endif
