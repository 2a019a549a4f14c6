/*
 * librlwatch.so: preloaded into native runs only (see ../rlwatch.h).
 *
 * It appends one line per event to the file named by RACELAB_WATCH_FILE:
 *
 *   hello <pid>                        the preload runs in this process
 *                                      (at load, and in a fork child: a
 *                                      child that then execs says it twice)
 *   thread <pid> <tid>                 a pthread_create succeeded; <tid> is
 *                                      the new thread, or 0 when its creator
 *                                      counted it before it ran
 *   stack-overflow <pid> <tid> <addr> <frame>...
 *   peak, worker ...                   workers alive together, and each
 *                                      worker's life and locks (conc.c)
 *   priority-inversion <pid> waiter=<tid>:<prio> owner=<tid>:<prio>
 *       runner=<tid>:<prio> wait_ms=<n> ran_ms=<n> owner_delay_ms=<n>
 *       lock=<addr> <frame>...
 *
 * A frame is MODULE+0xOFFSET: OFFSET is relative to the module's load bias
 * (what addr2line -e MODULE expects, PIE or not), already pointing into
 * the call instruction for return addresses. Bytes of MODULE that are
 * blank, '%', '+' or not printable are written %XX.
 *
 * Rules: the program must not notice us. Every wrapper passes return
 * values and errno through, nothing happens without the environment
 * variable, and the file is opened for each line (O_APPEND, one write(2)
 * per line) so that we never hold a descriptor the program could close,
 * reuse or see as leaked.
 *
 * Stack overflow: a SIGSEGV handler on an alternate stack, installed at
 * load only if SIGSEGV is at its default action. A program that installs
 * its own SIGSEGV handler later replaces ours: its choice wins, and we
 * then see nothing. Our handler only writes the line when the fault lies
 * at the bottom of the faulting thread's stack, then restores SIG_DFL and
 * returns so that the fault repeats and the process dies exactly as it
 * would have.
 *
 * Priority inversion: pthread_mutex_lock tries the lock first; only a
 * contended lock taken by a real-time thread pays for the timing, in
 * inversion.c. pthread_mutex_timedlock and the re-lock inside
 * pthread_cond_wait are not watched.
 */
#include "../rlwatch.h"
#include "preload.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define TLS __thread __attribute__((tls_model("initial-exec")))

#define MAX_FRAMES 16
#define LINE_MAX_BYTES 4096
/* How far around the stack's low end a fault still counts as an overflow. */
#define OVERFLOW_SLACK (64 * 1024)

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *,
			 void *(*)(void *), void *);
typedef int (*lock_fn)(pthread_mutex_t *);

/* glibc's own public aliases: usable before dlsym has run. */
extern int __pthread_mutex_lock(pthread_mutex_t *);
extern int __pthread_mutex_trylock(pthread_mutex_t *);

static create_fn real_create;
static lock_fn real_lock = __pthread_mutex_lock;
static lock_fn real_trylock = __pthread_mutex_trylock;

static TLS uintptr_t stack_lo, stack_hi, stack_guard;
static TLS void *alt_stack;
static TLS size_t alt_size;
TLS int rlw_in_hook;

/* --- frames ----------------------------------------------------------- */

/*
 * Follow saved frame pointers from fp. Programs are built at -O0, which
 * keeps them; every pointer is checked to lie in [lo, hi) and to grow, so
 * a frame without one (libc at -O2) only ends the walk early.
 */
static size_t walk_frames(uintptr_t fp, uintptr_t lo, uintptr_t hi,
			  uintptr_t *out, size_t n, size_t max)
{
	while (n < max && fp >= lo && hi >= 2 * sizeof(uintptr_t) &&
	       fp <= hi - 2 * sizeof(uintptr_t) && !(fp & (sizeof(uintptr_t) - 1))) {
		const uintptr_t *f = (const uintptr_t *)fp;
		if (!f[1])
			break;
		out[n++] = f[1] - 1;
		if (f[0] <= fp)
			break;
		fp = f[0];
	}
	return n;
}

/* --- stack overflow --------------------------------------------------- */

static void note_stack_bounds(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size, guard = 0;

	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		pthread_attr_getguardsize(&attr, &guard);
		stack_lo = (uintptr_t)addr;
		stack_hi = (uintptr_t)addr + size;
		stack_guard = guard;
	}
	pthread_attr_destroy(&attr);
}

static void alt_stack_setup(void)
{
	stack_t ss;
	size_t size = 64 * 1024;
	long min = SIGSTKSZ;	/* sysconf(_SC_SIGSTKSZ) in glibc >= 2.34 */

	if (min > 0 && (size_t)min > size)
		size = (size_t)min;
	ss.ss_sp = mmap(NULL, size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (ss.ss_sp == MAP_FAILED)
		return;
	ss.ss_size = size;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL)) {
		munmap(ss.ss_sp, size);
		return;
	}
	alt_stack = ss.ss_sp;
	alt_size = size;
}

