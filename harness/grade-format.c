/*
 * The table of grade formats, and writing one atomically (grade-format.h).
 */
#include "grade-format.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct grade_format *const formats[] = {
	&format_text,
	&format_racelab,
	&format_gradescope,
	&format_prairielearn,
	&format_autolab,
	&format_junit,
	&format_tap,
	&format_csv,
};

const char grade_format_names[] = "text, racelab, gradescope, prairielearn, autolab, junit, tap, csv";

const struct grade_format *grade_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(formats[i]->name, name))
			return formats[i];
	return NULL;
}

int grade_format_emit(const struct grade_format *f, const char *outdir,
		      struct grade *const *g, size_t n)
{
	char *path, *tmp;
	FILE *out;
	int fd, ret;

	if (!outdir) {
		ret = f->write(stdout, g, n);
		if (fflush(stdout) || ret < 0)
			return error("cannot write the %s grades to stdout", f->name);
		return 0;
	}
	path = xstrfmt("%s/%s", outdir, f->file);
	tmp = xstrfmt("%s/.%s.XXXXXX", outdir, f->file);
	fd = mkstemp(tmp);
	/* mkstemp makes it 0600; the grader's other tools read it too. */
	if (fd < 0 || fchmod(fd, 0644) < 0 || !(out = fdopen(fd, "w"))) {
		ret = error("cannot create %s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		goto done;
	}
	ret = f->write(out, g, n);
	if (fflush(out) || fsync(fileno(out)))
		ret = -1;
	if (fclose(out))
		ret = -1;
	/* Readers see the old file or the whole new one, never half of it. */
	if (ret < 0 || rename(tmp, path)) {
		ret = error("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
done:
	free(path);
	free(tmp);
	return ret;
}
