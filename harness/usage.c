#include "usage.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Long enough for any message; a longer one is cut, never lost. */
#define MSG_MAX 4096

static void vreport(const char *prefix, const char *fmt, va_list ap, int errnum)
{
	char msg[MSG_MAX];
	size_t n;
	int r;

	r = snprintf(msg, sizeof(msg), "%s", prefix);
	n = r > 0 ? (size_t)r : 0;
	r = vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	n += r > 0 ? (size_t)r : 0;
	if (n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	if (errnum) {
		r = snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(errnum));
		n += r > 0 ? (size_t)r : 0;
		if (n > sizeof(msg) - 2)
			n = sizeof(msg) - 2;
	}
	msg[n++] = '\n';
	fflush(stdout);
	if (write(2, msg, n) < 0) {
		/* nowhere left to report to */
	}
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("racelab: fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(RACELAB_EXIT_BROKEN);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("racelab: error: ", fmt, ap, 0);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("racelab: error: ", fmt, ap, e);
	va_end(ap);
	errno = e;
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("racelab: warning: ", fmt, ap, 0);
	va_end(ap);
}