/* At thread exit: drop our alternate stack unless the program put its own. */
static void thread_teardown(void *unused)
{
	stack_t cur, off = { .ss_flags = SS_DISABLE };
	int saved = errno;

	(void)unused;
	conc_thread_end();
	inversion_thread_end();
	stack_lo = stack_hi = 0;
	if (alt_stack) {
		if (!sigaltstack(NULL, &cur) && cur.ss_sp == alt_stack)
			sigaltstack(&off, NULL);
		munmap(alt_stack, alt_size);
		alt_stack = NULL;
	}
	errno = saved;
}

/*
 * An overflow: the stack pointer has come down to the bottom of the
 * stack and the fault lies between it (or a bit below) and the bottom.
 * A null or wild pointer fails the test even on a deep stack.
 */
static int is_overflow(uintptr_t addr, uintptr_t sp)
{
	uintptr_t bottom = stack_lo + stack_guard + 4096;

	if (!stack_hi || addr >= bottom || sp >= bottom + OVERFLOW_SLACK)
		return 0;
	return addr + OVERFLOW_SLACK >= stack_lo || addr + OVERFLOW_SLACK >= sp;
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	int saved = errno;
	struct sigaction dfl;

	if (si->si_code > 0 && stack_hi) {
		ucontext_t *uc = ucv;
		uintptr_t pc = 0, sp = 0, fp = 0;
#if defined(__x86_64__)
		pc = uc->uc_mcontext.gregs[REG_RIP];
		sp = uc->uc_mcontext.gregs[REG_RSP];
		fp = uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__aarch64__)
		pc = uc->uc_mcontext.pc;
		sp = uc->uc_mcontext.sp;
		fp = uc->uc_mcontext.regs[29];
#endif
		if (sp && is_overflow((uintptr_t)si->si_addr, sp)) {
			char buf[LINE_MAX_BYTES];
			uintptr_t frames[MAX_FRAMES];
			size_t n = 0;
			struct line l;

			frames[n++] = pc;
#if defined(__x86_64__)
			/*
			 * Faulting on a callee's "push %rbp" (0x55, how every
			 * function starts at -O0): its frame is not set up
			 * yet, and the return address the call pushed, at
			 * sp, is the caller's frame.
			 */
			if (*(const unsigned char *)pc == 0x55 &&
			    sp >= stack_lo && sp + sizeof(uintptr_t) <= stack_hi)
				frames[n++] = *(const uintptr_t *)sp - 1;
#endif
			n = walk_frames(fp, sp, stack_hi, frames, n, MAX_FRAMES);
			l_begin(&l, buf, sizeof(buf), "stack-overflow");
			l_add(&l, " ", 1);
			l_uint(&l, (unsigned long long)gettid());
			l_add(&l, " ", 1);
			l_hex(&l, (uintptr_t)si->si_addr);
			for (size_t i = 0; i < n; i++)
				l_frame(&l, frames[i]);
			l_emit(&l);
		}
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	/* A sent signal does not come back by itself: send it again. */
	if (si->si_code <= 0)
		raise(sig);
	errno = saved;
}

