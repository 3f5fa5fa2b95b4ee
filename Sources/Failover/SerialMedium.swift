import HAKitSystem
import Heartbeat

#if canImport(Glibc)
import Glibc
#endif

/// A `serial DEVICE` medium: a tty set up as heartbeat 3.0.6 sets it up (`ttysetup` in
/// lib/plugins/HBcomm/serial.c), read and written without ever blocking the daemon's loop.
///
/// - Open: `O_RDWR|O_NOCTTY`, plus `O_NONBLOCK` (heartbeat blocks in `read`; we poll), then
///   `TIOCEXCL` so no other process can open the line while we hold it (heartbeat takes a UUCP lock
///   file in /var/lock instead).
/// - Termios as heartbeat: no input translation but `IGNCR` and `ISTRIP` (7-bit: the classic format
///   is ASCII), `INPCK|BRKINT`, no `OPOST`, `CS8|CREAD|CLOCAL|CRTSCTS`, no `ICANON|ECHO|ISIG`, the
///   configured speed both ways, then a flush. heartbeat also sends a break to make the peer flush;
///   `tcsendbreak` sleeps a quarter of a second, so it is not done here.
/// - Out: heartbeat converts every packet to the classic format (`>>>\n` … `<<<\n`) and signs it
///   with the `auth` field (`add_msg_auth`); so do we. Bytes wait in a bounded queue written as the
///   tty takes them (heartbeat writes 512-byte fragments with a sleep between; the tty's own output
///   buffer paces the line here). A full queue drops the new packet: heartbeats are periodic.
/// - In: `SerialFrameDecoder` frames messages as heartbeat's `serial_read` does.
/// - Failure: end of file, `EIO`, a hangup or any other read or write error closes the tty (no
///   busy loop on a dead descriptor); it is reopened every `reopenIntervalMs` and the peer's link on
///   it goes dead by the membership's dead time, as any silent link.
final class SerialMedium {
    let medium: Medium
    let device: String
    let baud: Int
    private let key: AuthKey
    private let log: DaemonLog
    private var descriptor: Int32 = -1
    private var decoder = SerialFrameDecoder()
    private var output: [UInt8] = []
    private var reopenAt: Int64 = 0
    private var lastFailure = ""
    /// Packets dropped because the output queue was full.
    private(set) var dropped = 0

    /// The most bytes waiting to be written (a few packets).
    static let outputLimit = 64 * 1024
    /// The most bytes read in one loop turn, so a flooding tty cannot hold up the UDP media.
    static let readBudget = 64 * 1024
    /// How often a closed tty is tried again.
    static let reopenIntervalMs: Int64 = 2000

