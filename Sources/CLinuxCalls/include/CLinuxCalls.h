// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not set.
#pragma once

// rename(2) that fails with EEXIST instead of replacing the destination (RENAME_NOREPLACE).
int linux_rename_noreplace(const char *source, const char *destination);
// syncfs(2): flush the whole filesystem holding fd with one journal commit.
int linux_syncfs(int fd);
// Places a read lease on fd and releases it at once. Fails with EAGAIN while any process on this
// host has the file open for writing: the one reliable "still being written" test Linux offers.
int linux_probe_read_lease(int fd);