static void install_segv_handler(void)
{
	struct sigaction sa, old;

	if (sigaction(SIGSEGV, NULL, &old) || (old.sa_flags & SA_SIGINFO) ||
	    old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
}

/* --- threads ---------------------------------------------------------- */

/*
 * Shared by the creator and the new thread: whichever comes first writes
 * the "thread" line (a thread that crashes the process at once, or one
 * that never runs before exit, still counts), the last one frees it.
 */
struct start {
	void *(*fn)(void *);
	void *arg;
	short counted;
	short refs;
	uint32_t noise;		/* the new thread's noise stream; 24 bytes in all, as */
};				/* before: a program's heap overflow lands where it did */

static void start_count(struct start *s, pid_t tid)
{
	short zero = 0;

	if (__atomic_compare_exchange_n(&s->counted, &zero, 1, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		emit_simple("thread", tid);
}

static void start_put(struct start *s)
{
	if (!__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL))
		free(s);
}

static void *trampoline(void *p)
{
	struct start *s = p;
	void *(*fn)(void *) = s->fn;
	void *arg = s->arg, *ret;
	uint32_t noise = s->noise;

	start_count(s, gettid());
	start_put(s);
	note_stack_bounds();
	alt_stack_setup();
	pthread_cleanup_push(thread_teardown, NULL);
	noise_thread_start(noise);
	conc_thread_start();	/* the worker's life is its function's */
	ret = fn(arg);
	pthread_cleanup_pop(1);
	return ret;
}

static create_fn get_real_create(void)
{
	create_fn f = __atomic_load_n(&real_create, __ATOMIC_ACQUIRE);

	if (!f) {
		f = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
		__atomic_store_n(&real_create, f, __ATOMIC_RELEASE);
	}
	return f;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	create_fn real = get_real_create();
	struct start *s;
	int saved = errno, ret;

	if (!real)
		return EAGAIN;	/* no libpthread below us: cannot happen with glibc */
	if (!rlw_enabled || !(s = malloc(sizeof(*s)))) {
		errno = saved;
		return real(thread, attr, fn, arg);
	}
	s->fn = fn;
	s->arg = arg;
	s->noise = noise_child_seed();
	s->counted = 0;
	s->refs = 2;
	ret = real(thread, attr, trampoline, s);
	if (ret) {
		free(s);
		return ret;
	}
	start_count(s, 0);
	start_put(s);
	conc_created();
	noise_point(NOISE_CREATE);
	errno = saved;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	uintptr_t frames[MAX_FRAMES], fp, caller = (uintptr_t)__builtin_return_address(0);
	struct conc_wait w;
	size_t nframes;
	int ret, saved;

	if (!rlw_enabled || rlw_in_hook)
		return real_lock(m);
	noise_point(NOISE_LOCK);
	ret = real_trylock(m);
	if (ret == 0 || ret == EOWNERDEAD) {
		conc_locked(m, caller);
		return ret;
	}
	saved = errno;
	if (ret != EBUSY || !self_is_realtime()) {
		conc_wait_begin(m, &w);
		errno = saved;
		ret = real_lock(m);
		saved = errno;
		if (ret == 0 || ret == EOWNERDEAD)
			conc_wait_end(&w, m, caller);
		errno = saved;
		return ret;
	}
	/*
	 * Our own frame: fp[0] is the caller's frame pointer, fp[1] the
	 * return address into the caller. Walked here, not in a callee,
	 * so that the frame is still ours.
	 */
	fp = (uintptr_t)__builtin_frame_address(0);
	nframes = walk_frames(fp, fp, stack_hi > fp ? stack_hi : fp + 2 * sizeof(uintptr_t),
			      frames, 0, MAX_FRAMES);
	conc_wait_begin(m, &w);
	errno = saved;
	ret = inversion_lock(m, frames, nframes);
	saved = errno;
	if (ret == 0 || ret == EOWNERDEAD)
		conc_wait_end(&w, m, caller);
	errno = saved;
	return ret;
}

/* --- load ------------------------------------------------------------- */

static char *read_exe_path(void)
{
	size_t size = 256;

	for (;;) {
		char *buf = malloc(size);
		ssize_t n;
		if (!buf)
			return NULL;
		n = readlink("/proc/self/exe", buf, size);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		size *= 2;
	}
}

static char *absolute_path(const char *path)
{
	char *cwd, *ret;
	size_t n;

	if (path[0] == '/')
		return strdup(path);
	if (!(cwd = getcwd(NULL, 0)))
		return NULL;
	n = strlen(cwd) + strlen(path) + 2;
	if ((ret = malloc(n)))
		snprintf(ret, n, "%s/%s", cwd, path);
	free(cwd);
	return ret;
}

static void note_self_base(void)
{
	Dl_info info;

	if (dladdr((void *)note_self_base, &info))
		rlw_self_base = info.dli_fbase;
}

static void fork_child_hello(void)
{
	emit_simple("hello", -1);
}

/*
 * The run's key, out of the program's reach before its code runs: kept
 * here, its bytes in the environment block (what /proc/self/environ
 * shows) overwritten, the variable removed. A program that exec()s runs
 * without it: its new image's lines are not read (rlwatch.h).
 */
static void take_key(void)
{
	char *v = getenv(RLWATCH_KEY_ENV);

	if (!v)
		return;
	if (strlen(v) == RLWATCH_KEY_LEN)
		l_set_key(v);
	memset(v, '0', strlen(v));
	unsetenv(RLWATCH_KEY_ENV);
}

__attribute__((constructor)) static void rlwatch_init(void)
{
	const char *env = getenv(RLWATCH_ENV);
	int saved = errno;
	lock_fn f;

	if (!env || !*env)
		return;
	if (!(rlw_watch_path = absolute_path(env)))
		goto out;
	rlw_exe_path = read_exe_path();
	note_self_base();
	get_real_create();
	if ((f = (lock_fn)dlsym(RTLD_NEXT, "pthread_mutex_lock")))
		real_lock = f;
	if ((f = (lock_fn)dlsym(RTLD_NEXT, "pthread_mutex_trylock")))
		real_trylock = f;
	rlw_enabled = 1;
	take_key();
	emit_simple("hello", -1);
	pthread_atfork(NULL, NULL, fork_child_hello);
	note_stack_bounds();
	alt_stack_setup();
	install_segv_handler();
	noise_init();
out:
	errno = saved;
}
