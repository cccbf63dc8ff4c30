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
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

// Component by component with O_NOFOLLOW, for kernels without openat2 (before 5.6): every
// directory on the way is opened without following a link, so none can lead outside.
static int open_beneath_by_components(int dir_fd, const char *path, int flags, mode_t mode) {
    char copy[PATH_MAX];
    if (strlen(path) >= sizeof copy) { errno = ENAMETOOLONG; return -1; }
    strcpy(copy, path);
    int current = dir_fd;
    char *rest = copy;
    for (;;) {
        char *slash = strchr(rest, '/');
        if (slash != NULL) *slash = '\0';
        if (rest[0] == '\0' || strcmp(rest, "..") == 0) {
            if (current != dir_fd) close(current);
            errno = EXDEV;
            return -1;
        }
        int next = slash == NULL
            ? openat(current, rest, flags | O_NOFOLLOW | O_CLOEXEC, mode)
            : openat(current, rest, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int failure = errno;
        if (current != dir_fd) close(current);
        if (next < 0) { errno = failure == ENOTDIR && slash != NULL ? ELOOP : failure; return -1; }
        if (slash == NULL) return next;
        current = next;
        rest = slash + 1;
    }
}

int linux_make_directories_beneath(int dir_fd, const char *path, mode_t mode) {
    char copy[PATH_MAX];
    if (path[0] == '/') { errno = EXDEV; return -1; }
    if (strlen(path) >= sizeof copy) { errno = ENAMETOOLONG; return -1; }
    strcpy(copy, path);
    int current = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    if (current < 0) return -1;
    char *saved = NULL;
    for (char *name = strtok_r(copy, "/", &saved); name != NULL; name = strtok_r(NULL, "/", &saved)) {
        if (strcmp(name, ".") == 0) continue;
        if (strcmp(name, "..") == 0) { close(current); errno = EXDEV; return -1; }
        if (mkdirat(current, name, mode) != 0 && errno != EEXIST) { int e = errno; close(current); errno = e; return -1; }
        int next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int failure = errno;
        close(current);
        if (next < 0) { errno = failure == ENOTDIR ? ELOOP : failure; return -1; }
        current = next;
    }
    return current;
}

#include <dirent.h>

int linux_remove_tree_at(int dir_fd, const char *name) {
    if (unlinkat(dir_fd, name, 0) == 0 || errno == ENOENT) return 0;
    if (errno != EISDIR && errno != EPERM) return -1;
    int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -1;
    DIR *directory = fdopendir(fd);
    if (directory == NULL) { int e = errno; close(fd); errno = e; return -1; }
    int result = 0;
    struct dirent *entry;
    while (result == 0 && (entry = readdir(directory)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        result = linux_remove_tree_at(dirfd(directory), entry->d_name);
    }
    int failure = errno;
    closedir(directory);
    if (result != 0) { errno = failure; return -1; }
    if (unlinkat(dir_fd, name, AT_REMOVEDIR) != 0 && errno != ENOENT) return -1;
    return 0;
}

int linux_open_beneath(int dir_fd, const char *path, int flags, mode_t mode) {
    if (path[0] == '/') { errno = EXDEV; return -1; }
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    int fd;
    do { fd = (int)syscall(SYS_openat2, dir_fd, path, &how, sizeof how); } while (fd < 0 && errno == EAGAIN);
    if (fd >= 0 || errno != ENOSYS) return fd;
    return open_beneath_by_components(dir_fd, path, flags, mode);
}

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/socket.h>

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

int linux_spawn(const char *program, int search_path, char *const argv[], char *const envp[], int directory_fd,
                int lock_fd, int stdin_fd, int stdout_fd, int stderr_fd, int own_group, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result;

    posix_spawn_file_actions_init(&actions);
    init_child_attributes(&attributes, own_group);

    // The working directory is entered through its descriptor, first: the dup2 onto fd 3 below
    // would replace it if it were fd 3. The path it was opened by may have changed since.
    if (directory_fd >= 0) posix_spawn_file_actions_addfchdir_np(&actions, directory_fd);
    if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    if (lock_fd >= 0) posix_spawn_file_actions_adddup2(&actions, lock_fd, 3);
    posix_spawn_file_actions_addclosefrom_np(&actions, lock_fd >= 0 ? 4 : 3);

    result = search_path ? posix_spawnp(pid, program, &actions, &attributes, argv, envp)
                         : posix_spawn(pid, program, &actions, &attributes, argv, envp);
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

int linux_peer_credentials(int socket_fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    *pid = credentials.pid;
    *uid = credentials.uid;
    *gid = credentials.gid;
    return 0;
}
