#ifndef RACELAB_PROC_H
#define RACELAB_PROC_H
/*
 * Every read of /proc racelab makes: a process's or a thread's stat,
 * status, comm, descriptors and current system call. The watch, the pipe
 * and socket checks and the child-process code all read through here, so
 * that one parser handles a command name with blanks and parentheses and
 * one table names system calls. Readers return -1 when the process has
 * gone, which is normal: it may end between two reads.
 */
#include "strbuf.h"

#include <stdint.h>
#include <sys/types.h>

/* Read /proc/<fmt with a, b> into sb (reset first). */
int proc_read(struct strbuf *sb, const char *fmt, pid_t a, pid_t b);
/* A /proc directory entry's name as a pid (> 0). */
int proc_parse_pid(const char *s, pid_t *out);
/*
 * Fields 3.. of a stat line (after the command name, which may hold
 * spaces and ')'), split in place: fields[0] is the state.
 */
int proc_stat_fields(char *text, char **fields, int n);
/* The number after key (e.g. "\nvoluntary_ctxt_switches:") in a status file, or 0. */
uint64_t proc_status_field(const char *status, const char *key);
/* State, parent and session of pid; any pointer may be NULL. */
int proc_stat(pid_t pid, char *state, pid_t *ppid, pid_t *sid);
/* The pid that pid's own (innermost) PID namespace knows it by. */
int proc_nspid(pid_t pid, pid_t *out);
/* The command name of pid into out, "?" when it is gone. */
void proc_comm(pid_t pid, char *out, size_t size);
/* The path of the file pid runs (/proc/PID/exe) into out; -1 when it is gone or unreadable. */
int proc_exe(pid_t pid, char *out, size_t size);
/*
 * The name to show a student for pid: its command name, except for a
 * program Valgrind runs, which the kernel names after the tool
 * ("helgrind-amd64-"): then the program's file name, as its command name
 * would be (15 characters at most). "?" when pid is gone.
 */
void proc_program_name(pid_t pid, char *out, size_t size);

/* The system call a thread is in, from /proc/PID/task/TID/syscall. */
struct proc_syscall {
	long nr;		/* -1: running, not in a syscall, or unreadable */
	const char *name;	/* NULL when not in racelab's table */
	int timed;		/* a wait that ends by itself (a sleep, a timeout) */
	uint64_t arg[6];
};
void proc_parse_syscall(const char *text, struct proc_syscall *sc);
int proc_syscall(struct strbuf *sb, pid_t pid, pid_t tid, struct proc_syscall *sc);

/* Calls fn for each thread of pid until it returns nonzero; returns that value. */
int proc_each_task(pid_t pid, int (*fn)(pid_t pid, pid_t tid, void *data), void *data);
/* Calls fn for each open descriptor of pid ("/proc/PID/fd/N" in path) until it returns nonzero. */
int proc_each_fd(pid_t pid, int (*fn)(pid_t pid, int fd, const char *path, void *data), void *data);

#endif
