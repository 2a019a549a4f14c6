#include "report.h"
#include "strbuf.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *source_line(const char *srcdir, const char *file, int line)
{
	char *path, *text, *p, *end;
	int n = 1;

	if (!srcdir || !file || line <= 0)
		return NULL;
	path = file[0] == '/' ? xstrdup(file) : xstrfmt("%s/%s", srcdir, file);
	text = read_file(path, NULL);
	free(path);
	if (!text)
		return NULL;
	for (p = text; *p && n < line; p++)
		if (*p == '\n')
			n++;
	if (n != line || !*p) {
		free(text);
		return NULL;
	}
	end = strchr(p, '\n');
	p = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
	free(text);
	return p;
}

/* The absolute path of srcdir/file, symbolic links in the directory resolved. */
static char *absolute(const char *srcdir, const char *file)
{
	char *dir, *path;

	if (file[0] == '/' || !srcdir)
		return xstrdup(file);
	dir = realpath(srcdir, NULL);
	path = xstrfmt("%s/%s", dir ? dir : srcdir, file);
	free(dir);
	return path;
}

char *path_from_cwd(const char *srcdir, const char *file)
{
	char cwd[PATH_MAX];
	char *path = absolute(srcdir, file);
	size_t common = 0, up = 0;
	struct strbuf sb = STRBUF_INIT;

	if (path[0] != '/' || !getcwd(cwd, sizeof(cwd)))
		return path;
	if (!strcmp(cwd, "/")) {
		strbuf_addstr(&sb, path + 1);
		free(path);
		return strbuf_detach(&sb, NULL);
	}
	/* The longest common prefix of whole components. */
	for (size_t i = 1; cwd[i - 1] && path[i - 1] == cwd[i - 1]; i++)
		if ((cwd[i] == '/' || !cwd[i]) && (path[i] == '/' || !path[i]))
			common = i;
	if (!common)
		return path;		/* nothing shared but the root */
	for (const char *p = cwd + common; *p; p++)
		up += *p == '/';
	for (size_t i = 0; i < up; i++)
		strbuf_addstr(&sb, "../");
	strbuf_addstr(&sb, path + common + (path[common] == '/'));
	free(path);
	return strbuf_detach(&sb, NULL);
}

static void close_exercise(struct summary *s)
{
	if (!s->cur_exercise || !s->cur_ran) {
		s->cur_exercise = NULL;
		return;
	}
	s->exercises++;
	if (s->cur_ok)
		s->exercises_ok++;
	else
		strvec_push(&s->unfixed, s->cur_exercise);
	s->cur_exercise = NULL;
}

void summary_add(struct summary *s, const struct result *r)
{
	switch (r->status) {
	case STATUS_PASS: s->pass++; break;
	case STATUS_FAIL: s->fail++; break;
	case STATUS_SKIP: s->skip++; break;
	case STATUS_ERROR:
		s->error++;
		if (r->broken)
			s->broken = 1;
		else
			s->input_error = 1;
		break;
	}
	/* Results come in plan order: an exercise's results are together. */
	if (!r->exercise)
		return;
	if (!s->cur_exercise || strcmp(s->cur_exercise, r->exercise)) {
		close_exercise(s);
		s->cur_exercise = r->exercise;
		s->cur_ok = 1;
		s->cur_ran = 0;
	}
	if (r->status != STATUS_SKIP)
		s->cur_ran = 1;
	if (r->status == STATUS_FAIL || r->status == STATUS_ERROR)
		s->cur_ok = 0;
}

void summary_finish(struct summary *s)
{
	close_exercise(s);
}

void summary_clear(struct summary *s)
{
	strvec_clear(&s->unfixed);
}
