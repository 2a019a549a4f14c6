#include "collect.h"
#include "consequence.h"
#include "oracle.h"
#include "parse.h"
#include "rlwatch.h"
#include "tamper-scan.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int stopped_any(const struct run *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].stopped)
			return 1;
	return r->killed;
}

/* Text a checker prints when the environment, not the program, is at fault. */
static const char *broken_markers[] = {
	"unexpected memory mapping",
	"LeakSanitizer has encountered a fatal error",
	"Shadow memory range interleaves with an existing memory mapping",
	"failed to allocate",
	NULL,
};

static const char *valgrind_broken[] = {
	"the 'impossible' happened",
	"Valgrind: FATAL",
	"valgrind: m_",
	"Assertion '",
	NULL,
};

static int has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* 1 when racelab stopped process pid (as the checkers' logs name it), from killed_pids[from] on. */
static int killed_since(const struct run *r, size_t from, int pid)
{
	for (size_t i = from; i < r->nkilled; i++)
		if (r->killed_pids[i] == pid)
			return 1;
	return 0;
}

/*
 * What the processes the hang stopped reported on their way out: the
 * leaks a checker lists whenever a process ends (Memcheck's blocks, and
 * threads never joined), which a process stuck in the hang had no chance
 * to free or join. Indexes in res->diags; add_hang() folds them under the
 * hang. What such a process reported before the kill (a race, an invalid
 * read) is a bug of its own.
 */
struct exit_reports {
	size_t *v, n, alloc;
};

static void note_exit_reports(const struct run *r, const struct diag_list *l, size_t from,
			      int pid, struct exit_reports *out)
{
	if (r->hang == HANG_NONE || pid <= 0 || !killed_since(r, r->hang_killed, pid))
		return;
	for (size_t i = from; i < l->n; i++)
		if (!strcmp(l->v[i].kind, "memory-leak") || !strcmp(l->v[i].kind, "thread-leak")) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n++] = i;
		}
}

/*
 * Open descriptors count only for processes that ended on their own (a
 * pipeline's producer), not for those racelab stopped (alive when it
 * killed the run) or that a signal killed: those had no chance to close
 * anything. Each process has a text log of its own (vg.PID.log), forked
 * ones included, so this needs nothing from the XML, where a forked
 * child's document may be cut short inside its parent's.
 */
static int fds_count(const struct run *r, int pid, const char *log)
{
	if (killed_since(r, 0, pid))
		return 0;
	return !strstr(log, "Process terminating with default action of signal");
}

/* Each process's Valgrind document, for the descriptor stacks it ends with. */
struct vg_docs {
	int *pids;
	struct strvec texts;
	size_t n, alloc;
};

static const char *vg_doc_of(const struct vg_docs *d, int pid)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->pids[i] == pid)
			return d->texts.v[i];
	return NULL;
}

static void parse_vg_docs(struct run *r, struct result *res, const char *text, size_t len,
			  const char *path, int *vg_docs, struct vg_docs *keep,
			  struct exit_reports *exits)
{
	struct parse_ctx ctx = { r->spec->srcdir, stopped_any(r) };
	struct strvec docs = STRVEC_INIT;
	int fatal = 0;

	valgrind_split_docs(text, len, &docs);
	for (size_t i = 0; i < docs.n; i++) {
		struct vg_info info;
		size_t from = res->diags.n;

		memset(&info, 0, sizeof(info));
		if (parse_valgrind_xml(docs.v[i], strlen(docs.v[i]), &ctx, &res->diags, &info) < 0)
			continue;
		(*vg_docs)++;
		note_exit_reports(r, &res->diags, from, info.pid, exits);
		if (info.pid > 0) {
			ALLOC_GROW(keep->pids, keep->n + 1, keep->alloc);
			keep->pids[keep->n++] = info.pid;
			strvec_push(&keep->texts, docs.v[i]);
		}
		fatal |= info.fatal_signal;
	}
	strvec_clear(&docs);
	/*
	 * Valgrind completes its XML even when the program dies by a signal: a
	 * file with no finished document means Valgrind itself failed. (A
	 * forked child's document may stay open: racelab killed it as an
	 * orphan, and it cannot always be told apart from the parent's.)
	 */
	if (!strstr(text, "<state>FINISHED</state>") && !fatal && !stopped_any(r) && !res->broken) {
		res->broken = 1;
		res->reason = xstrfmt("valgrind stopped before finishing its report (see %s)", path);
	}
}

