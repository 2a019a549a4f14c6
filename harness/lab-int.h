#ifndef RACELAB_LAB_INT_H
#define RACELAB_LAB_INT_H
/*
 * What lab.c (reading lab.ini, the common sections) shares with
 * lab-program.c ([program NAME] sections) and lab-case.c ([case NAME])
 * while a file is loaded.
 * Nothing else includes this.
 */
#include "lab.h"
#include "strbuf.h"

extern const char *const lab_sections[];
#define NSECTIONS 6

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
	int program;		/* [program NAME]: index into lab->programs; [case NAME]: into lab->cases; else -1 */
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
	int program;		/* the current [program NAME] or [case NAME], or -1 */
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

/* Letters, digits, '-' and '_': a [program NAME] or [case NAME]. */
int valid_section_name(const char *s, size_t len);
/*
 * The NAME of "[what NAME]", trimmed in place; 0 when it is not a valid
 * name (reported, with an example). Leaves the section ignored until the
 * caller takes it (st->section, st->ignoring).
 */
int named_section(struct load *st, const char **name, size_t *len, const char *what,
		  const char *example);
/* yes/no, true/false, 1/0 into *out; -1 when none of them. */
int parse_bool(const char *s, int *out);
/* An env value: blank-separated NAME=value, none of them reserved(). */
void set_env(struct load *st, const struct entry *e, const char *sec, struct strvec *dst);
/* Some word of v holds {port}. */
int mentions_port(const struct strvec *v);

void apply_program(struct load *st, const struct entry *e);
void check_programs(struct load *st);

void enter_case(struct load *st, const char *name, size_t len);
/* After check_programs(): each case's values, from the exercise's and its own keys. */
void resolve_cases(struct load *st);
void case_release(struct lab_case *c);

#endif
