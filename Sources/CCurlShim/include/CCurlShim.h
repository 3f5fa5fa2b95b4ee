// libcurl without linking it: the header gives Swift curl's types and constants, and the
// functions below reach the library through dlopen("libcurl.so.4") on first use. Linking libcurl
// would make every agent action, a fresh process, load OpenSSL, nghttp2, LDAP and Kerberos.
// Each CCurlShim_ function only forwards; the variadic curl_easy_setopt/getinfo become one
// non-variadic function per argument type, which Swift can call.
#ifndef CCURLSHIM_H
#define CCURLSHIM_H

#include <stddef.h>
#include <curl/curl.h>

/// The CURLOPT_WRITEFUNCTION callback type.
typedef size_t (*CCurlShim_write_callback)(char *data, size_t size, size_t count, void *context);

/// Loads libcurl and resolves its functions, once per process. Returns 0, or -1 with the reason
/// (dlopen's or dlsym's message) copied into `error`.
int CCurlShim_load(char *error, size_t error_size);

/// curl_easy_init; NULL when libcurl is not loaded or out of memory.
CURL *CCurlShim_easy_init(void);

/// curl_easy_cleanup.
void CCurlShim_easy_cleanup(CURL *handle);

/// curl_easy_setopt with a long argument.
CURLcode CCurlShim_easy_setopt_long(CURL *handle, CURLoption option, long value);

/// curl_easy_setopt with a string argument (libcurl copies it).
CURLcode CCurlShim_easy_setopt_string(CURL *handle, CURLoption option, const char *value);

/// curl_easy_setopt with a pointer argument (CURLOPT_WRITEDATA, CURLOPT_ERRORBUFFER).
CURLcode CCurlShim_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);

/// curl_easy_setopt(CURLOPT_WRITEFUNCTION).
CURLcode CCurlShim_easy_setopt_write_function(CURL *handle, CCurlShim_write_callback callback);

/// curl_easy_perform.
CURLcode CCurlShim_easy_perform(CURL *handle);

/// curl_easy_getinfo with a long result.
CURLcode CCurlShim_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// curl_easy_strerror.
const char *CCurlShim_easy_strerror(CURLcode code);

#endif
