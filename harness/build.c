#include "build.h"
#include "tamper-scan.h"
#include "run-command.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The preprocessor lists a program's files in well under a second. */
#define BUILD_DEPS_TIMEOUT_MS 30000

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

static uint64_t hash_in(uint64_t h, const char *dir, const char *name)
{
	char *p = name[0] == '/' ? xstrdup(name) : xstrfmt("%s/%s", dir, name);

	h = hash_file(h, p);
	free(p);
	return h;
}

/*
 * The key of the command line and the sources alone: it names the
 * manifest, the list of every file the compiler read the last time it
 * built these sources with this command line.
 */
static void source_key(const struct build *b, char *out, size_t size)
{
	struct strvec argv = STRVEC_INIT;
	uint64_t h = FNV1A_INIT;

	compiler_args(b, &argv, "prog");
	for (size_t i = 0; i < argv.n; i++)
		h = fnv1a(h, argv.v[i], strlen(argv.v[i]) + 1);
	for (size_t i = 0; i < b->sources.n; i++)
		h = hash_in(h, b->srcdir, b->sources.v[i]);
	strvec_clear(&argv);
	snprintf(out, size, "%016llx", (unsigned long long)h);
}

static char *manifest_path(const struct build *b, const char *skey)
{
	return xstrfmt("%s/deps-%s", b->outdir, skey);
}

/*
 * The binary's key: the source key and the contents of every file of the
 * manifest (headers anywhere: a parent folder's, a .inc file). The key is
 * in the binary's name: two racelab processes building different programs
 * under one label (two files given to `racelab run`, a file edited
 * between two runs) never replace each other's binary, and an existing
 * binary is a fresh one.
 */
static void set_key(struct build *b, const char *skey, const struct strvec *deps)
{
	uint64_t h = fnv1a(FNV1A_INIT, skey, strlen(skey));

	for (size_t i = 0; i < deps->n; i++)
		h = hash_in(h, b->srcdir, deps->v[i]);
	snprintf(b->key, sizeof(b->key), "%016llx", (unsigned long long)h);
	free(b->binary);
	b->binary = xstrfmt("%s/prog-%s", b->outdir, b->key);
}

/* The prerequisites of a make rule as the compiler's -MM prints it. */
static void parse_make_rule(const char *text, struct strvec *out)
{
	const char *p = strchr(text, ':');

	if (!p)
		return;
	for (p++; *p;) {
		struct strbuf word = STRBUF_INIT;

		while (*p == ' ' || *p == '\t' || *p == '\n' || (*p == '\\' && p[1] == '\n'))
			p += *p == '\\' ? 2 : 1;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			if (*p == '\\' && p[1] == ' ')
				p++;	/* an escaped blank in a file name */
			else if (*p == '\\' && p[1] == '\n')
				break;
			strbuf_addch(&word, *p++);
		}
		if (word.len && !strvec_has(out, word.buf))
			strvec_push(out, word.buf);
		strbuf_release(&word);
	}
}

/*
 * Every file the compiler reads for these sources (system headers aside),
 * and the tampering its preprocessor shows in them (tamper-scan.h): one
 * run of the preprocessor per source gives both, the list through -MMD.
 */