/* The program whose observer wrote `path` (its wfile), or NULL. */
static struct run_proc *proc_of_wfile(struct run *r, const char *path)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (!strcmp(r->procs[i].wfile, path))
			return &r->procs[i];
	return NULL;
}

/* One report of the run: from the guard's copy, or read from logs/ when there is no guard. */
struct log_text {
	const char *name;
	char *path;
	const char *text;
	size_t len;
	char *own;		/* text when read here, freed after */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct log_text *)a)->name, ((const struct log_text *)b)->name);
}

/* The run's reports in a stable order: by name (pid order within a tool). */
static size_t list_logs(struct run *r, struct log_text **out, struct strvec *names)
{
	struct log_text *v = NULL;
	size_t n = 0, alloc = 0;

	if (r->guard) {
		for (size_t i = 0; i < r->guard->n; i++) {
			const struct log_file *f = &r->guard->v[i];

			if (f->tamper & LOG_PLANTED)
				continue;	/* never parsed: named by add_tamper() */
			ALLOC_GROW(v, n + 1, alloc);
			v[n++] = (struct log_text){ f->name, xstrfmt("%s/%s", r->logdir, f->name),
						    f->text, f->len, NULL };
		}
	} else {
		DIR *d = opendir(r->logdir);
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.')
				strvec_push(names, de->d_name);
		if (d)
			closedir(d);
		for (size_t i = 0; i < names->n; i++) {
			char *path = xstrfmt("%s/%s", r->logdir, names->v[i]);
			size_t len;
			char *text = read_file(path, &len);

			if (!text) {
				free(path);
				continue;
			}
			ALLOC_GROW(v, n + 1, alloc);
			v[n++] = (struct log_text){ names->v[i], path, text, len, text };
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), by_name);
	*out = v;
	return n;
}

static void parse_logs(struct run *r, struct result *res, int *vg_docs,
		       struct exit_reports *exits)
{
	struct parse_ctx ctx = { r->spec->srcdir, stopped_any(r) };
	struct strvec names = STRVEC_INIT;
	struct vg_docs docs = { NULL, STRVEC_INIT, 0, 0 };
	struct log_text *logs;
	size_t nlogs = list_logs(r, &logs, &names);

