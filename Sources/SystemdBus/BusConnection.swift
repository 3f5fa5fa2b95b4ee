#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// One connection to a D-Bus bus through libsystemd's sd-bus: the system bus, or a bus at an
/// explicit address (a systemd in a test container, for instance).
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

    let bus: OpaquePointer

    /// Connects (and, on a message bus, says `Hello`).
    ///
    /// - Throws: `BusError` when there is no bus or it refuses the connection.
    public init(_ endpoint: Endpoint = .system) throws(BusError) {
        var opened: OpaquePointer?
        switch endpoint {
        case .system:
            try BusError.check(sd_bus_open_system(&opened), "connecting to the system bus")
        case .address(let address):
            try BusError.check(sd_bus_new(&opened), "creating a bus connection")
            do {
                try BusError.check(sd_bus_set_address(opened, address), "using bus address \(address)")
                try BusError.check(sd_bus_set_bus_client(opened, 1), "making a bus client")
                try BusError.check(sd_bus_start(opened), "connecting to the bus at \(address)")
            } catch {
                sd_bus_flush_close_unref(opened)
                throw error
            }
        }
        guard let opened else {
            throw BusError(name: .serviceUnknown, message: "sd-bus returned no connection", operation: "connecting")
        }
        bus = opened
    }

    deinit { sd_bus_flush_close_unref(bus) }

    /// Calls a method with string arguments and waits at most `timeoutMicroseconds` for the reply.
    func call(
        destination: String, path: String, interface: String, member: String, arguments: [String] = [],
        timeoutMicroseconds: UInt64
    ) throws(BusError) -> BusMessage {
        var request: OpaquePointer?
        try BusError.check(
            sd_bus_message_new_method_call(bus, &request, destination, path, interface, member), "building \(member)")
        let message = BusMessage(request)
        for argument in arguments {
            try BusError.check(
                sd_bus_message_append_basic(message.pointer, CChar(UInt8(ascii: "s")), argument), "building \(member)")
        }
        var error = sd_bus_error()
        var reply: OpaquePointer?
        let result = sd_bus_call(bus, message.pointer, timeoutMicroseconds, &error, &reply)
        try BusError.check(result, &error, ([member] + arguments).joined(separator: " "))
        return BusMessage(reply)
    }

    /// Reads a string-typed property (`s` or `o`).
    func stringProperty(
        destination: String, path: String, interface: String, name: String
    ) throws(BusError) -> String {
        var error = sd_bus_error()
        var value: UnsafeMutablePointer<CChar>?
        let result = sd_bus_get_property_string(bus, destination, path, interface, name, &error, &value)
        try BusError.check(result, &error, "reading \(name) of \(path)")
        defer { free(value) }
        return value.map { String(cString: $0) } ?? ""
    }

    /// Dispatches queued and incoming messages to their handlers without blocking.
    func processPending() throws(BusError) {
        while true {
            let result = sd_bus_process(bus, nil)
            try BusError.check(result, "processing bus messages")
            if result == 0 { return }
        }
    }

    /// Blocks until a message arrives or `timeoutMicroseconds` pass.
    func wait(timeoutMicroseconds: UInt64) throws(BusError) {
        let result = sd_bus_wait(bus, timeoutMicroseconds)
        if result == -EINTR { return }
        try BusError.check(result, "waiting for bus messages")
    }
}

/// A message sd-bus handed over, released when the value goes away.
final class BusMessage {
    let pointer: OpaquePointer?

    init(_ pointer: OpaquePointer?) { self.pointer = pointer }

    deinit { sd_bus_message_unref(pointer) }

    /// Reads the next argument, of string type `type` (`s`, `o` or `g`).
    func readString(_ type: Character = "s") throws(BusError) -> String {
        var value: UnsafePointer<CChar>?
        try BusError.check(
            sd_bus_message_read_basic(pointer, CChar(type.asciiValue!), &value), "reading a \(type) argument")
        return value.map { String(cString: $0) } ?? ""
    }

    /// Reads the next argument, of type `u`.
    func readUInt32() throws(BusError) -> UInt32 {
        var value: UInt32 = 0
        try BusError.check(sd_bus_message_read_basic(pointer, CChar(UInt8(ascii: "u")), &value), "reading a u argument")
        return value
    }
}