static int preprocess(struct build *b, struct strvec *deps)
{
	char *depfile = xstrfmt("%s/deps.%d.d", b->outdir, (int)getpid());
	int ret = 0;

	for (size_t i = 0; i < b->sources.n && !ret; i++) {
		struct child_process cp = CHILD_PROCESS_INIT;
		struct strbuf text = STRBUF_INIT, rule = STRBUF_INIT;
		int st;

		flavor_cc(b->flavor, &cp.args);
		if (b->incdir) {
			strvec_push(&cp.args, "-iquote");
			strvec_push(&cp.args, b->incdir);
		}
		for (size_t j = 0; j < b->cflags.n; j++)
			strvec_push(&cp.args, b->cflags.v[j]);
		strvec_push(&cp.args, "-E");
		strvec_push(&cp.args, "-MMD");
		strvec_push(&cp.args, "-MF");
		strvec_push(&cp.args, depfile);
		strvec_push(&cp.args, b->sources.v[i]);
		env_base(&cp.env, NULL);
		cp.dir = b->srcdir;
		cp.no_rlimits = 1;
		st = capture_command(&cp, &text, BUILD_DEPS_TIMEOUT_MS);
		if (st == 0 && strbuf_read_file(&rule, depfile) >= 0) {
			parse_make_rule(rule.buf, deps);
			tamper_scan_source(text.buf, text.len, b->srcdir, b->incdir, &b->tamper);
		} else {
			ret = -1;	/* the compiler will say why */
		}
		strbuf_release(&text);
		strbuf_release(&rule);
		child_process_clear(&cp);
	}
	unlink(depfile);
	free(depfile);
	return ret;
}

static int read_manifest(const char *path, struct strvec *deps)
{
	char *text = read_file(path, NULL), *line, *save = NULL;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		strvec_push(deps, line);
	free(text);
	return 0;
}

static int write_manifest(const char *path, const struct strvec *deps)
{
	struct strbuf sb = STRBUF_INIT;
	char *tmp = xstrfmt("%s.%d.tmp", path, (int)getpid());
	int ret;

	for (size_t i = 0; i < deps->n; i++)
		strbuf_addf(&sb, "%s\n", deps->v[i]);
	ret = write_file(tmp, sb.buf, sb.len);
	if (!ret && rename(tmp, path) < 0)
		ret = error_errno("cannot write %s", path);
	if (ret)
		unlink(tmp);
	free(tmp);
	strbuf_release(&sb);
	return ret;
}

static char *scan_path(const struct build *b)
{
	return xstrfmt("%s/scan-%s", b->outdir, b->key);
}

/*
 * The sources already name the symbol of this finding of the binary
 * ("NAME: defined by the program"): as an identifier, or in a string.
 */
static int found_in_sources(const struct strvec *v, const char *finding)
{
	const char *tab = strchr(finding, '\t'), *msg = tab ? strchr(tab + 1, '\t') : NULL;
	size_t n;

	if (!msg)
		return 0;
	n = strcspn(++msg, ":");
	for (size_t i = 0; i < v->n; i++) {
		const char *t1 = strchr(v->v[i], '\t'), *m = t1 ? strchr(t1 + 1, '\t') : NULL;

		if (m && ((!strncmp(m + 1, msg, n) && m[1 + n] == ':') ||
			  (m[1] == '"' && !strncmp(m + 2, msg, n) && m[2 + n] == '"')))
			return 1;
	}
	return 0;
}

/*
 * The binary's findings join the sources' (a hook both show is named
 * once, at the line the sources show), and the whole scan is kept beside the
 * binary, under its key: a cached build is not scanned again.
 */
static void finish_scan(struct build *b)
{
	struct strvec bin = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *path = scan_path(b), *tmp = xstrfmt("%s.%d.tmp", path, (int)getpid());
	int ok = tamper_scan_binary(b->binary, b->srcdir, b->flavor != FLAVOR_NATIVE, &bin) == 0;

	for (size_t i = 0; i < bin.n; i++)
		if (!found_in_sources(&b->tamper, bin.v[i]))
			strvec_push(&b->tamper, bin.v[i]);
	strbuf_addstr(&sb, TAMPER_SCAN_VERSION "\n");
	for (size_t i = 0; i < b->tamper.n; i++)
		strbuf_addf(&sb, "%s\n", b->tamper.v[i]);
	/* Without nm the scan is not complete: not kept, so that it is done again. */
	if (!ok)
		warning("cannot read the symbols of %s (nm): only its sources were checked for "
			"tampering", b->binary);
	else if (write_file(tmp, sb.buf, sb.len) < 0 || rename(tmp, path) < 0)
		unlink(tmp);
	strvec_clear(&bin);
	strbuf_release(&sb);
	free(tmp);
	free(path);
}