	for (size_t i = 0; i < nlogs; i++) {
		const char *name = logs[i].name, *path = logs[i].path, *text = logs[i].text;
		size_t len = logs[i].len;

		if (has_prefix(name, "tsan.") || has_prefix(name, "asan.")) {
			size_t from = res->diags.n;

			for (const char **m = broken_markers; *m; m++)
				if (strstr(text, *m) && !res->broken) {
					res->broken = 1;
					res->reason = xstrfmt("the checker failed: \"%s\" (see %s)", *m, path);
				}
			parse_sanitizer_log(text, len, &ctx, &res->diags);
			note_exit_reports(r, &res->diags, from, atoi(name + 5), exits);	/* tsan.PID */
		} else if (has_prefix(name, "vg.") && has_suffix(name, ".xml")) {
			parse_vg_docs(r, res, text, len, path, vg_docs, &docs, exits);
		} else if (has_prefix(name, "vg.") && has_suffix(name, ".log")) {
			for (const char **m = valgrind_broken; *m; m++)
				if (strstr(text, *m) && !res->broken) {
					res->broken = 1;
					res->reason = xstrfmt("valgrind failed: \"%s\" (see %s)", *m, path);
				}
		} else if (has_prefix(name, "watch.") && has_suffix(name, ".log")) {
			struct run_proc *p = proc_of_wfile(r, path);
			if (p)
				rlwatch_info_release(&p->rw);
			rlwatch_parse(text, len, r->spec->srcdir, p && p->wkey[0] ? p->wkey : NULL,
				      &res->diags, p ? &p->rw : NULL);
		}
	}
	/* Descriptors last: each process's log with the stacks from its document. */
	for (size_t i = 0; i < nlogs && r->spec->tool->id == TOOL_MEMCHECK; i++) {
		const char *name = logs[i].name;

		if (!has_prefix(name, "vg.") || !has_suffix(name, ".log"))
			continue;
		if (fds_count(r, atoi(name + 3), logs[i].text)) {
			struct diag_list stacks = DIAG_LIST_INIT;
			const char *doc = vg_doc_of(&docs, atoi(name + 3));

			if (doc)
				valgrind_fd_stacks(doc, strlen(doc), &ctx, &stacks);
			parse_valgrind_fds(logs[i].text, logs[i].len, &stacks, &ctx, &res->diags);
			diag_list_clear(&stacks);
		}
	}
	for (size_t i = 0; i < nlogs; i++) {
		free(logs[i].path);
		free(logs[i].own);
	}
	free(logs);
	strvec_clear(&docs.texts);
	free(docs.pids);
	strvec_clear(&names);
}

/* The checker a report belongs to, for messages: "ThreadSanitizer's report tsan.2". */
static const char *log_owner(const char *name)
{
	if (has_prefix(name, "tsan."))
		return "ThreadSanitizer's";
	if (has_prefix(name, "asan."))
		return "AddressSanitizer's";
	if (has_prefix(name, "vg."))
		return "Valgrind's";
	if (has_prefix(name, "watch."))
		return "racelab's observer's";
	return "a";
}

/* What the program did to the checkers' reports (logguard.h): each is a tamper. */
static void add_tamper(struct run *r, struct result *res)
{
	for (size_t i = 0; r->guard && i < r->guard->n; i++) {
		const struct log_file *f = &r->guard->v[i];

		for (unsigned bit = 1; bit <= LOG_PLANTED; bit <<= 1) {
			char *msg;

			if (!(f->tamper & bit))
				continue;
			msg = xstrfmt("%s report logs/%s %s%s", log_owner(f->name), f->name,
				      log_tamper_text(bit),
				      bit == LOG_PLANTED ? ": not read" : ": racelab read the copy it held");
			diag_list_push(&res->diags, "tamper", "sandbox", msg);
			free(msg);
		}
	}
}

/* What the scan of each program's build found (tamper-scan.h): a tamper at the program's line. */
static void add_scan(struct run *r, struct result *res)
{
	const struct run_spec *s = r->spec;

	for (size_t k = 0; k < s->nprogs; k++) {
		const struct strvec *v = s->progs[k].tamper;
		int seen = 0;

		for (size_t j = 0; j < k && v; j++)
			seen |= s->progs[j].tamper == v;	/* two programs of one build */
		if (!v || seen || !s->progs[k].checked)
			continue;
		for (size_t i = 0; i < v->n; i++) {
			const char *msg;
			struct diag *d;
			char *file;
			int line;

			if (tamper_finding_split(v->v[i], &file, &line, &msg) < 0)
				continue;
			d = diag_list_push(&res->diags, "tamper", "scan", msg);
			if (*file)	/* else assembly: no line of the sources */
				diag_add_frame(d, NULL, file, line, s->srcdir);
			free(file);
		}
	}
}

/* The text of the report `name` of the run: racelab's copy, else logs/ (*own: to free). */
static const char *log_named(struct run *r, const char *name, char **own)
{
	*own = NULL;
	for (size_t i = 0; r->guard && i < r->guard->n; i++)
		if (!strcmp(r->guard->v[i].name, name) && !(r->guard->v[i].tamper & LOG_PLANTED))
			return r->guard->v[i].text;
	if (!r->guard) {
		char *path = xstrfmt("%s/%s", r->logdir, name);

		*own = read_file(path, NULL);
		free(path);
	}
	return *own;
}

