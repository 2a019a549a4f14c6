/*
 * A wrong-output diagnostic's detail (excerpt.h): expected against got,
 * with the program's lines cut and escaped. Whatever a program printed
 * (escape sequences, NUL bytes, invalid UTF-8, a line of a megabyte) ends
 * up as a few short lines of printable UTF-8.
 */
#include "excerpt.h"
#include "util.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The length of the valid UTF-8 sequence at s[0..len) and its code
 * point, or 0 when s does not start one (overlong forms, surrogates and
 * values past U+10FFFF are invalid, as are cut sequences).
 */
static size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Code points that move the cursor or reorder text: never printed as they are. */
static int is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	       c == 0x2028 || c == 0x2029 || (c >= 0x200e && c <= 0x200f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* The printable form of one character (at most 8 bytes), NUL-terminated. */
static size_t printable(const unsigned char *s, size_t n, uint32_t c, char out[16])
{
	if (!n)
		return (size_t)snprintf(out, 16, "\\x%02x", s[0]);
	if (c == '\\')
		return (size_t)snprintf(out, 16, "\\\\");
	if (c == '\t')
		return (size_t)snprintf(out, 16, "\\t");
	if (c == '\r')
		return (size_t)snprintf(out, 16, "\\r");
	if (c < 0x80 && is_control(c))
		return (size_t)snprintf(out, 16, "\\x%02x", (unsigned)c);
	if (is_control(c))
		return (size_t)snprintf(out, 16, "\\u{%04x}", (unsigned)c);
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

size_t excerpt_line(struct strbuf *sb, const char *s, size_t len, size_t width)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t cols = 0, left = 0;

	while (p < end) {
		char buf[16];
		uint32_t c = 0;
		size_t n = utf8_char(p, (size_t)(end - p), &c), w = printable(p, n, c, buf);
		size_t shown_cols = n && !is_control(c) && c != '\\' ? 1 : w;

		if (left || cols + shown_cols > width) {
			left++;
		} else {
			strbuf_add(sb, buf, w);
			cols += shown_cols;
		}
		p += n ? n : 1;
	}
	return left;
}

void excerpt_terminal_safe(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);

	while (p < end) {
		char buf[16];
		uint32_t c = 0;
		size_t n = utf8_char(p, (size_t)(end - p), &c);

		/* Text already escaped keeps its backslashes as they are. */
		if (n && c == '\\')
			strbuf_addch(sb, '\\');
		else
			strbuf_add(sb, buf, printable(p, n, c, buf));
		p += n ? n : 1;
	}
}

void excerpt_utf8(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);

	while (p < end) {
		uint32_t c;
		size_t n = utf8_char(p, (size_t)(end - p), &c);

		if (n)
			strbuf_add(sb, p, n);
		else
			strbuf_addf(sb, "\\x%02x", *p);
		p += n ? n : 1;
	}
}

/* "1 line", "3 lines" */
static void add_count(struct strbuf *sb, size_t n, const char *what)
{
	strbuf_addf(sb, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

static void add_line(struct strbuf *sb, size_t number, const char *s, size_t len)
{
	size_t left;

	strbuf_addf(sb, "\n%5zu | ", number);
	left = excerpt_line(sb, s, len, EXCERPT_WIDTH);
	if (left)
		strbuf_addf(sb, " ... (%zu more characters)", left);
}

char *oracle_excerpt(const struct oracle *o, const char *out, size_t len, int exit_code)
{
	struct strbuf sb = STRBUF_INIT, lines = STRBUF_INIT;
	int want = o->count ? o->count : 1, have_re = 0;
	size_t nlines = 0, nmatch = 0, shown = 0, unshown = 0;
	regex_t re;

	if (o->stdout_re)
		have_re = !regcomp(&re, o->stdout_re, REG_EXTENDED | REG_NOSUB);
	/* One pass: count lines and matches, keep the first lines that differ. */
	for (size_t i = 0; out && i < len; nlines++) {
		const char *nl = memchr(out + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (out + i)) : len - i;
		char *line = xstrndup(out + i, n);
		int match = have_re && !regexec(&re, line, 0, NULL, 0);

		nmatch += match;
		if (have_re && !match && shown < EXCERPT_LINES) {
			add_line(&lines, nlines + 1, out + i, n);
			shown++;
		} else if (have_re && !match) {
			unshown++;
		}
		free(line);
		i += n + (nl ? 1 : 0);
	}
	if (have_re)
		regfree(&re);

	strbuf_addstr(&sb, "expected ");
	if (o->stdout_re && want == 1)
		strbuf_addf(&sb, "a line matching /%s/", o->stdout_re);
	else if (o->stdout_re)
		strbuf_addf(&sb, "at least %d lines matching /%s/", want, o->stdout_re);
	if (o->has_exit)
		strbuf_addf(&sb, "%sexit status %d", o->stdout_re ? ", " : "", o->exit_code);
	strbuf_addstr(&sb, "\ngot      ");
	add_count(&sb, nlines, "line");
	if (o->stdout_re)
		strbuf_addf(&sb, ", %zu matching", nmatch);
	if (exit_code >= 0)
		strbuf_addf(&sb, ", exit status %d", exit_code);
	/* The lines only matter when too few matched. */
	if (o->stdout_re && (int)nmatch < want && shown) {
		strbuf_addstr(&sb, nmatch ? "; the first lines that do not match:" : ":");
		strbuf_add(&sb, lines.buf, lines.len);
		if (unshown) {
			strbuf_addstr(&sb, "\n      ... ");
			add_count(&sb, unshown, "more line");
		}
	}
	strbuf_release(&lines);
	return strbuf_detach(&sb, NULL);
}
