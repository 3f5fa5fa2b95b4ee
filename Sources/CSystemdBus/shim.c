#include "CSystemdBus.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// The resolved functions: written once under pthread_once, read-only afterwards. libsystemd is
// never closed: sd-bus keeps thread-local state that must outlive any connection.
static CSystemdBus_Library library;
static char failure[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_once(void) {
    void *handle = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(failure, sizeof failure, "%s", reason ? reason : "cannot load libsystemd.so.0");
        return;
    }
#define CSYSTEMDBUS_RESOLVE(name)                                                          \
    if (failure[0] == 0 && (*(void **)&library.name = dlsym(handle, #name)) == NULL) {     \
        snprintf(failure, sizeof failure, "libsystemd.so.0 has no %s", #name);            \
    }
    CSYSTEMDBUS_FUNCTIONS(CSYSTEMDBUS_RESOLVE)
#undef CSYSTEMDBUS_RESOLVE
}

const CSystemdBus_Library *CSystemdBus_load(char *error, size_t error_size) {
    pthread_once(&once, load_once);
    if (failure[0] != 0) {
        snprintf(error, error_size, "%s", failure);
        return NULL;
    }
    return &library;
}
