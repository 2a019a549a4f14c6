/*
 * Running the racelab program as a child, the way its users do (racelab-child.h).
 */
#include "racelab-child.h"
#include "cgroup-net.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define RACELAB "../build/racelab"

char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct out racelab(const char *dir, const char *const *argv)
{
	return racelab_net(dir, argv, NULL);
}

char *test_tmpl(const char *what)
{
	const char *tmp = getenv("TMPDIR");
	char *t;

	if (asprintf(&t, "%s/racelab-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", what) < 0)
		cr_assert_fail("asprintf");
	return t;
}

struct out racelab_net(const char *dir, const char *const *argv, const struct net *net)
{
	char *tmpl = test_tmpl("cli");
	char *o, *e;
	struct out r;
	pid_t pid;
	int st;

	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&o, "%s/out", tmpl) < 0 || asprintf(&e, "%s/err", tmpl) < 0)
		cr_assert_fail("asprintf");
	pid = fork();
	cr_assert_neq(pid, -1);
	if (!pid) {
		char exe[4096];
		/* racelab, and with it every run's init, dies with the test */
		if (net && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || net_join(net) < 0))
			_exit(125);
		if (!realpath(RACELAB, exe))
			_exit(126);
		if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr))
			_exit(126);
		if (dir && chdir(dir) < 0)
			_exit(126);
		setenv("NO_COLOR", "1", 1);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "racelab died by a signal");
	r.code = WEXITSTATUS(st);
	r.stdout_text = slurp(o);
	r.stderr_text = slurp(e);
	unlink(o);
	unlink(e);
	rmdir(tmpl);
	free(o);
	free(e);
	return r;
}