    /// Opens the tty; an error names the device and the step (heartbeat does not start then either).
    init(_ medium: Medium, device: String, baud: Int, key: AuthKey, log: DaemonLog) throws {
        self.medium = medium
        self.device = device
        self.baud = baud
        self.key = key
        self.log = log
        descriptor = try Self.open(device, baud: baud)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Messages dropped for reaching 256 KiB, and lines skipped looking for `>>>` (since start).
    var framingDrops: (overlong: Int, skippedLines: Int) { (decoder.overlong, decoder.skippedLines) }

    /// Whether the tty is open.
    var isOpen: Bool { descriptor >= 0 }

    private static func speed(_ baud: Int) -> speed_t? {
        switch baud {
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        case 230400: speed_t(B230400)
        case 460800: speed_t(B460800)
        default: nil
        }
    }

    private static func open(_ device: String, baud: Int) throws -> Int32 {
        guard let speed = speed(baud) else { throw SystemError(errno: EINVAL, "serial \(device): baud \(baud)") }
        let fd = try syscall("serial \(device): open") { Glibc.open(device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) }
        var ok = false
        defer { if !ok { close(fd) } }
        guard isatty(fd) == 1 else { throw SystemError(errno: ENOTTY, "serial \(device): not a tty") }
        try syscall("serial \(device): TIOCEXCL") { ioctl(fd, UInt(TIOCEXCL)) }
        var ti = termios()
        try syscall("serial \(device): tcgetattr") { tcgetattr(fd, &ti) }
        ti.c_iflag &= ~tcflag_t(IGNBRK | IUCLC | IXANY | IXOFF | IXON | ICRNL | PARMRK)
        ti.c_iflag |= tcflag_t(INPCK | ISTRIP | IGNCR | BRKINT)
        ti.c_oflag &= ~tcflag_t(OPOST)
        ti.c_cflag &= ~tcflag_t(CBAUD | CSIZE | PARENB)
        ti.c_cflag |= tcflag_t(CS8 | CREAD | CLOCAL) | tcflag_t(CRTSCTS)
        ti.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        ti.c_line = 0
        withUnsafeMutableBytes(of: &ti.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 1
        }
        try syscall("serial \(device): cfsetspeed") { cfsetispeed(&ti, speed) }
        try syscall("serial \(device): cfsetspeed") { cfsetospeed(&ti, speed) }
        try syscall("serial \(device): tcsetattr") { tcsetattr(fd, TCSANOW, &ti) }
        _ = tcflush(fd, TCIOFLUSH)
        ok = true
        return fd
    }

    private func fail(_ what: String, errno code: Int32, now: Int64) {
        let text = "\(what): \(String(cString: strerror(code)))"
        if descriptor >= 0 {
            log.warning("serial \(device): \(text); closing it, trying again every \(Self.reopenIntervalMs) ms")
            close(descriptor)
            descriptor = -1
        }
        lastFailure = text
        decoder.reset()
        output.removeAll()
        reopenAt = now + Self.reopenIntervalMs
    }
}

extension SerialMedium: MediumLink {
    var pollRequest: (descriptor: Int32, events: Int16)? {
        guard descriptor >= 0 else { return nil }
        return (descriptor, Int16(POLLIN) | (output.isEmpty ? 0 : Int16(POLLOUT)))
    }

    func send(_ bytes: [UInt8]) -> Int32? {
        guard descriptor >= 0 else { return EIO }
        // The packets are built for UDP (netstring); heartbeat's serial_write turns them into the
        // classic format and signs that, and so do we.
        guard let packet = try? ReceivedPacket(decoding: bytes) else { return EINVAL }
        let line = packet.message.signed(with: key).classicEncoded
        guard output.count + line.count <= Self.outputLimit else {
            dropped += 1
            return EAGAIN
        }
        output += line
        flush(now: MonotonicClock.milliseconds())
        return nil
    }

    func service(revents: Int16, now: Int64) -> [[UInt8]] {
        guard descriptor >= 0, revents != 0 else { return [] }
        var packets: [[UInt8]] = []
        if revents & Int16(POLLIN) != 0 || revents & Int16(POLLHUP | POLLERR) != 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var total = 0
            while descriptor >= 0 && total < Self.readBudget {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    total += count
                    packets += decoder.feed(buffer[..<count])
                    continue
                }
                let code = errno
                if count < 0 && (code == EAGAIN || code == EWOULDBLOCK) { break }
                if count < 0 && code == EINTR { continue }
                fail(count == 0 ? "end of file" : "read", errno: count == 0 ? EIO : code, now: now)
            }
            // A hangup with nothing left to read: the other end is gone.
            if descriptor >= 0 && revents & Int16(POLLHUP | POLLERR) != 0 && total == 0 {
                fail("hangup", errno: EIO, now: now)
            }
        }
        if descriptor >= 0 && revents & Int16(POLLOUT) != 0 { flush(now: now) }
        return packets
    }

    func tick(now: Int64) {
        guard descriptor < 0, now >= reopenAt else { return }
        do {
            descriptor = try Self.open(device, baud: baud)
            log.info("serial \(device): reopened (\(baud) baud) after: \(lastFailure)")
        } catch {
            let text = "\(error)"
            if text != lastFailure { log.warning("serial \(device): cannot reopen: \(text)") }
            lastFailure = text
            reopenAt = now + Self.reopenIntervalMs
        }
    }

    /// Writes what the tty takes now; the rest waits for POLLOUT.
    private func flush(now: Int64) {
        while descriptor >= 0 && !output.isEmpty {
            let count = output.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                output.removeFirst(min(count, output.count))
                continue
            }
            let code = errno
            if count < 0 && (code == EAGAIN || code == EWOULDBLOCK) { return }
            if count < 0 && code == EINTR { continue }
            fail("write", errno: count == 0 ? EIO : code, now: now)
        }
    }
}