static int read_scan(struct build *b)
{
	char *path = scan_path(b), *text = read_file(path, NULL), *line, *save = NULL;

	free(path);
	if (!text)
		return -1;
	line = strtok_r(text, "\n", &save);
	/* a scan by another racelab finds what that one knew: done again */
	if (!line || strcmp(line, TAMPER_SCAN_VERSION)) {
		free(text);
		return -1;
	}
	for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		strvec_push(&b->tamper, line);
	free(text);
	return 0;
}

/*
 * A cached binary in use is marked so by its modification time, racelab's
 * own record: the access time tells nothing under relatime (updated at
 * most once a day), and a binary another racelab is about to run must not
 * look unused to prune(). The key, not the time, says whether it is current.
 */
static void mark_used(const char *path)
{
	utimensat(AT_FDCWD, path, NULL, 0);	/* at worst pruned and built again */
}

/* Binaries of earlier keys, unused for an hour (mark_used), go: they would pile up with every edit. */
static void prune(const struct build *b)
{
	DIR *d = opendir(b->outdir);
	struct dirent *de;
	time_t old = time(NULL) - 3600;

	while (d && (de = readdir(d))) {
		char *path;
		struct stat st;

		if ((strncmp(de->d_name, "prog-", 5) && strncmp(de->d_name, "deps-", 5) &&
		     strncmp(de->d_name, "scan-", 5)) || strchr(de->d_name, '.'))
			continue;
		path = xstrfmt("%s/%s", b->outdir, de->d_name);
		if (strcmp(path, b->binary) && strcmp(de->d_name + 5, b->skey) &&
		    strcmp(de->d_name + 5, b->key) && !stat(path, &st) &&
		    st.st_mtime < old)
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
}

static unsigned nstarted;	/* builds this process started: private file names */

int build_start(struct build *b)
{
	struct strvec deps = STRVEC_INIT;
	char *manifest;

	source_key(b, b->skey, sizeof(b->skey));
	manifest = manifest_path(b, b->skey);
	if (read_manifest(manifest, &deps) == 0) {
		set_key(b, b->skey, &deps);
		if (access(b->binary, X_OK) == 0) {
			char *scan = scan_path(b);

			mark_used(b->binary);
			mark_used(manifest);
			mark_used(scan);
			free(scan);
			if (read_scan(b) < 0) {
				struct strvec again = STRVEC_INIT;

				preprocess(b, &again);
				strvec_clear(&again);
				finish_scan(b);
			}
			b->state = BUILD_OK;
			free(manifest);
			strvec_clear(&deps);
			return 1;
		}
	}
	strvec_clear(&deps);
	if (mkdir_p(b->outdir, 0755) < 0) {
		error_errno("cannot create %s", b->outdir);
		free(manifest);
		b->state = BUILD_FAILED;
		return 1;
	}
	/*
	 * The files are listed and hashed before the compiler reads them: a
	 * file edited while it compiles changes the key of the next run.
	 * A source that does not preprocess leaves the list empty: the
	 * compiler's own run then says why.
	 */
	preprocess(b, &deps);
	if (deps.n && write_manifest(manifest, &deps) < 0)
		warning("the build of %s will not be cached", b->srcdir);
	set_key(b, b->skey, &deps);
	free(manifest);
	strvec_clear(&deps);
	/*
	 * Another racelab, or another build of this one (two students' copies
	 * of one file, graded at once), may be building the same program: the
	 * compiler writes a private file that replaces the binary at once.
	 */
	nstarted++;
	free(b->tmp);
	b->tmp = xstrfmt("%s/prog-%s.%d.%u.tmp", b->outdir, b->skey, (int)getpid(), nstarted);
	free(b->log);
	b->log = xstrfmt("%s/compile.%d.%u.log", b->outdir, (int)getpid(), nstarted);
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
	finish_scan(b);
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
	strvec_clear(&b->tamper);
	free(b->srcdir);
	free(b->incdir);
	free(b->outdir);
	free(b->binary);
	free(b->tmp);
	free(b->log);
}
