#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import Netlink
import OCF

/// Sends gratuitous ARPs for an address on an interface, natively on an `AF_PACKET` socket.
public struct GratuitousARP {
    /// The interface to announce on.
    public let interface: Link
    /// The address announced.
    public let address: IPv4Address

    /// Creates a sender.
    public init(interface: Link, address: IPv4Address) {
        self.interface = interface
        self.address = address
    }

    /// The hardware address used as sender: the interface's, or zeros (loopback has none).
    var hardware: [UInt8] {
        interface.hardwareAddress.count == 6 ? interface.hardwareAddress : [0, 0, 0, 0, 0, 0]
    }

    /// Sends `count` rounds `intervalMilliseconds` apart; each round is a gratuitous request and,
    /// half an interval later, a gratuitous reply, as resource-agents' send_arp does (some
    /// switches and hosts only learn from one of the two).
    /// With `firstRequestSent`, the first round starts with its reply: the caller has sent the
    /// request (`sendRequest`).
    public func send(count: Int, intervalMilliseconds: Int, firstRequestSent: Bool = false) throws {
        guard count > 0 else { return }
        let socket = try PacketSocket(interfaceIndex: interface.index, etherType: ARPFrame.etherType)
        let request = ARPFrame.gratuitous(.request, address: address, hardware: hardware).bytes
        let reply = ARPFrame.gratuitous(.reply, address: address, hardware: hardware).bytes
        let half = max(0, intervalMilliseconds) / 2
        for round in 0..<count {
            if round > 0 || !firstRequestSent { try socket.send(request) }
            MonotonicClock.sleep(milliseconds: half)
            try socket.send(reply)
            if round < count - 1 { MonotonicClock.sleep(milliseconds: max(0, intervalMilliseconds) - half) }
        }
    }

    /// Sends one gratuitous request, the first frame of a round, and returns the socket it used.
    public func sendRequest() throws -> PacketSocket {
        let socket = try PacketSocket(interfaceIndex: interface.index, etherType: ARPFrame.etherType)
        try socket.send(ARPFrame.gratuitous(.request, address: address, hardware: hardware).bytes)
        return socket
    }

    /// Whether another host answers for the address: sends `probes` ARP probes (sender 0.0.0.0,
    /// RFC 5227 §2.1.1) and listens for a reply from the address until `waitMilliseconds` pass.
    /// Returns the hardware address of the host that answered, or `nil`.
    public func conflictingHost(probes: Int = 2, waitMilliseconds: Int = 1000) throws -> [UInt8]? {
        let socket = try PacketSocket(interfaceIndex: interface.index, etherType: ARPFrame.etherType)
        let probe = ARPFrame.probe(for: address, hardware: hardware).bytes
        let deadline = MonotonicClock.deadline(afterMilliseconds: waitMilliseconds)
        let spacing = Int64(waitMilliseconds / max(1, probes))
        var nextProbe = MonotonicClock.milliseconds()
        var sent = 0
        while true {
            let now = MonotonicClock.milliseconds()
            if now >= deadline { return nil }
            if sent < probes && now >= nextProbe {
                try socket.send(probe)
                sent += 1
                nextProbe = now + spacing
            }
            let wait = Int(min(deadline, sent < probes ? nextProbe : deadline) - now)
            guard let bytes = try socket.receive(timeoutMilliseconds: max(1, wait)), let frame = ARPFrame(bytes: bytes)
            else { continue }
            // Any ARP from another station that claims the address: a reply, or its own announcement.
            if frame.senderAddress == address && frame.senderHardware != hardware {
                return frame.senderHardware
            }
        }
    }
}

/// How an address is announced with gratuitous ARPs: how many rounds, how far apart, and whether
/// a background sender does it so that the action returns at once.
public struct Announcement: Sendable {
    /// Rounds of a request and a reply; 0 sends nothing.
    public var rounds: Int
    /// Milliseconds between rounds.
    public var intervalMilliseconds: Int
    /// Whether a background sender does it (`BackgroundARP`).
    public var background: Bool
    /// The agent's environment: the background sender's pid file goes into its `HA_RSCTMP`.
    public var environment: OCFEnvironment

