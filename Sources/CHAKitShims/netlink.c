#define _GNU_SOURCE
#include "CHAKitShims_netlink.h"
#include <sched.h>

int CHAKitShims_setns(int fd, int nstype) {
    return setns(fd, nstype);
}