/*
 * LeakSanitizer checks at exit, in an exit handler: a program that leaves
 * through _exit, _Exit, quick_exit or the exit_group system call skips it
 * and hides its leaks. With atexit=1 (tools.c) every process that ends
 * through exit() writes "AddressSanitizer exit stats" to its log; a
 * program racelab started that ended by itself with an exit status and
 * left neither that line nor a report that ended it skipped the check.
 * Only the programs racelab started are judged: a forked child's _exit
 * is the right way for a child to end.
 */
static void add_exit_skip(struct run *r, struct result *res)
{
	if (r->spec->tool->flavor != FLAVOR_ASAN)
		return;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct run_proc *p = &r->procs[i];
		char *name, *own, *msg;
		const char *text;

		if (!p->prog->checked || !p->started || !p->ended || p->stopped ||
		    !WIFEXITED(p->cp.status) || p->nspid <= 0)
			continue;
		name = xstrfmt("asan.%d", (int)p->nspid);
		text = log_named(r, name, &own);
		if (!text || (!strstr(text, "AddressSanitizer exit stats") &&
			      !strstr(text, "ERROR: ") && !strstr(text, "SUMMARY: "))) {
			msg = xstrfmt("%s ended without running its exit handlers (_exit, _Exit, "
				      "quick_exit or exit_group in the process racelab started): "
				      "LeakSanitizer's check at exit never ran",
				      p->prog->name ? p->prog->name : "the program");
			diag_list_push(&res->diags, "tamper", "asan", msg);
			free(msg);
		}
		free(own);
		free(name);
	}
}

static int has_kind(const struct diag_list *l, const char *kind)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].kind, kind))
			return 1;
	return 0;
}

/*
 * What the watch saw of the run's processes: zombies, orphans, a server's
 * kept connections and a server that ended on its own. Zombies whose
 * parent is stuck in the hang go to `stuck`, for add_hang(); returns the
 * index in res->diags of the first server's end, or -1.
 */
static int add_processes(struct run *r, struct result *res, struct strvec *stuck)
{
	int server_end = -1;

	struct strvec z = STRVEC_INIT;

	if (r->watch)
		watch_zombies(r->watch, &z, stuck);
	for (size_t i = 0; i < z.n; i++)
		diag_list_push(&res->diags, "zombie", "watch", z.v[i]);
	for (size_t i = 0; i < r->orphans.n; i++)
		diag_list_push(&res->diags, "orphan", "watch", r->orphans.v[i]);
	for (size_t i = 0; i < r->leaks.n; i++)
		diag_list_push(&res->diags, "fd-leak", "watch", r->leaks.v[i]);
	for (size_t i = 0; i < r->events.n; i++) {
		char *tab = strchr(r->events.v[i], '\t');

		*tab = '\0';
		diag_list_push(&res->diags, r->events.v[i], "watch", tab + 1);
		*tab = '\t';
		if (server_end < 0)
			server_end = (int)res->diags.n - 1;
	}
	strvec_clear(&z);
	return server_end;
}

/*
 * The hang, and beneath it what it left behind (consequence.h): zombies
 * whose parent was stuck in it when the run was stopped (`stuck`), what
 * the processes it stopped reported on their way out (`exits`), and what
 * racelab could not do because of it (r->after_hang: clients never
 * started while their server hung). A hang that came after a server
 * ended on its own (server_end >= 0: its diagnostic) is the clients'
 * waiting for it: beneath the server's end. Nothing else is folded: a
 * pipe's write end held where it can never be closed (pipes.h) is why the
 * reader hangs, a bug of its own, and a connection a server kept is one,
 * hang or not.
 */
