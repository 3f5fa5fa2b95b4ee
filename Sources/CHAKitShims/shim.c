#define _GNU_SOURCE
#include "CHAKitShims.h"
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/watchdog.h>

int CHAKitShims_pidfd_open(pid_t pid, unsigned int flags) {
    return (int)syscall(SYS_pidfd_open, pid, flags);
}

int CHAKitShims_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int CHAKitShims_pipe2(int fds[2], int flags) {
    return pipe2(fds, flags);
}

int CHAKitShims_ppoll(struct pollfd *fds, nfds_t count, const struct timespec *timeout) {
    return ppoll(fds, count, timeout, NULL);
}

int CHAKitShims_posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int CHAKitShims_watchdog_set_timeout(int fd, int *seconds) {
    return ioctl(fd, WDIOC_SETTIMEOUT, seconds);
}
