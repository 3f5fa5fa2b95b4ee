// C shims for the Netlink target: only what Swift cannot import from glibc and libmnl.
// Every symbol is prefixed CHAKitShims_ and does nothing but forward.
// Included from the umbrella header CHAKitShims.h.
#ifndef CHAKITSHIMS_NETLINK_H
#define CHAKITSHIMS_NETLINK_H

/// setns(2), declared by glibc only under _GNU_SOURCE. Returns 0, or -1 with errno set.
int CHAKitShims_setns(int fd, int nstype);

#endif
