// The Swift standard library's argv support, for hakit-agent only.
//
// Statically linked, the Swift runtime finds argv in a C++ static initializer that opens and
// sscanf's /proc/self/maps: about 0.2–0.3 ms of every agent action, which is a fresh process (a
// monitor costs 2 ms in all). glibc hands argc and argv to every ELF constructor, so this file
// captures them there and defines the two functions the standard library asks for, which keeps the
// linker from pulling the runtime's own CommandLine object out of libswiftCore.a. With a shared
// runtime (debug builds) these definitions take precedence over the library's and behave the same.
#include "CHAKitStartup.h"

static char **captured_argv;
static int captured_argc;
static char *empty_argv[] = {0};

__attribute__((constructor)) static void hakit_capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    captured_argc = argc;
    captured_argv = argv;
}

char **_swift_stdlib_getUnsafeArgvArgc(int *outArgLen) {
    if (!captured_argv) {
        *outArgLen = 0;
        return empty_argv;
    }
    *outArgLen = captured_argc;
    return captured_argv;
}

void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) {
    captured_argv = argv;
    captured_argc = argc;
}
