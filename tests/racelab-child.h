#ifndef RACELAB_TESTS_CHILD_H
#define RACELAB_TESTS_CHILD_H
/*
 * racelab run as a child process from the tests: its exit code and both
 * streams, which the caller owns.
 */
struct out {
	int code;
	char *stdout_text;
	char *stderr_text;
};

/*
 * A template for mkdtemp(): "$TMPDIR/racelab-WHAT-XXXXXX" (TMPDIR: /tmp
 * when unset; make unit gives the tests a folder of their own, removed
 * when they pass). Never freed: a test's process is short.
 */
char *test_tmpl(const char *what);
/* Run racelab with argv (NULL-terminated) in dir (NULL: here); capture both streams. */
struct out racelab(const char *dir, const char *const *argv);
/* The same, racelab inside a cgroup net (cgroup-net.h) from its first instruction. */
struct net;
struct out racelab_net(const char *dir, const char *const *argv, const struct net *net);
/* The whole file, NUL-terminated; the test fails when it cannot be read. */
char *slurp(const char *path);

#endif
