#if canImport(Glibc)
import Glibc
#endif
import CSystemdBus

/// One connection to a D-Bus bus through libsystemd's sd-bus: the system bus, or a bus at an
/// explicit address (a systemd in a test container, for instance). libsystemd is loaded on the
/// first connection, not linked (see CSystemdBus.h).
///
/// The connection is closed when the value goes away. sd-bus connections belong to one thread,
/// so the type is not `Sendable`.
public final class BusConnection {
    /// Which bus to connect to.
    public enum Endpoint: Sendable, Hashable {
        /// The system bus: `DBUS_SYSTEM_BUS_ADDRESS`, else `/run/dbus/system_bus_socket`.
        case system
        /// A bus at an address such as `unix:path=/run/dbus/system_bus_socket`, as a bus client.
        case address(String)
    }

    /// The sd-bus functions.
    let sd: CSystemdBus_Library
    let bus: OpaquePointer

    /// Connects (and, on a message bus, says `Hello`).
    ///
    /// - Throws: `BusError` when libsystemd is missing, or there is no bus, or it refuses the
    ///   connection.
    public init(_ endpoint: Endpoint = .system) throws(BusError) {
        let sd = try CSystemdBus_Library.load()
        var opened: OpaquePointer?
        switch endpoint {
        case .system:
            try sd.check(sd.sd_bus_open_system(&opened), "connecting to the system bus")
        case .address(let address):
            try sd.check(sd.sd_bus_new(&opened), "creating a bus connection")
            do {
                try sd.check(sd.sd_bus_set_address(opened, address), "using bus address \(address)")
                try sd.check(sd.sd_bus_set_bus_client(opened, 1), "making a bus client")
                try sd.check(sd.sd_bus_start(opened), "connecting to the bus at \(address)")
            } catch {
                _ = sd.sd_bus_flush_close_unref(opened)
                throw error
            }
        }
        guard let opened else {
            throw BusError(name: .serviceUnknown, message: "sd-bus returned no connection", operation: "connecting")
        }
        self.sd = sd
        bus = opened
    }

    deinit { _ = sd.sd_bus_flush_close_unref(bus) }

    /// Calls a method with string arguments and waits at most `timeoutMicroseconds` for the reply.
    func call(
        destination: String, path: String, interface: String, member: String, arguments: [String] = [],
        timeoutMicroseconds: UInt64
    ) throws(BusError) -> BusMessage {
        var request: OpaquePointer?
        try sd.check(
            sd.sd_bus_message_new_method_call(bus, &request, destination, path, interface, member),
            "building \(member)")
        let message = BusMessage(request, sd)
        for argument in arguments {
            // For string types the value is the string itself, not a pointer to it.
            try sd.check(
                sd.sd_bus_message_append_basic(message.pointer, CChar(UInt8(ascii: "s")), argument),
                "building \(member)")
        }
        var error = sd_bus_error()
        var reply: OpaquePointer?
        let result = sd.sd_bus_call(bus, message.pointer, timeoutMicroseconds, &error, &reply)
        try sd.check(result, &error, ([member] + arguments).joined(separator: " "))
        return BusMessage(reply, sd)
    }

    /// Reads a string-typed property (`s` or `o`).
    func stringProperty(
        destination: String, path: String, interface: String, name: String
    ) throws(BusError) -> String {
        var error = sd_bus_error()
        var value: UnsafeMutablePointer<CChar>?
        let result = sd.sd_bus_get_property_string(bus, destination, path, interface, name, &error, &value)
        try sd.check(result, &error, "reading \(name) of \(path)")
        defer { free(value) }
        return value.map { String(cString: $0) } ?? ""
    }

    /// Dispatches queued and incoming messages to their handlers without blocking.
    func processPending() throws(BusError) {
        while true {
            let result = sd.sd_bus_process(bus, nil)
            try sd.check(result, "processing bus messages")
            if result == 0 { return }
        }
    }

    /// Blocks until a message arrives or `timeoutMicroseconds` pass.
    func wait(timeoutMicroseconds: UInt64) throws(BusError) {
        let result = sd.sd_bus_wait(bus, timeoutMicroseconds)
        if result == -EINTR { return }
        try sd.check(result, "waiting for bus messages")
    }
}

/// A message sd-bus handed over, released when the value goes away.
final class BusMessage {
    let pointer: OpaquePointer?
    private let sd: CSystemdBus_Library

    /// Takes over one reference to `pointer`.
    init(_ pointer: OpaquePointer?, _ sd: CSystemdBus_Library) {
        self.pointer = pointer
        self.sd = sd
    }

    deinit { _ = sd.sd_bus_message_unref(pointer) }

    /// Reads the next argument, of string type `type` (`s`, `o` or `g`).
    func readString(_ type: Character = "s") throws(BusError) -> String {
        var value: UnsafePointer<CChar>?
        try sd.check(
            sd.sd_bus_message_read_basic(pointer, CChar(type.asciiValue!), &value), "reading a \(type) argument")
        return value.map { String(cString: $0) } ?? ""
    }

    /// Reads the next argument, of type `u`.
    func readUInt32() throws(BusError) -> UInt32 {
        var value: UInt32 = 0
        try sd.check(sd.sd_bus_message_read_basic(pointer, CChar(UInt8(ascii: "u")), &value), "reading a u argument")
        return value
    }
}
