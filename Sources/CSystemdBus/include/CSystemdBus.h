// libsystemd's sd-bus without linking it: the header gives Swift sd-bus's types, and
// CSystemdBus_load reaches the library through dlopen("libsystemd.so.0") on first use. Linking
// libsystemd would make every ocf-run, for any resource class, load libgcrypt, liblzma, libzstd,
// liblz4 and libcap: about a millisecond per process. Swift calls the functions through the
// table; it never calls sd-bus's own symbols, which are not linked.
#ifndef CSYSTEMDBUS_H
#define CSYSTEMDBUS_H

#include <stddef.h>
#include <systemd/sd-bus.h>

/// The sd-bus functions SystemdBus uses, each under its own name.
#define CSYSTEMDBUS_FUNCTIONS(X)                                                                  \
    X(sd_bus_open_system) X(sd_bus_new) X(sd_bus_set_address) X(sd_bus_set_bus_client)            \
    X(sd_bus_start) X(sd_bus_flush_close_unref) X(sd_bus_process) X(sd_bus_wait)                  \
    X(sd_bus_call) X(sd_bus_get_property_string) X(sd_bus_match_signal) X(sd_bus_slot_unref)      \
    X(sd_bus_message_new_method_call) X(sd_bus_message_append_basic) X(sd_bus_message_read_basic) \
    X(sd_bus_message_ref) X(sd_bus_message_unref) X(sd_bus_error_free) X(sd_bus_error_set_errno)

#define CSYSTEMDBUS_FIELD(name) __typeof__(name) *_Nonnull name;

/// Pointers to the sd-bus functions, resolved from libsystemd.
typedef struct CSystemdBus_Library {
    CSYSTEMDBUS_FUNCTIONS(CSYSTEMDBUS_FIELD)
} CSystemdBus_Library;

#undef CSYSTEMDBUS_FIELD

/// Loads libsystemd and resolves the functions, once per process. Returns the table, or NULL
/// with the reason (dlopen's message, or the missing symbol) copied into `error`.
const CSystemdBus_Library *_Nullable CSystemdBus_load(char *_Nonnull error, size_t error_size);

#endif