    /// Creates the settings.
    public init(rounds: Int, intervalMilliseconds: Int, background: Bool, environment: OCFEnvironment) {
        self.rounds = rounds
        self.intervalMilliseconds = intervalMilliseconds
        self.background = background
        self.environment = environment
    }

    /// Sends the ARPs for `address` on `interface` (a loopback interface gets frames with a zero
    /// hardware address). A failure, even to start the background sender, is a generic error (1).
    public func send(for address: IPv4Address, on interface: Link) throws {
        guard rounds > 0 else { return }
        do {
            if background {
                // The first request goes out before start returns: starting the sender process
                // takes milliseconds, which would add to every takeover the clients see. Like the
                // background sending, it may fail without failing start (the sender then sends the
                // whole sequence itself). Its socket goes to the sender: the last close of a packet
                // socket waits for an RCU grace period (about 15 ms, packet_release), which the
                // sender pays when it ends, not start.
                let socket = try? GratuitousARP(interface: interface, address: address).sendRequest()
                try withExtendedLifetime(socket) {  // open until the sender has its copy
                    try BackgroundARP.start(
                        interface: interface.name, address: address, count: rounds, intervalMilliseconds: intervalMilliseconds,
                        pidFile: BackgroundARP.pidFile(stateDirectory: environment.stateDirectory, address: address),
                        environment: environment.variables, firstRequestSent: socket != nil,
                        inheriting: socket.map { [$0.fd] } ?? [])
                }
            } else {
                try GratuitousARP(interface: interface, address: address).send(
                    count: rounds, intervalMilliseconds: intervalMilliseconds)
            }
        } catch {
            throw OCFError.generic("could not send gratuitous ARPs for \(address) on \(interface.name): \(error)")
        }
    }
}

extension Announcement {
    /// Sends unsolicited neighbour advertisements for an IPv6 address: `rounds` of one each,
    /// `intervalMilliseconds` apart. The first goes out before this returns; with `background`
    /// the rest come from the background sender, as the ARPs do for IPv4. A failure is a
    /// generic error (1).
    public func send(for address: IPv6Address, on interface: Link) throws {
        guard rounds > 0 else { return }
        let sender = UnsolicitedNeighborAdvertisement(interface: interface, address: address)
        do {
            let socket = try sender.sendFirst()
            guard rounds > 1 else { return }
            if background {
                try BackgroundARP.start(
                    interface: interface.name, address: address, count: rounds, intervalMilliseconds: intervalMilliseconds,
                    pidFile: BackgroundARP.pidFile(stateDirectory: environment.stateDirectory, address: address),
                    environment: environment.variables, firstRequestSent: true)
            } else {
                try sender.send(count: rounds, intervalMilliseconds: intervalMilliseconds, firstSent: true, socket: socket)
            }
        } catch {
            throw OCFError.generic(
                "could not send unsolicited neighbour advertisements for \(address) on \(interface.name): \(error)")
        }
    }
}

/// The background gratuitous-ARP sender: a copy of this binary started detached, so that start
/// returns at once, tracked by a pid file as resource-agents' send_arp is (`send_arp-<ip>`).
public enum BackgroundARP {
    /// The internal command `hakit-agent` runs the sender under.
    public static let command = "--send-arp"

    /// The pid file for an address in the state directory.
    public static func pidFile(stateDirectory: String, address: some CustomStringConvertible) -> String {
        "\(stateDirectory)/send_arp-\(address)"
    }

