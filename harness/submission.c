/*
 * Taking a student's files, and nothing else (submission.h).
 */
#include "submission.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A source file is small: a bigger entry is refused, not unpacked (a disk filler). */
#define MAX_ENTRY_BYTES (1u << 20)
#define MAX_ENTRIES 4096

int source_name_ok(const char *file)
{
	return *file && !strchr(file, '/') && strcmp(file, ".") && strcmp(file, "..");
}

/* A relative path with no "..", "." or empty component. */
static int entry_path_ok(const char *p)
{
	const char *c = p;

	if (*p == '/' || !*p)
		return 0;
	while (*c) {
		size_t n = strcspn(c, "/");

		if ((n == 2 && !strncmp(c, "..", 2)) || (n == 1 && *c == '.' && c != p))
			return 0;
		c += n;
		while (*c == '/')
			c++;
	}
	return 1;
}

static char *strip_ext_n(const char *base, size_t n)
{
	static const char *const exts[] = { ".tar.gz", ".tgz", ".zip", ".tar" };

	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		size_t e = strlen(exts[i]);
		if (n > e && !memcmp(base + n - e, exts[i], e))
			return xstrndup(base, n - e);
	}
	return xstrndup(base, n);
}

static int write_entry(struct archive *a, const char *path)
{
	char buf[16384];
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n) {
			close(fd);
			return -1;
		}
	if (close(fd) < 0 || n < 0)
		return -1;
	return 0;
}

static int unpack(struct submission *s, const char *archive_path, struct strbuf *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r, ret = 0, nentries = 0;

	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, archive_path, 16384) != ARCHIVE_OK) {
		strbuf_addf(err, "%s: %s", archive_path, archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		const char *why = NULL;
		char *dest, *slash;

		if (++nentries > MAX_ENTRIES) {
			strbuf_addf(err, "%s: more than %d entries", archive_path, MAX_ENTRIES);
			ret = -1;
			break;
		}
		if (!name)
			continue;
		if (archive_entry_filetype(e) == AE_IFDIR)
			continue;	/* made when a file needs it */
		if (!entry_path_ok(name))
			why = "absolute path or '..'";
		else if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
			why = "not a regular file (link, device or fifo)";
		else if (archive_entry_size(e) > MAX_ENTRY_BYTES)
			why = "larger than 1 MiB";
		if (why) {
			strvec_push_nodup(&s->refused, xstrfmt("%s: %s", name, why));
			continue;
		}
		dest = xstrfmt("%s/%s", s->unpacked, name);
		slash = strrchr(dest, '/');
		*slash = '\0';
		if (mkdir_p(dest, 0755) < 0)
			why = "cannot make its directory";
		*slash = '/';
		if (!why && write_entry(a, dest) < 0)
			why = "cannot be unpacked";
		if (why)
			strvec_push_nodup(&s->refused, xstrfmt("%s: %s", name, why));
		free(dest);
	}
	if (r != ARCHIVE_EOF && !ret) {
		strbuf_addf(err, "%s: %s", archive_path, archive_error_string(a));
		ret = -1;
	}
	archive_read_free(a);
	return ret;
}

char *submission_name(const char *path)
{
	size_t n = strlen(path);
	const char *b;

	while (n > 1 && path[n - 1] == '/')
		n--;	/* "alice/" is alice */
	for (b = path + n; b > path && b[-1] != '/'; b--)
		;
	return strip_ext_n(b, n - (size_t)(b - path));
}

/* 1 when every component of rel under dir is a directory, none a link. */
static int real_dirs(const char *dir, const char *rel)
{
	char *p = xstrfmt("%s/%s", dir, rel), *c = p + strlen(dir) + 1;
	struct stat st;
	int ok = 1;

	for (;;) {
		char *slash = strchr(c, '/');

		if (slash)
			*slash = '\0';
		ok = !lstat(p, &st) && S_ISDIR(st.st_mode);
		if (!ok || !slash)
			break;
		*slash = '/';
		c = slash + 1;
	}
	free(p);
	return ok;
}

/*
 * The whole handout handed in (its racelab/ folder, or a repository made
 * from it, as a grader's upload or a Git submission gives it): the
 * exercises are read from its exercises/.
 */
static void find_exercises(struct submission *s)
{
	static const char *const inner[] = { "exercises", "racelab/exercises" };

	for (size_t i = 0; i < sizeof(inner) / sizeof(*inner); i++)
		if (real_dirs(s->dir, inner[i])) {
			char *d = xstrfmt("%s/%s", s->dir, inner[i]);

			free(s->dir);
			s->dir = d;
			return;
		}
}

int submission_open(struct submission *s, const char *path, const char *tmpdir, struct strbuf *err)
{
	char real[PATH_MAX], *t;
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (!realpath(path, real) || stat(real, &st) < 0) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	s->name = submission_name(real);
	if (S_ISDIR(st.st_mode)) {
		s->dir = xstrdup(real);
		find_exercises(s);
		return 0;
	}
	t = xstrfmt("%s/unpack-XXXXXX", tmpdir);
	if (!mkdtemp(t)) {
		strbuf_addf(err, "%s: %s", t, strerror(errno));
		free(t);
		return -1;
	}
	s->unpacked = t;
	s->dir = xstrdup(t);
	if (unpack(s, real, err) < 0) {
		submission_close(s);
		return -1;
	}
	find_exercises(s);
	return 0;
}

void submission_close(struct submission *s)
{
	if (s->unpacked)
		remove_tree(s->unpacked);
	free(s->unpacked);
	free(s->dir);
	free(s->name);
	strvec_clear(&s->refused);
	memset(s, 0, sizeof(*s));
}

/* Copy a regular file, never following a link at the last component. */
static enum taken copy_regular(const char *src, const char *dest, char **why)
{
	struct stat st;
	char *data;
	size_t len;
	int fd;

	if (lstat(src, &st) < 0)
		return TAKEN_MISSING;
	if (!S_ISREG(st.st_mode)) {
		*why = xstrfmt("not a regular file (link, device or fifo)");
		return TAKEN_REFUSED;
	}
	if (st.st_size > MAX_ENTRY_BYTES) {
		*why = xstrfmt("larger than 1 MiB");
		return TAKEN_REFUSED;
	}
	fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		*why = xstrfmt("cannot be read: %s", strerror(errno));
		return TAKEN_REFUSED;
	}
	close(fd);
	data = read_file(src, &len);
	if (!data || write_file(dest, data, len) < 0) {
		free(data);
		*why = xstrfmt("cannot be copied");
		return TAKEN_REFUSED;
	}
	free(data);
	return TAKEN_SUBMITTED;
}

enum taken submission_take(const struct submission *s, const char *exname, const char *file,
			   const char *dest, char **why)
{
	char *p;
	struct stat st;
	enum taken t;

	*why = NULL;
	if (!source_name_ok(file)) {
		*why = xstrfmt("lab.ini names a path, not a file name");
		return TAKEN_REFUSED;
	}
	/* Laid out like exercises/: the exercise's directory must itself be a directory. */
	p = xstrfmt("%s/%s", s->dir, exname);
	if (!lstat(p, &st) && S_ISDIR(st.st_mode)) {
		char *f = xstrfmt("%s/%s", p, file);
		t = copy_regular(f, dest, why);
		free(f);
		if (t != TAKEN_MISSING) {
			free(p);
			return t;
		}
	}
	free(p);
	p = xstrfmt("%s/%s", s->dir, file);
	t = copy_regular(p, dest, why);
	free(p);
	return t;
}
