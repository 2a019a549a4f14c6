#ifndef RACELAB_EXCERPT_H
#define RACELAB_EXCERPT_H
/*
 * What a program printed, shown beside what its oracle wanted (the detail
 * of a wrong-output diagnostic), and the escaping that makes any program
 * text safe to print on a terminal.
 */
#include "lab.h"
#include "strbuf.h"
#include <stddef.h>

#define EXCERPT_LINES 5		/* output lines shown at most */
#define EXCERPT_WIDTH 100	/* columns of one line shown at most */

/*
 * Append s[0..len) to sb as printable UTF-8 of at most `width` columns
 * (one per character or escape character): control characters as \t, \r
 * or \xNN, invalid UTF-8 bytes as \xNN, C1 controls and bidirectional
 * overrides as \u{XXXX}, a backslash as \\. Returns how many characters
 * of s were left out for the width (0 when it all fit).
 */
size_t excerpt_line(struct strbuf *sb, const char *s, size_t len, size_t width);
/*
 * s made safe to print on a terminal: as excerpt_line() without a width,
 * except that backslashes stay as they are (text racelab escaped already
 * passes through unchanged). For messages that carry a process's name or
 * a file name: neither can move the cursor or recolour the screen.
 */
void excerpt_terminal_safe(struct strbuf *sb, const char *s);
/* s as valid UTF-8 for JSON: every byte that is not part of a character written \xNN. */
void excerpt_utf8(struct strbuf *sb, const char *s);

/*
 * The program's standard output out[0..len) against the oracle o, as
 * lines of text (no trailing newline): "expected ..." (a line or at least
 * N lines matching o's regex, the exit status), "got ..." (how many lines
 * the program printed and matched, its exit status), then the first lines
 * that differ (none of the lines matches: the first lines printed; too
 * few match: the first that do not), numbered, EXCERPT_LINES at most, each
 * cut by excerpt_line(), with a note of what was left out. exit_code is
 * the program's own exit status, or -1 when it has none or a checker chose
 * it (never shown as the program's). out may be NULL. Caller frees.
 */
char *oracle_excerpt(const struct oracle *o, const char *out, size_t len, int exit_code);

#endif