static void add_hang(struct run *r, struct result *res, const struct strvec *stuck,
		     const struct exit_reports *exits, int server_end)
{
	const char *name = hang_name(r->hang);
	struct diag *d;
	char *msg;
	int h;

	switch (r->hang) {
	case HANG_DEADLOCK:
		msg = xstrfmt("every thread blocked for %.1f s with no CPU used; stopped after %.1f s",
			      watch_window_ms(r->watch, r->hang) / 1000.0,
			      (now_ms() - r->start) / 1000.0);
		break;
	case HANG_LIVELOCK:
		/* The watch waits longer under Valgrind, which serializes threads. */
		msg = xstrfmt("threads kept running for %.1f s without progress; stopped after %.1f s",
			      watch_window_ms(r->watch, r->hang) / 1000.0,
			      (now_ms() - r->start) / 1000.0);
		break;
	default:
		msg = xstrfmt("did not end within %.1f s", r->spec->timeout_ms / 1000.0);
		break;
	}
	d = diag_list_push(&res->diags, name, "watch", msg);
	free(msg);
	if (r->describe.len)
		d->detail = xstrdup(r->describe.buf);
	d->cause = server_end;
	h = (int)res->diags.n - 1;
	for (size_t i = 0; i < exits->n; i++)
		res->diags.v[exits->v[i]].cause = h;
	for (size_t i = 0; i < stuck->n; i++)
		diag_list_push(&res->diags, "zombie", "watch", stuck->v[i])->cause = h;
	for (size_t i = 0; i < r->after_hang.n; i++) {
		char *tab = strchr(r->after_hang.v[i], '\t');

		*tab = '\0';
		diag_list_push(&res->diags, r->after_hang.v[i], "watch", tab + 1)->cause = h;
		*tab = '\t';
	}
}

/* The program whose exit is the run's: the one program, or the first client. */
static const struct run_proc *main_proc(const struct run *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].prog->role != ROLE_SERVER)
			return &r->procs[i];
	return &r->procs[0];
}

/* The limits of the run's sandbox it reached (cgroups: processes, memory). */
static void add_limits(struct run *r, struct result *res)
{
	struct strvec hit = STRVEC_INIT;

	sandbox_limits_hit(&r->sb, &hit);
	for (size_t i = 0; i < r->nprocs; i++)
		for (int k = 0; k < 2; k++) {
			const struct run_proc *p = &r->procs[i];
			const struct outcap *c = &p->cap[k];

			if (c->dropped)
				strvec_pushf(&hit, "%s%s%s: %llu bytes written, the first %lu kept, "
					     "%llu dropped", p->prog->name ? p->prog->name : "",
					     p->prog->name ? "'s " : "", k ? "stderr" : "stdout",
					     c->kept + c->dropped, OUTCAP_KEEP, c->dropped);
		}
	for (size_t i = 0; i < hit.n; i++)
		diag_list_push(&res->diags, "resource-limit", "sandbox", hit.v[i]);
	strvec_clear(&hit);
}

/* Clients (or the one program) that died by a signal no checker explained. */
static void add_crashes(struct run *r, struct result *res)
{
	if (has_kind(&res->diags, "crash") || has_kind(&res->diags, "stack-overflow"))
		return;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct run_proc *p = &r->procs[i];
		int st = p->cp.status;
		char *msg;

		if (p->prog->role == ROLE_SERVER || !p->ended || p->stopped || !WIFSIGNALED(st))
			continue;
		/* the kernel's answer at the memory limit: already a resource-limit */
		if (WTERMSIG(st) == SIGKILL && has_kind(&res->diags, "resource-limit"))
			continue;
		if (WTERMSIG(st) == SIGXFSZ) {
			/* The kernel's answer to a file past the run's size limit (run-command.c). */
			msg = xstrfmt("%s%swrote a file past the run's limit of %lu MB and was stopped",
				      p->prog->name ? p->prog->name : "", p->prog->name ? ": " : "",
				      RUN_FILE_SIZE_MAX >> 20);
			diag_list_push(&res->diags, "resource-limit", "signal", msg);
			free(msg);
			continue;
		}
		msg = xstrfmt("%s%skilled by signal %d (%s)", p->prog->name ? p->prog->name : "",
			      p->prog->name ? ": " : "", WTERMSIG(st), strsignal(WTERMSIG(st)));
		diag_list_push(&res->diags, "crash", "signal", msg);
		free(msg);
	}
}

