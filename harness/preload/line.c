/*
 * The preload's report lines (see rlwatch.c for their format), built
 * without stdio: the SIGSEGV handler writes them too.
 */
#include "preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int rlw_enabled;
/* The run's key and a blank, put before every line (rlwatch.h); empty: none. */
static char rlw_key[72];
static size_t rlw_keylen;
char *rlw_watch_path;
char *rlw_exe_path;
void *rlw_self_base;

void l_add(struct line *l, const char *s, size_t n)
{
	if (l->full || n > l->cap - 1 - l->len) {
		l->full = 1;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void l_str(struct line *l, const char *s)
{
	l_add(l, s, strlen(s));
}

void l_uint(struct line *l, unsigned long long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	l_add(l, tmp + i, sizeof(tmp) - i);
}

void l_hex(struct line *l, uintptr_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[2 + 2 * sizeof(v)];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	l_add(l, tmp + i, sizeof(tmp) - i);
}

void l_escaped(struct line *l, const char *s)
{
	static const char digits[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = *s;
		if (c <= ' ' || c >= 0x7f || c == '%' || c == '+') {
			char e[3] = { '%', digits[c >> 4], digits[c & 15] };
			l_add(l, e, 3);
		} else {
			l_add(l, s, 1);
		}
	}
}


/*
 * "MODULE+0xOFF"; returns 0, or -1 (nothing written) when the address is in
 * no module or in ours. dladdr takes the loader's lock, which is recursive:
 * the same thread faulting inside the loader does not deadlock, another
 * thread holding it only makes us wait.
 */
int l_place(struct line *l, uintptr_t addr)
{
	Dl_info info;
	struct link_map *lm = NULL;
	const char *module;
	size_t mark = l->len;

	if (!dladdr1((void *)addr, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm ||
	    info.dli_fbase == rlw_self_base)
		return -1;
	module = lm->l_name && lm->l_name[0] ? lm->l_name : rlw_exe_path;
	if (!module)
		return -1;
	l_escaped(l, module);
	l_add(l, "+", 1);
	l_hex(l, addr - lm->l_addr);
	if (l->full) {
		l->len = mark;	/* no half places; the line ends here */
		return -1;
	}
	return 0;
}

void l_frame(struct line *l, uintptr_t addr)
{
	size_t mark = l->len;

	l_add(l, " ", 1);
	if (l_place(l, addr))
		l->len = mark;
}

void l_begin(struct line *l, char *buf, size_t cap, const char *what)
{
	l->buf = buf;
	l->cap = cap;
	l->len = 0;
	l->full = 0;
	l_str(l, what);
	l_add(l, " ", 1);
	l_uint(l, (unsigned long long)getpid());
}

void l_set_key(const char *key)
{
	size_t n = strlen(key);

	if (n + 1 >= sizeof(rlw_key))
		return;
	memcpy(rlw_key, key, n);
	rlw_key[n] = ' ';
	rlw_keylen = n + 1;
}

/*
 * open/writev/close: async-signal-safe; errno is the caller's to keep.
 * One writev to a file opened for appending: the key and its line land
 * together, never split by another process's line.
 */
void l_emit(struct line *l)
{
	struct iovec v[2] = { { rlw_key, rlw_keylen }, { l->buf, 0 } };
	int fd;

	l->buf[l->len++] = '\n';
	v[1].iov_len = l->len;
	fd = open(rlw_watch_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	while (writev(fd, rlw_keylen ? v : v + 1, rlw_keylen ? 2 : 1) < 0 && errno == EINTR)
		;
	close(fd);
}

void emit_simple(const char *what, long tid)
{
	char buf[128];
	struct line l;
	int saved = errno;

	l_begin(&l, buf, sizeof(buf), what);
	if (tid >= 0) {
		l_add(&l, " ", 1);
		l_uint(&l, (unsigned long long)tid);
	}
	l_emit(&l);
	errno = saved;
}

