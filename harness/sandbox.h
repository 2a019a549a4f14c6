#ifndef RACELAB_SANDBOX_H
#define RACELAB_SANDBOX_H
/*
 * The sandbox of one run: every program of the run (a server and its
 * clients, too) runs inside the same one, and nothing of the run outlives
 * it. See docs/sandbox.md.
 *
 *   PID namespace   its pid 1 is racelab's own small init (a child of
 *                   racelab with PR_SET_PDEATHSIG), which reaps orphans;
 *                   when it dies (sandbox_kill, or racelab's own death)
 *                   the kernel kills every process of the namespace;
 *   network         a namespace of its own with only lo, up;
 *   mounts          a root of its own (sandbox-fs.h): the system read-only,
 *                   the run's folder the only writable place, the lab and
 *                   the rest of the machine out of view;
 *   IPC, UTS        namespaces of their own: System V IPC objects and
 *                   message queues die with the run;
 *   cgroups         pids.max, memory.limit_in_bytes, cpu.shares (cgroup.h);
 *   user id         one of its own (run-uid.h), when racelab is root.
 *
 * Ownership: the run (run.c) owns its struct sandbox: sandbox_open() and
 * sandbox_start() when the run starts, sandbox_kill() or sandbox_end()
 * when it ends, sandbox_close() once every program of it has been reaped
 * (the init cannot end before that: the kernel waits for every process of
 * the namespace). start_command() puts a child_process whose `sandbox` is
 * set into it: sandbox_fork() in the parent, sandbox_enter() in the child
 * before it changes directory.
 *
 * Parts the kernel refuses (not root, namespaces or cgroups not allowed)
 * are left out with one message each the first time; the run then goes
 * on with what is left (docs/sandbox.md "Fallbacks").
 */
#include "cgroup.h"
#include "sandbox-fs.h"
#include "run-command.h"
#include "strvec.h"
#include <sys/types.h>

/* Defaults, changed by RACELAB_PIDS_MAX and RACELAB_MEMORY_MAX (MiB): docs/sandbox.md. */
#define SANDBOX_PIDS_MAX 512
#define SANDBOX_MEMORY_MAX (2ULL << 30)

enum sandbox_ns { SB_NS_PID, SB_NS_NET, SB_NS_MNT, SB_NS_IPC, SB_NS_UTS, SB_NS_NR };

struct sandbox {
	pid_t init;		/* pid 1 of the namespaces (racelab's pid for it), 0: none */
	int ns[SB_NS_NR];	/* the init's namespaces, or -1 */
	int keepalive;		/* the init ends when this closes (racelab died) */
	struct cgroup cg;
	uid_t uid;		/* the run's own user id when uid_lock >= 0 */
	int uid_lock;
	struct strvec full;	/* the run's folders found full (sandbox_note_full) */
};

#define SANDBOX_INIT { 0, { -1, -1, -1, -1, -1 }, -1, CGROUP_INIT, 0, -1, STRVEC_INIT }

/*
 * Once per racelab, before the first run: read RACELAB_SANDBOX (off: no
 * sandbox at all) and the limits, clean up after a racelab that died.
 */
void sandbox_setup(void);
/*
 * Make the sandbox of a run in two steps: sandbox_open() its cgroups and
 * user id (sb->uid, to own the run's folders), then, once its folders
 * exist, sandbox_start() its init, namespaces and root (sandbox-fs.h;
 * fs NULL: the machine's). `name` must be unique among the runs of this
 * racelab; `realtime`: the run needs SCHED_FIFO (no cpu cgroup,
 * cgroup.h). Neither fails as a whole: a part that cannot be made is
 * left out (and said once). Both return 0.
 */
int sandbox_open(struct sandbox *sb, const char *name, int realtime);
int sandbox_start(struct sandbox *sb, const struct sandbox_fs *fs);
/* Put cp into the sandbox, as the run's own user when it has one. */
void sandbox_child(const struct sandbox *sb, struct child_process *cp);
/* fork(), the child inside the run's PID namespace. */
pid_t sandbox_fork(const struct sandbox *sb);
/* In the child of sandbox_fork(), before chdir: cgroups, namespaces. 0 or -1 (errno). */
int sandbox_enter(const struct sandbox *sb);
/* The pid the run's processes know `pid` (racelab's view) by; pid itself without a namespace. */
pid_t sandbox_pid(const struct sandbox *sb, pid_t pid);
/*
 * The highest pid a process of the run can have had (its namespace gives
 * pids in turn), 0 when unknown. Call while the init lives.
 */
pid_t sandbox_last_pid(const struct sandbox *sb);
/* Every process of the run, at once (SIGKILL to its init). */
void sandbox_kill(struct sandbox *sb);
/*
 * The same, and wait until the namespace is empty. Every program racelab
 * started in it must have been reaped (the kernel waits for that).
 */
void sandbox_end(struct sandbox *sb);
/* 0 when RACELAB_SANDBOX=off or racelab is not root. */
int sandbox_enabled(void);
/*
 * Before the run ends (while its init lives): note each of the run's own
 * file systems (cwd, /tmp, /dev/shm: tmpfs with a cap) that is full, as
 * a disk filler leaves them; sandbox_limits_hit() names them.
 */
void sandbox_note_full(struct sandbox *sb, const char *cwd);
/* Limits the run reached (resource-limit lines onto out); see cgroup_limits_hit(). */
int sandbox_limits_hit(const struct sandbox *sb, struct strvec *out);
/* 1 once the run's process limit refused a fork (a fork bomb): see cgroup_pids_full(). */
int sandbox_pids_full(const struct sandbox *sb);
/* Kill what is left, wait for the init, remove the cgroups, give the id back. */
void sandbox_close(struct sandbox *sb);

#endif
