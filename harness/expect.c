/*
 * The expectation language of lab.ini's [buggy] and [fixed] lines:
 * "clean", "skip [reason]", or "kind[?] [@ file:function|file:line], ...".
 */
#include "expect.h"
#include "diag.h"
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum token { TOK_END, TOK_WORD, TOK_COMMA, TOK_AT };

struct lexer {
	const char *s;
	const char *word;	/* the last token's text */
	size_t len;
};

static enum token lex(struct lexer *lx)
{
	const char *s = lx->s;

	while (*s == ' ' || *s == '\t')
		s++;
	lx->word = s;
	if (!*s) {
		lx->len = 0;
		lx->s = s;
		return TOK_END;
	}
	if (*s == ',' || *s == '@') {
		lx->len = 1;
		lx->s = s + 1;
		return *s == ',' ? TOK_COMMA : TOK_AT;
	}
	lx->len = strcspn(s, " \t,@");
	lx->s = s + lx->len;
	return TOK_WORD;
}

static int is_word(const struct lexer *lx, const char *w)
{
	return lx->len == strlen(w) && !strncmp(lx->word, w, lx->len);
}

static int is_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* "file:function" or "file:line" into it. */
static int parse_place(const char *place, struct expect_item *it, struct strbuf *err)
{
	const char *colon = strrchr(place, ':');
	const char *what;

	if (!colon || colon == place || !colon[1]) {
		strbuf_addf(err, "'%s' is not file:function or file:line", place);
		return -1;
	}
	what = colon + 1;
	if (what[strspn(what, "0123456789")] == '\0') {
		long line;

		if (parse_long(what, 1, INT_MAX, &line)) {
			strbuf_addf(err, "'%s': the line must be a number of at least 1", place);
			return -1;
		}
		it->line = (int)line;
	} else if (is_identifier(what)) {
		it->function = xstrdup(what);
	} else {
		strbuf_addf(err, "'%s': '%s' is neither a function name nor a line number",
			    place, what);
		return -1;
	}
	it->file = xstrndup(place, colon - place);
	return 0;
}

static struct expect_item *item_push(struct expectation *e)
{
	struct expect_item *it;

	ALLOC_GROW(e->items, e->n + 1, e->alloc);
	it = &e->items[e->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

/* One "kind[?] [@ place]"; lx holds the kind's word. Returns the next token. */
static int parse_item(struct lexer *lx, struct expectation *e, struct strbuf *err,
		      enum token *next)
{
	struct expect_item *it;
	size_t len = lx->len;
	int optional = 0;
	char *kind;

	if (len && lx->word[len - 1] == '?') {
		optional = 1;
		len--;
	}
	kind = xstrndup(lx->word, len);
	if (!strcmp(kind, "clean") || !strcmp(kind, "skip")) {
		strbuf_addf(err, "'%s' cannot be combined with other items", kind);
		free(kind);
		return -1;
	}
	if (!bug_kind_find(kind)) {
		strbuf_addf(err, "unknown kind '%s'", kind);
		free(kind);
		return -1;
	}
	it = item_push(e);
	it->kind = kind;
	it->optional = optional;

	*next = lex(lx);
	if (*next != TOK_AT)
		return 0;
	if (lex(lx) != TOK_WORD) {
		strbuf_addf(err, "'@' after '%s' must be followed by file:function or file:line", kind);
		return -1;
	}
	{
		char *place = xstrndup(lx->word, lx->len);
		int rc = parse_place(place, it, err);

		free(place);
		if (rc)
			return -1;
	}
	*next = lex(lx);
	if (*next == TOK_AT) {
		strbuf_addf(err, "'%s' has more than one '@ place'", kind);
		return -1;
	}
	return 0;
}

static int parse_items(struct lexer *lx, enum token tok, struct expectation *e,
		       struct strbuf *err)
{
	e->type = EXPECT_KINDS;
	while (tok != TOK_END) {
		if (tok != TOK_WORD) {
			strbuf_addf(err, "expected a kind, found '%.*s'", (int)lx->len, lx->word);
			return -1;
		}
		if (parse_item(lx, e, err, &tok))
			return -1;
		if (tok == TOK_COMMA) {
			tok = lex(lx);
			if (tok == TOK_END) {
				strbuf_addstr(err, "expected a kind after the last ','");
				return -1;
			}
		}
	}
	return 0;
}

int expect_parse(const char *value, struct expectation *e, struct strbuf *err)
{
	struct lexer lx = { value, NULL, 0 };
	enum token tok;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	tok = lex(&lx);
	if (tok == TOK_END) {
		strbuf_addstr(err, "empty expectation: write clean, skip or a list of kinds");
		rc = -1;
	} else if (tok == TOK_WORD && is_word(&lx, "clean")) {
		e->type = EXPECT_CLEAN;
		if (lex(&lx) != TOK_END) {
			strbuf_addstr(err, "nothing may follow 'clean'");
			rc = -1;
		}
	} else if (tok == TOK_WORD && is_word(&lx, "skip")) {
		const char *r = lx.s;
		size_t n;

		e->type = EXPECT_SKIP;
		r += strspn(r, " \t");
		n = strlen(r);
		while (n && isspace((unsigned char)r[n - 1]))
			n--;
		if (n)
			e->reason = xstrndup(r, n);
	} else {
		rc = parse_items(&lx, tok, e, err);
	}
	if (rc)
		expect_release(e);
	return rc;
}

void expect_release(struct expectation *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->items[i].kind);
		free(e->items[i].file);
		free(e->items[i].function);
	}
	free(e->items);
	free(e->reason);
	memset(e, 0, sizeof(*e));
}

void expect_format(const struct expectation *e, struct strbuf *out)
{
	switch (e->type) {
	case EXPECT_UNSET:
		break;
	case EXPECT_CLEAN:
		strbuf_addstr(out, "clean");
		break;
	case EXPECT_SKIP:
		strbuf_addstr(out, "skip");
		if (e->reason)
			strbuf_addf(out, " %s", e->reason);
		break;
	case EXPECT_KINDS:
		for (size_t i = 0; i < e->n; i++) {
			const struct expect_item *it = &e->items[i];

			strbuf_addf(out, "%s%s%s", i ? ", " : "", it->kind,
				    it->optional ? "?" : "");
			if (!it->file)
				continue;
			if (it->function)
				strbuf_addf(out, " @ %s:%s", it->file, it->function);
			else
				strbuf_addf(out, " @ %s:%d", it->file, it->line);
		}
		break;
	}
}
