// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not set.
#pragma once

// rename(2) that fails with EEXIST instead of replacing the destination (RENAME_NOREPLACE).
int linux_rename_noreplace(const char *source, const char *destination);
// syncfs(2): flush the whole filesystem holding fd with one journal commit.
int linux_syncfs(int fd);
// Places a read lease on fd and releases it at once. Fails with EAGAIN while any process on this
// host has the file open for writing: the one reliable "still being written" test Linux offers.
int linux_probe_read_lease(int fd);

#include <sys/types.h>

// Starts a stage job: `path` with `argv`/`envp` in its own process group, in `directory`, with
// stdin from /dev/null, stdout and stderr to `log_fd`, and the task's locked descriptor as fd 3
// (so the lock lives exactly as long as the job's processes). Every other descriptor is closed and
// the signal mask and dispositions are reset. Returns 0 and the pid, or an errno value.
int linux_spawn_job(const char *path, char *const argv[], char *const envp[], const char *directory,
                    int lock_fd, int log_fd, pid_t *pid);

// Starts `file` (searched in PATH) with `argv`/`envp`, stdin from /dev/null, stdout to
// `stdout_fd` and stderr to `stderr_fd`; every other descriptor is closed and the signal mask and
// dispositions are reset, as for a job. For programs whose output is read back (rsync listings).
int linux_spawn_captured(const char *file, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd, pid_t *pid);

// Waits for `pid` up to `timeout_ms` (negative: no limit). Returns 1 with its wait status when it
// ended, 0 on timeout, -1 on error (errno set).
int linux_wait_job(pid_t pid, int timeout_ms, int *status);
