import Heartbeat

/// What the daemon's loop needs of one heartbeat medium, whatever carries it (a UDP socket, a
/// tty): a descriptor to poll, a way to send a wire packet and the packets received.
protocol MediumLink: AnyObject {
    /// The ha.cf medium.
    var medium: Medium { get }
    /// The descriptor and events to poll for, or `nil` while the medium is closed.
    var pollRequest: (descriptor: Int32, events: Int16)? { get }
    /// Sends one wire packet (as built for UDP: netstring); the errno when it could not be sent.
    func send(_ bytes: [UInt8]) -> Int32?
    /// Takes what is waiting after a poll (`revents` of its descriptor, 0 when not polled) and
    /// returns the packets received, each as the bytes of one message.
    func service(revents: Int16, now: Int64) -> [[UInt8]]
    /// Called every loop turn with the monotonic time in ms: reopens a closed medium when due.
    func tick(now: Int64)
}

extension MediumSocket: MediumLink {
    var pollRequest: (descriptor: Int32, events: Int16)? { (descriptor, Int16(POLLIN)) }

    // Datagram sockets are read without waiting, whether or not poll said so (as before).
    func service(revents: Int16, now: Int64) -> [[UInt8]] { receiveAll() }

    func tick(now: Int64) {}
}

#if canImport(Glibc)
import Glibc
#endif