    /// Starts the sender in a process group of its own (a timeout kill of the agent's group
    /// does not reach it) and records its pid. When the pid cannot be recorded, the sender is
    /// killed and reaped before the error is thrown: no stop could find it, and the caller rolls
    /// back the address it would go on announcing.
    /// With `firstRequestSent`, the sender starts with the first round's reply; `inheriting`
    /// descriptors stay open in it (as 3, 4, …) until it ends.
    public static func start(
        interface: String, address: some CustomStringConvertible, count: Int, intervalMilliseconds: Int, pidFile: String,
        environment: [String: String], firstRequestSent: Bool = false, inheriting: [Int32] = []
    ) throws {
        if let directory = pidFile.lastIndex(of: "/").map({ String(pidFile[..<$0]) }), !directory.isEmpty {
            try FileSystem.makeDirectories(directory)
        }
        stop(pidFile: pidFile)
        let child = try ChildProcess.spawn(
            path: "/proc/self/exe",
            arguments: ["hakit-agent", command, interface, "\(address)", "\(count)", "\(intervalMilliseconds)", pidFile]
                + (firstRequestSent ? [firstRequestSentFlag] : []),
            environment: environment, newProcessGroup: true, captureOutput: false, inheriting: inheriting)
        do {
            try FileSystem.writeAtomically(pidFile, contents: "\(child.pid)\n")
        } catch {
            // Killed a few microseconds after its spawn, long before it has opened its sockets.
            child.signalGroup(SIGKILL)
            child.reap(blocking: true)
            throw error
        }
    }

    /// The pid of a sender that is still running, from its pid file.
    public static func runningPid(pidFile: String) -> Int32? {
        guard let text = try? FileSystem.read(pidFile), let pid = Int32(text.filter { $0.isNumber }),
            ProcessTable.isRunning(pid), ProcessTable.commandLine(pid).contains(command)
        else { return nil }
        return pid
    }

    /// Stops a running sender and removes its pid file; returns whether one was running.
    @discardableResult
    public static func stop(pidFile: String) -> Bool {
        defer { try? FileSystem.remove(pidFile) }
        guard let pid = runningPid(pidFile: pidFile) else { return false }
        return kill(pid, SIGTERM) == 0
    }

    /// The sender's last argument when the first request was sent by the agent.
    static let firstRequestSentFlag = "--first-request-sent"

    /// The sender's own body: announce, then remove the pid file if it is still ours.
    /// Arguments: INTERFACE ADDRESS COUNT INTERVAL_MS PIDFILE [--first-request-sent]. An IPv6
    /// ADDRESS gets unsolicited neighbour advertisements, the flag meaning the first was sent.
    public static func run(arguments: [String]) -> Int32 {
        let firstRequestSent = arguments.count == 6 && arguments[5] == firstRequestSentFlag
        let arguments = firstRequestSent ? Array(arguments.prefix(5)) : arguments
        let ipv6 = arguments.count == 5 ? IPv6Address(arguments[1]) : nil
        let ipv4 = arguments.count == 5 ? IPv4Address(arguments[1]) : nil
        guard arguments.count == 5, ipv4 != nil || ipv6 != nil, let count = Int(arguments[2]),
            let interval = Int(arguments[3])
        else {
            writeStandardError("usage: hakit-agent \(command) INTERFACE ADDRESS COUNT INTERVAL_MS PIDFILE [\(firstRequestSentFlag)]\n")
            return 2
        }
        // Nobody reads our output: do not hold the caller's pipes open.
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            dup2(null, 1)
            dup2(null, 2)
            close(null)
        }
        defer {
            if (try? FileSystem.read(arguments[4]))?.filter({ $0.isNumber }) == "\(getpid())" {
                try? FileSystem.remove(arguments[4])
            }
        }
        do {
            let netlink = try NetlinkSocket()
            guard let link = try netlink.link(named: arguments[0]) else { return 1 }
            if let ipv6 {
                try UnsolicitedNeighborAdvertisement(interface: link, address: ipv6).send(
                    count: count, intervalMilliseconds: interval, firstSent: firstRequestSent)
            } else if let ipv4 {
                try GratuitousARP(interface: link, address: ipv4).send(
                    count: count, intervalMilliseconds: interval, firstRequestSent: firstRequestSent)
            }
            return 0
        } catch {
            return 1
        }
    }
}
