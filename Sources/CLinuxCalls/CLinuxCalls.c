#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "CLinuxCalls.h"

int linux_rename_noreplace(const char *source, const char *destination) {
    return renameat2(AT_FDCWD, source, AT_FDCWD, destination, RENAME_NOREPLACE);
}

int linux_syncfs(int fd) {
    return syncfs(fd);
}

int linux_probe_read_lease(int fd) {
    if (fcntl(fd, F_SETLEASE, F_RDLCK) != 0) return -1;
    return fcntl(fd, F_SETLEASE, F_UNLCK);
}

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>

// What every child starts with, whatever this process set: no blocked signal, default
// dispositions, and optionally a process group of its own.
static void init_child_attributes(posix_spawnattr_t *attributes, int own_group) {
    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    posix_spawnattr_init(attributes);
    posix_spawnattr_setsigmask(attributes, &empty);
    posix_spawnattr_setsigdefault(attributes, &all);
    if (own_group) posix_spawnattr_setpgroup(attributes, 0);
    posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (own_group ? POSIX_SPAWN_SETPGROUP : 0));
}

int linux_spawn_job(const char *path, char *const argv[], char *const envp[], const char *directory,
                    int lock_fd, int log_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result;

    posix_spawn_file_actions_init(&actions);
    init_child_attributes(&attributes, 1);

    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
    posix_spawn_file_actions_adddup2(&actions, lock_fd, 3);
    posix_spawn_file_actions_addclosefrom_np(&actions, 4);
    if (directory != NULL) posix_spawn_file_actions_addchdir_np(&actions, directory);

    result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return result;
}

int linux_spawn_captured(const char *file, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result;

    posix_spawn_file_actions_init(&actions);
    init_child_attributes(&attributes, 0);

    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    result = posix_spawnp(pid, file, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return result;
}

int linux_wait_job(pid_t pid, int timeout_ms, int *status) {
    if (timeout_ms >= 0) {
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd >= 0) {
            struct pollfd ready = { .fd = pidfd, .events = POLLIN };
            int polled;
            do { polled = poll(&ready, 1, timeout_ms); } while (polled < 0 && errno == EINTR);
            close(pidfd);
            if (polled == 0) return 0;
        }
    }
    for (;;) {
        pid_t ended = waitpid(pid, status, 0);
        if (ended == pid) return 1;
        if (ended < 0 && errno != EINTR) return -1;
    }
}
