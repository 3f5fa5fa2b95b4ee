// Thin C shims for what Swift cannot import directly: variadic calls and macros.
// Every symbol is prefixed CHAKitShims_ and does nothing but forward.
#ifndef CHAKITSHIMS_H
#define CHAKITSHIMS_H

#include <sys/types.h>
#include <spawn.h>
#include <linux/if_packet.h>   /* sockaddr_ll; the kernel header, as CMnl sees it, so the struct has one definition */
#include <linux/sched.h>        /* CLONE_NEWNET */
#include <sys/eventfd.h>        /* eventfd: a worker thread wakes the daemon's poll loop */
#include <sys/signalfd.h>       /* signalfd: signals as readable events in the poll loop */
#include <poll.h>
#include <time.h>

/// pidfd_open(2) through syscall(2), which is variadic. Returns a file descriptor or -1 with errno set.
int CHAKitShims_pidfd_open(pid_t pid, unsigned int flags);

/// pidfd_send_signal(2): signals the process a pidfd refers to, immune to pid reuse.
int CHAKitShims_pidfd_send_signal(int pidfd, int sig);

/// pipe2(2), hidden behind _GNU_SOURCE in glibc's headers.
int CHAKitShims_pipe2(int fds[2], int flags);

/// posix_spawn_file_actions_addclosefrom_np (glibc >= 2.34), hidden behind _GNU_SOURCE.
int CHAKitShims_posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

/// ppoll(2) without a signal mask: poll with a nanosecond timeout. Hidden behind _GNU_SOURCE.
int CHAKitShims_ppoll(struct pollfd *fds, nfds_t count, const struct timespec *timeout);

/// WDIOC_SETTIMEOUT on a watchdog device (the ioctl's number is a macro Swift cannot import):
/// asks for `seconds`; returns 0 and the timeout the driver chose in `*seconds`, or -1 with errno.
int CHAKitShims_watchdog_set_timeout(int fd, int *seconds);

#include "CHAKitShims_netlink.h"

#endif
