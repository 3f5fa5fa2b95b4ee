// libcurl, loaded with dlopen on first use (filled by the apache agent work).
#ifndef CCURLSHIM_H
#define CCURLSHIM_H
/// Whether libcurl could be loaded.
int CCurlShim_available(void);
#endif
