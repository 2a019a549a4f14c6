/*
 * Hostile: Valgrind leaves the reports it opens by --log-file and
 * --xml-file open on low descriptors the program inherits, sharing
 * Valgrind's file offset. Once its race has been reported, the program
 * rewinds the XML report, writes a clean beginning over it and cuts the
 * rest: Valgrind's closing lines then follow the forged beginning and
 * make a complete document without the race. Valgrind still ends with
 * the status that says it reported errors (--error-exitcode), which the
 * program cannot change: a clean report with that status is no clean run.
 */
#include <string.h>
#include <unistd.h>

#include "log-fd.h"
#include "race.h"

static const char forged[] =
	"<?xml version=\"1.0\"?>\n\n<valgrindoutput>\n\n<protocolversion>4</protocolversion>\n"
	"<protocoltool>helgrind</protocoltool>\n\n<preamble>\n  <line>Helgrind</line>\n"
	"</preamble>\n\n<pid>2</pid>\n<ppid>1</ppid>\n<tool>helgrind</tool>\n\n"
	"<status>\n  <state>RUNNING</state>\n  <time>00:00:00:00.021 </time>\n</status>\n\n";

int main(void)
{
	int ret = race_main(race_worker);

	for (int fd = log_fd(3, ".xml"); fd >= 0; fd = log_fd(fd + 1, ".xml"))
		if (lseek(fd, 0, SEEK_SET) < 0 || write(fd, forged, strlen(forged)) < 0 ||
		    ftruncate(fd, (off_t)strlen(forged)) < 0)
			return 1;
	return ret;
}
