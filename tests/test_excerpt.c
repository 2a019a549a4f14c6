/*
 * The wrong-output detail (excerpt.h): expected against got, and program
 * text made safe for a terminal whatever bytes it holds.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "excerpt.h"
#include "util.h"

/* excerpt_line() of s (len bytes) in width columns; *left gets what was cut. */
static char *line(const char *s, size_t len, size_t width, size_t *left)
{
	struct strbuf sb = STRBUF_INIT;

	*left = excerpt_line(&sb, s, len, width);
	return strbuf_detach(&sb, NULL);
}

static void assert_escaped(const char *s, size_t len, const char *want)
{
	size_t left;
	char *got = line(s, len, 100, &left);

	cr_assert_str_eq(got, want);
	cr_assert_eq(left, 0);
	free(got);
}

Test(excerpt, control_characters_are_escaped)
{
	assert_escaped("plain text", 10, "plain text");
	assert_escaped("\033[2J\033]0;owned\007", 14, "\\x1b[2J\\x1b]0;owned\\x07");
	assert_escaped("a\tb\rc", 5, "a\\tb\\rc");
	assert_escaped("back\\slash", 10, "back\\\\slash");
	assert_escaped("nul\0byte", 8, "nul\\x00byte");
	assert_escaped("del\177", 4, "del\\x7f");
}

Test(excerpt, invalid_utf8_is_escaped_byte_by_byte)
{
	assert_escaped("caf\xc3\xa9", 5, "caf\xc3\xa9");		/* valid: kept */
	assert_escaped("\xff\xfe", 2, "\\xff\\xfe");
	assert_escaped("\xc0\xaf", 2, "\\xc0\\xaf");			/* overlong "/" */
	assert_escaped("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");		/* a surrogate */
	assert_escaped("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");	/* past U+10FFFF */
	assert_escaped("cut \xe2\x82", 6, "cut \\xe2\\x82");		/* a cut sequence */
}

Test(excerpt, controls_outside_ascii_are_escaped)
{
	assert_escaped("\xc2\x9b" "2J", 4, "\\u{009b}2J");		/* 8-bit CSI */
	assert_escaped("abc\xe2\x80\xae" "cba", 9, "abc\\u{202e}cba");	/* right-to-left override */
	assert_escaped("\xe2\x81\xa6x", 4, "\\u{2066}x");		/* left-to-right isolate */
}

Test(excerpt, long_lines_are_cut_and_counted)
{
	char *big = xmalloc(5000), *got;
	size_t left;

	memset(big, 'x', 5000);
	got = line(big, 5000, 100, &left);
	cr_assert_eq(strlen(got), 100);
	cr_assert_eq(left, 4900);
	free(got);
	/* A character is one column however many bytes it takes. */
	got = line("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2, &left);
	cr_assert_str_eq(got, "\xc3\xa9\xc3\xa9");
	cr_assert_eq(left, 1);
	free(got);
	/* An escape takes its printed width, and is never split. */
	got = line("ab\033cd", 5, 5, &left);
	cr_assert_str_eq(got, "ab");
	cr_assert_eq(left, 3);
	free(got);
	free(big);
}

static const struct oracle counter = { .stdout_re = "^counter = 80000$", .has_exit = 1 };

#define TEXT(s) s, sizeof(s) - 1

Test(excerpt, no_line_matches_shows_the_first_lines)
{
	char *got = oracle_excerpt(&counter, TEXT("counter = 61234\ndone\n"), 0);

	cr_assert_str_eq(got,
		"expected a line matching /^counter = 80000$/, exit status 0\n"
		"got      2 lines, 0 matching, exit status 0:\n"
		"    1 | counter = 61234\n"
		"    2 | done");
	free(got);
}

Test(excerpt, too_few_matches_shows_the_lines_that_do_not_match)
{
	static const struct oracle jobs = { .stdout_re = "^job [0-9]+$", .count = 4 };
	char *got = oracle_excerpt(&jobs, TEXT("job 1\nerror 1\njob 2\nerror 2\nerror 3\n"
					      "job 3\nerror 4\nerror 5\nerror 6\n"), 0);

	cr_assert_str_eq(got,
		"expected at least 4 lines matching /^job [0-9]+$/\n"
		"got      9 lines, 3 matching, exit status 0; the first lines that do not match:\n"
		"    2 | error 1\n"
		"    4 | error 2\n"
		"    5 | error 3\n"
		"    7 | error 4\n"
		"    8 | error 5\n"
		"      ... 1 more line");
	free(got);
}

Test(excerpt, a_checkers_exit_status_is_not_shown_as_the_programs)
{
	char *got = oracle_excerpt(&counter, TEXT("counter = 61234\n"), -1);

	cr_assert_str_eq(got,
		"expected a line matching /^counter = 80000$/, exit status 0\n"
		"got      1 line, 0 matching:\n"
		"    1 | counter = 61234");
	free(got);
}

Test(excerpt, wrong_exit_status_with_the_right_output)
{
	char *got = oracle_excerpt(&counter, TEXT("counter = 80000\n"), 3);

	/* The lines are right: none is shown. */
	cr_assert_str_eq(got,
		"expected a line matching /^counter = 80000$/, exit status 0\n"
		"got      1 line, 1 matching, exit status 3");
	free(got);
}

Test(excerpt, no_output_at_all)
{
	char *got = oracle_excerpt(&counter, NULL, 0, 1);

	cr_assert_str_eq(got,
		"expected a line matching /^counter = 80000$/, exit status 0\n"
		"got      0 lines, 0 matching, exit status 1");
	free(got);
}

Test(excerpt, hostile_output_stays_printable_short_and_valid_utf8)
{
	struct strbuf out = STRBUF_INIT;
	char *got;
	json_t *s;
	size_t nlines = 0;

	strbuf_addstr(&out, "\033[2J\033[H\033]0;pwned\007fake prompt $ \n");
	strbuf_add(&out, "\xff\xfe\0\x01\n", 5);
	for (int i = 0; i < 3000; i++)
		strbuf_addstr(&out, "\xe2\x80\xae");
	strbuf_addstr(&out, "\n");
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&out, "spam\n");
	got = oracle_excerpt(&counter, out.buf, out.len, 0);
	for (const unsigned char *p = (const unsigned char *)got; *p; p++) {
		cr_assert(*p >= 0x20 || *p == '\n', "raw control byte 0x%02x", *p);
		cr_assert(*p != 0x7f);
		cr_assert(*p < 0x80, "no byte of this output is printable beyond ASCII");
		nlines += *p == '\n';
	}
	cr_assert_eq(nlines, 2 + EXCERPT_LINES);	/* expected, got, the lines, the note */
	cr_assert_not_null(strstr(got, "got      100003 lines, 0 matching"));
	cr_assert_not_null(strstr(got, "    3 | \\u{202e}"));
	cr_assert_not_null(strstr(got, " ... (2988 more characters)"));
	cr_assert_not_null(strstr(got, "      ... 99998 more lines"));
	/* Valid UTF-8: the JSON report can carry it. */
	s = json_string(got);
	cr_assert_not_null(s);
	json_decref(s);
	strbuf_release(&out);
	free(got);
}
