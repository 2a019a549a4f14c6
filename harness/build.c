#include "build.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void build_init(struct build *b, const char *bindir, const char *label, const char *srcdir,
		const struct strvec *sources, const struct strvec *cflags, enum flavor f,
		const char *incdir)
{
	memset(b, 0, sizeof(*b));
	b->cp = (struct child_process)CHILD_PROCESS_INIT;
	b->srcdir = xstrdup(srcdir);
	for (size_t i = 0; i < sources->n; i++)
		strvec_push(&b->sources, sources->v[i]);
	if (cflags)
		for (size_t i = 0; i < cflags->n; i++)
			strvec_push(&b->cflags, cflags->v[i]);
	b->flavor = f;
	b->incdir = incdir ? xstrdup(incdir) : NULL;
	b->outdir = xstrfmt("%s/%s/%s", bindir, label, flavor_name(f));
	b->log = xstrfmt("%s/compile.log", b->outdir);
}

/* out: where the compiler writes; the key is computed with the final name. */
static void compiler_args(const struct build *b, struct strvec *argv, const char *out)
{
	flavor_cc(b->flavor, argv);
	if (b->incdir) {
		strvec_push(argv, "-iquote");
		strvec_push(argv, b->incdir);
	}
	strvec_push(argv, "-o");
	strvec_push(argv, out);
	for (size_t i = 0; i < b->sources.n; i++)
		strvec_push(argv, b->sources.v[i]);
	/* After the sources, so that libraries (-lrt) link as well as -D or -O do. */
	for (size_t i = 0; i < b->cflags.n; i++)
		strvec_push(argv, b->cflags.v[i]);
}

static uint64_t hash_file(uint64_t h, const char *path)
{
	size_t len;
	char *data = read_file(path, &len);

	h = fnv1a(h, path, strlen(path) + 1);
	if (data) {
		h = fnv1a(h, data, len);
		free(data);
	}
	return h;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Headers next to the sources are part of the key too: a student may add one. */
static uint64_t hash_headers(uint64_t h, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strvec names = STRVEC_INIT;

	if (!d)
		return h;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n > 2 && !strcmp(de->d_name + n - 2, ".h"))
			strvec_push(&names, de->d_name);
	}
	closedir(d);
	qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	for (size_t i = 0; i < names.n; i++) {
		char *p = xstrfmt("%s/%s", dir, names.v[i]);
		h = hash_file(h, p);
		free(p);
	}
	strvec_clear(&names);
	return h;
}

static void compute_key(struct build *b)
{
	struct strvec argv = STRVEC_INIT;
	uint64_t h = FNV1A_INIT;

	compiler_args(b, &argv, "prog");
	for (size_t i = 0; i < argv.n; i++)
		h = fnv1a(h, argv.v[i], strlen(argv.v[i]) + 1);
	for (size_t i = 0; i < b->sources.n; i++) {
		char *p = xstrfmt("%s/%s", b->srcdir, b->sources.v[i]);
		h = hash_file(h, p);
		free(p);
	}
	h = hash_headers(h, b->srcdir);
	if (b->incdir)
		h = hash_headers(h, b->incdir);
	strvec_clear(&argv);
	snprintf(b->key, sizeof(b->key), "%016llx", (unsigned long long)h);
	/*
	 * The key is in the name: two racelab processes building different
	 * programs under one label (two files of one directory given to
	 * `racelab run`, a file edited between two runs) never replace each
	 * other's binary, and an existing binary is a fresh one.
	 */
	free(b->binary);
	b->binary = xstrfmt("%s/prog-%s", b->outdir, b->key);
}

/* Binaries of earlier keys, unused for an hour, go: they would pile up with every edit. */
static void prune(const struct build *b)
{
	DIR *d = opendir(b->outdir);
	struct dirent *de;
	time_t old = time(NULL) - 3600;

	while (d && (de = readdir(d))) {
		char *path;
		struct stat st;

		if (strncmp(de->d_name, "prog-", 5) || strchr(de->d_name, '.'))
			continue;
		path = xstrfmt("%s/%s", b->outdir, de->d_name);
		if (strcmp(path, b->binary) && !stat(path, &st) && st.st_atime < old && st.st_mtime < old)
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
}

int build_start(struct build *b)
{
	compute_key(b);
	if (access(b->binary, X_OK) == 0) {
		b->state = BUILD_OK;
		return 1;
	}
	if (mkdir_p(b->outdir, 0755) < 0) {
		error_errno("cannot create %s", b->outdir);
		b->state = BUILD_FAILED;
		return 1;
	}
	/*
	 * Another racelab may be building or running the same program: the
	 * compiler writes a private file that replaces the binary at once.
	 */
	free(b->tmp);
	b->tmp = xstrfmt("%s.%d.tmp", b->binary, (int)getpid());
	free(b->log);
	b->log = xstrfmt("%s/compile.%d.log", b->outdir, (int)getpid());
	compiler_args(b, &b->cp.args, b->tmp);
	env_base(&b->cp.env, NULL);
	b->cp.dir = b->srcdir;
	b->cp.stdout_path = b->log;
	b->cp.stderr_to_stdout = 1;
	b->cp.no_rlimits = 1;
	if (start_command(&b->cp) < 0) {
		char *msg = xstrfmt("cannot run the compiler '%s'\n", b->cp.args.v[0]);
		write_file(b->log, msg, strlen(msg));
		free(msg);
		b->state = BUILD_FAILED;
		return 1;
	}
	b->state = BUILD_RUNNING;
	return 0;
}

int build_poll(struct build *b)
{
	int r;
	if (b->state != BUILD_RUNNING)
		return 1;
	r = poll_command(&b->cp);
	if (r == 0)
		return 0;
	if (r < 0 || !WIFEXITED(b->cp.status) || WEXITSTATUS(b->cp.status)) {
		unlink(b->tmp);
		b->state = BUILD_FAILED;
		return 1;
	}
	if (rename(b->tmp, b->binary) < 0) {
		error_errno("cannot install %s", b->binary);
		b->state = BUILD_FAILED;
		return 1;
	}
	prune(b);
	unlink(b->log);
	b->state = BUILD_OK;
	return 1;
}

char *build_messages(const struct build *b)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, b->log) < 0)
		strbuf_addstr(&sb, "the compiler left no messages");
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

void build_clear(struct build *b)
{
	child_process_clear(&b->cp);
	strvec_clear(&b->sources);
	strvec_clear(&b->cflags);
	free(b->srcdir);
	free(b->incdir);
	free(b->outdir);
	free(b->binary);
	free(b->tmp);
	free(b->log);
}
