// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not set.
#pragma once

#include <sys/types.h>

// rename(2) that fails with EEXIST instead of replacing the destination (RENAME_NOREPLACE).
int linux_rename_noreplace(const char *source, const char *destination);
// syncfs(2): flush the whole filesystem holding fd with one journal commit.
int linux_syncfs(int fd);
// Places a read lease on fd and releases it at once. Fails with EAGAIN while any process on this
// host has the file open for writing: the one reliable "still being written" test Linux offers.
int linux_probe_read_lease(int fd);
// Opens `path` (relative, no "..") beneath the directory `dir_fd` without following any symbolic
// link on the way or at the end (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or component
// by component with O_NOFOLLOW on kernels without it). A link anywhere fails with ELOOP, an
// escape with EXDEV. O_CLOEXEC is always added.
int linux_open_beneath(int dir_fd, const char *path, int flags, mode_t mode);
// Opens the directory `path` (relative, no "..") beneath `dir_fd`, creating missing components
// with `mode`, each opened with O_NOFOLLOW: a symbolic link on the way fails with ELOOP.
int linux_make_directories_beneath(int dir_fd, const char *path, mode_t mode);
// Removes `name` in the directory `dir_fd`, with everything below it when it is a directory, never
// following a symbolic link (a link is removed as a link). Missing is success. 0, or -1 and errno.
int linux_remove_tree_at(int dir_fd, const char *name);


// Starts `program` (searched in PATH when `search_path`) with `argv`/`envp`: stdin from `stdin_fd`
// (-1: /dev/null), stdout and stderr to the given descriptors, in the directory open as
// `directory_fd` (-1: this process's), with `lock_fd` (-1: none) as its fd 3 (so a task's lock
// lives exactly as long as the child's processes), in a process group of its own when `own_group`. Every other descriptor
// is closed and the signal mask and dispositions are reset. Returns 0 and the pid, or an errno.
int linux_spawn(const char *program, int search_path, char *const argv[], char *const envp[], int directory_fd,
                int lock_fd, int stdin_fd, int stdout_fd, int stderr_fd, int own_group, pid_t *pid);

// Waits for `pid` up to `timeout_ms` (negative: no limit). Returns 1 with its wait status when it
// ended, 0 on timeout, -1 on error (errno set).
int linux_wait_job(pid_t pid, int timeout_ms, int *status);

// The peer of a connected Unix socket as the kernel recorded it at connect(2) (SO_PEERCRED):
// what a log keeper trusts about its sender, never what the sender says. 0, or -1 and errno.
int linux_peer_credentials(int socket_fd, pid_t *pid, uid_t *uid, gid_t *gid);
