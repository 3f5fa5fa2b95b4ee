#include "CCurlShim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// The resolved functions: written once under pthread_once, read-only afterwards.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    char error[256];
    int loaded;
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void *resolve(void *library, const char *name) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL && curl.error[0] == 0) {
        snprintf(curl.error, sizeof curl.error, "libcurl.so.4 has no %s", name);
    }
    return symbol;
}

static void load_once(void) {
    // RTLD_LAZY: binding libcurl's many dependencies on first call costs less than all up front.
    void *library = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(curl.error, sizeof curl.error, "%s", reason ? reason : "cannot load libcurl.so.4");
        return;
    }
    *(void **)&curl.global_init = resolve(library, "curl_global_init");
    *(void **)&curl.easy_init = resolve(library, "curl_easy_init");
    *(void **)&curl.easy_cleanup = resolve(library, "curl_easy_cleanup");
    *(void **)&curl.easy_setopt = resolve(library, "curl_easy_setopt");
    *(void **)&curl.easy_perform = resolve(library, "curl_easy_perform");
    *(void **)&curl.easy_getinfo = resolve(library, "curl_easy_getinfo");
    *(void **)&curl.easy_strerror = resolve(library, "curl_easy_strerror");
    if (curl.error[0] != 0) return;
    // curl_global_init is not thread-safe; pthread_once makes this its only call.
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(curl.error, sizeof curl.error, "curl_global_init: %s", curl.easy_strerror(code));
        return;
    }
    curl.loaded = 1;
}

int CCurlShim_load(char *error, size_t error_size) {
    pthread_once(&curl_once, load_once);
    if (curl.loaded) return 0;
    if (error != NULL && error_size > 0) snprintf(error, error_size, "%s", curl.error);
    return -1;
}

CURL *CCurlShim_easy_init(void) {
    return curl.loaded ? curl.easy_init() : NULL;
}

void CCurlShim_easy_cleanup(CURL *handle) {
    if (curl.loaded && handle != NULL) curl.easy_cleanup(handle);
}

CURLcode CCurlShim_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.loaded ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode CCurlShim_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.loaded ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode CCurlShim_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.loaded ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode CCurlShim_easy_setopt_write_function(CURL *handle, CCurlShim_write_callback callback) {
    return curl.loaded ? curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback) : CURLE_FAILED_INIT;
}

CURLcode CCurlShim_easy_perform(CURL *handle) {
    return curl.loaded ? curl.easy_perform(handle) : CURLE_FAILED_INIT;
}

CURLcode CCurlShim_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.loaded ? curl.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

const char *CCurlShim_easy_strerror(CURLcode code) {
    return curl.loaded ? curl.easy_strerror(code) : "libcurl is not loaded";
}
