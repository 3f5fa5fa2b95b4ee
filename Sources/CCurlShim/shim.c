#include "CCurlShim.h"
#include <dlfcn.h>

int CCurlShim_available(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    return library != 0;
}