void run_collect(struct run *r, struct result *res)
{
	const struct run_spec *s = r->spec;
	const struct run_proc *mp;
	struct strvec stuck = STRVEC_INIT;
	struct exit_reports exits = { NULL, 0, 0 };
	int vg_docs = 0, any_signal = 0, server_end;

	res->duration_ms = now_ms() - r->start;
	res->runs = 1;
	if (r->start_failed) {
		res->status = STATUS_ERROR;
		res->broken = 1;
		res->reason = xstrdup(r->start_error ? r->start_error : "the run could not start");
		return;
	}
	mp = main_proc(r);
	if (mp->ended && WIFEXITED(mp->cp.status))
		res->exit_code = WEXITSTATUS(mp->cp.status);
	else if (mp->ended && WIFSIGNALED(mp->cp.status))
		res->signal = WTERMSIG(mp->cp.status);
	res->hang = r->hang;
	res->hang_after_ms = r->hang_after_ms;
	res->timed_out = r->hang == HANG_TIMEOUT;
	for (size_t i = 0; i < r->nprocs; i++)
		any_signal |= r->procs[i].prog->role != ROLE_SERVER && r->procs[i].ended &&
			!r->procs[i].stopped && WIFSIGNALED(r->procs[i].cp.status);

	parse_logs(r, res, &vg_docs, &exits);
	add_tamper(r, res);
	add_scan(r, res);
	add_exit_skip(r, res);
	for (size_t i = 0; r->envg && i < r->envg->found.n; i++)
		diag_list_push(&res->diags, "tamper", "watch", r->envg->found.v[i]);
	server_end = add_processes(r, res, &stuck);
	add_limits(r, res);
	if (r->hang != HANG_NONE)
		add_hang(r, res, &stuck, &exits, server_end);
	else
		add_crashes(r, res);
	strvec_clear(&stuck);
	free(exits.v);
	consequences_fold(&res->diags);

	/* A report the program attacked is a fail with the tamper named, never an error. */
	if (has_kind(&res->diags, "tamper") && res->broken) {
		res->broken = 0;
		free(res->reason);
		res->reason = NULL;
	}
	if (!res->broken && s->tool->valgrind && !vg_docs && !has_kind(&res->diags, "tamper")) {
		res->broken = 1;
		res->reason = xstrfmt("valgrind wrote no report (see %s)", r->logdir);
	}
	if (!res->broken && !r->killed && res->diags.n == 0 && mp->prog->checked &&
	    tool_report_status(s->tool) >= 0 && res->exit_code == tool_report_status(s->tool)) {
		res->broken = 1;
		res->reason = xstrfmt("%s reported an error that racelab could not read (see %s)",
				      s->tool->name, r->logdir);
	}
	/* A hang or a death by signal is reported as such; the oracle would only repeat it. */
	if (r->hang == HANG_NONE && !any_signal &&
	    (s->oracle_on_every_tool || tool_observed(s->tool)))
		for (size_t i = 0; i < r->nprocs; i++)
			if (r->procs[i].prog->oracle && r->procs[i].started)
				oracle_check(r, res, &r->procs[i]);

	if (res->broken) {
		res->status = STATUS_ERROR;
		return;
	}
	if (!s->expect) {
		res->status = res->diags.n ? STATUS_FAIL : STATUS_PASS;
		return;
	}
	res->status = match_expectation(s->expect, &res->diags, &res->match) ?
		STATUS_PASS : STATUS_FAIL;
	/* An attack on the checker is never what an exercise expects, whatever lab.ini allows. */
	if (has_kind(&res->diags, "tamper"))
		res->status = STATUS_FAIL;
}
