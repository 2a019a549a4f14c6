#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
