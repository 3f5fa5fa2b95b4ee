#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// Control-socket clients that never send their line, or send it a byte at a time, used to hold
/// the daemon's only loop for a second each: a few of them stalled heartbeats for 4–5 s, the peer
/// declared the node dead and both held the address. Now nothing a client does may delay a
/// heartbeat, and the client side gives up on a daemon that never answers.
@Suite(.serialized) struct ControlSocketAbuseTests {
    /// A connected stream socket to `path`, non-blocking, or -1.
    static func connectRaw(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    @Test func silentAndTricklingClientsDelayNoHeartbeat() throws {
        try HeartbeatCluster.with("cs") { cluster in
            try cluster.start()
            let placed = cluster.waitUntil(timeoutMilliseconds: 20_000) {
                try cluster.placed("203.0.113.10/24/hb0", address: "203.0.113.10", on: "node1")
            }
            try #require(placed != nil, "start-up\n\(cluster.diagnostics())")
            let socketPath = "\(cluster.node1.runDirectory)/control.sock"
            let node2LogBefore = cluster.node2.log.count
            let daemon = try #require(cluster.node1.process?.pid)
            func descriptors() -> Int { ((try? TestSupport.run(["ls", "/proc/\(daemon)/fd"]).output) ?? "").split(separator: "\n").count }
            let descriptorsBefore = descriptors()

            // 24 clients for a 16-client daemon: 16 silent, 8 sending "status" one byte every 250 ms.
            var silent: [Int32] = []
            var trickling: [Int32] = []
            for index in 0..<24 {
                let fd = Self.connectRaw(socketPath)
                try #require(fd >= 0, "connect \(index): errno \(errno)")
                if index < 16 { silent.append(fd) } else { trickling.append(fd) }
            }
            defer { for fd in silent + trickling { close(fd) } }
            let request = Array("status\n".utf8)
            let start = MonotonicClock.milliseconds()
            var statusAnswered = 0
            for round in 0..<12 {  // 3 s: three dead times of the peer
                for fd in trickling where round < request.count {
                    _ = request[round...round].withUnsafeBytes { send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }
                }
                if round == 4 || round == 8 {
                    // A real administrator's request is still answered while the abuse goes on.
                    let answer = try cluster.node1.control("status")
                    #expect(answer.status == 0, "status during the abuse: \(answer.errorOutput)")
                    if answer.status == 0 { statusAnswered += 1 }
                }
                MonotonicClock.sleep(milliseconds: 250)
            }
            let elapsed = MonotonicClock.milliseconds() - start
            #expect(statusAnswered == 2)
            #expect(cluster.node1.isRunning && cluster.node2.isRunning)
            let node2Log = String(cluster.node2.log.dropFirst(node2LogBefore))
            for line in ["node node1: is dead", "Late heartbeat", "mach_down", "taking over"] {
                #expect(!node2Log.contains(line), "node2 logged '\(line)' during \(elapsed) ms of control-socket abuse:\n\(node2Log)")
            }
            #expect(try cluster.placed("203.0.113.10/24/hb0", address: "203.0.113.10", on: "node1"), "\(cluster.diagnostics())")

            // Every abusive client was closed by the daemon by its 2 s deadline: reads see the end.
            var closed = 0
            var byte: UInt8 = 0
            for fd in silent + trickling {
                var result = read(fd, &byte, 1)
                while result > 0 { result = read(fd, &byte, 1) }
                if result == 0 { closed += 1 }
            }
            #expect(closed == silent.count + trickling.count, "\(closed) of \(silent.count + trickling.count) closed by the daemon")
            #expect(descriptors() == descriptorsBefore, "the daemon keeps no descriptor of a client")
        }
    }

    /// `status` against a socket that accepts connections and never answers gives up after its
    /// timeout with the reason, instead of hanging for ever (as `standby --wait` did).
    /// A listening socket at `path`, as a daemon's control socket is.
    static func listener(at path: String) throws -> Int32 {
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(listener >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(listener, 4) == 0)
        return listener
    }

    @Test func theClientGivesUpOnADaemonThatNeverAnswers() throws {
        let directory = try TestSupport.temporaryDirectory("cs-mute")
        defer { TestSupport.removeTree(directory) }
        let listener = try Self.listener(at: "\(directory)/control.sock")
        defer { close(listener) }
        let start = MonotonicClock.milliseconds()
        let result = try TestSupport.run(
            [TestSupport.binary("heartbeat-lite"), "status", "--run-dir", directory], timeoutMilliseconds: 30_000)
        let elapsed = MonotonicClock.milliseconds() - start
        #expect(result.status == 3, "\(result.status): \(result.errorOutput)")
        #expect(result.errorOutput.contains("did not answer within 5000 ms"), "\(result.errorOutput)")
        #expect(elapsed >= 4900 && elapsed < 10_000, "gave up after \(elapsed) ms")
    }

    /// A socket that answers without end: the client stops reading at its answer limit and says
    /// so, instead of growing until memory runs out.
    @Test func theClientRefusesAnEndlessAnswer() throws {
        let directory = try TestSupport.temporaryDirectory("cs-flood")
        defer { TestSupport.removeTree(directory) }
        let listener = try Self.listener(at: "\(directory)/control.sock")
        defer { close(listener) }
        try DetachedThread.start("endless answer") {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65536)
            // 8 MiB, twice the limit; the write fails once the client hangs up.
            for _ in 0..<128 where chunk.withUnsafeBytes({ send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) > 0 {}
        }
        let result = try TestSupport.run(
            [TestSupport.binary("heartbeat-lite"), "status", "--run-dir", directory], timeoutMilliseconds: 30_000)
        #expect(result.status == 3, "\(result.status): \(result.errorOutput)")
        #expect(result.errorOutput.contains("answer longer than 4194304 bytes"), "\(result.errorOutput)")
        #expect(result.output.isEmpty)
    }
}
