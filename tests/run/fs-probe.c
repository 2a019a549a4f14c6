/*
 * Looks at the files it can reach: exits 0 when every path given as an
 * argument (the lab's own files) cannot be read, the system cannot be
 * written, and its working directory, /tmp and /dev/shm can; 1 otherwise
 * (and says which).
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int bad;

static void expect(const char *path, int flags, int allowed)
{
	int fd = open(path, flags, 0644);

	if ((fd >= 0) != allowed) {
		printf("%s: %s %s\n", path, flags ? "write" : "read", fd >= 0 ? "allowed" : "refused");
		bad = 1;
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		expect(argv[i], O_RDONLY, 0);
	expect("/usr/racelab-probe", O_WRONLY | O_CREAT, 0);
	expect("/etc/racelab-probe", O_WRONLY | O_CREAT, 0);
	expect("../racelab-probe", O_WRONLY | O_CREAT, 0);
	expect("racelab-probe", O_WRONLY | O_CREAT, 1);
	expect("/tmp/racelab-probe", O_WRONLY | O_CREAT, 1);
	expect("/dev/shm/racelab-probe", O_WRONLY | O_CREAT, 1);
	return bad;
}
