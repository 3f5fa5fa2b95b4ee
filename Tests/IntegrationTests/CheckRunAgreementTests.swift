#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// `heartbeat-lite check` (the unit's ExecStartPre) and `heartbeat-lite run` refuse the same
/// configurations with the same reasons: a configuration `check` passes never makes `run` fail for
/// its configuration. Every case is also one that must be refused promptly, never hang.
@Suite struct CheckRunAgreementTests {
    /// A configuration with one thing wrong, and the reason both must give.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var haCf = Self.haCf
        var haresources = "node1 192.0.2.10 httpd\n"
        /// Which file to replace by a FIFO, if any.
        var fifo: String?
        /// The reason line, with `DIR` for the configuration directory.
        var reason: String

        static let haCf = """
            logfacility none
            keepalive 100ms
            deadtime 1
            auto_failback on
            ucast lo 192.0.2.2
            node node1 node2

            """

        var testDescription: String { name }

        static func haCf(replacing line: String, with replacement: String) -> String {
            haCf.replacing(line, with: replacement)
        }
    }

    static let cases: [Case] = [
        Case(name: "ha.cf is a FIFO", fifo: "ha.cf", reason: "DIR/ha.cf: is a FIFO, not a regular file"),
        Case(name: "haresources is a FIFO", fifo: "haresources", reason: "DIR/haresources: is a FIFO, not a regular file"),
        Case(name: "authkeys is a FIFO", fifo: "authkeys", reason: "DIR/authkeys: is a FIFO, not a regular file"),
        Case(
            name: "three node lines", haCf: Case.haCf(replacing: "node node1 node2", with: "node node1\nnode node2\nnode node3"),
            reason: "DIR/ha.cf:8: haresources failover runs between two nodes; ha.cf names 3 (node1, node2, node3). "
                + "Use Pacemaker for larger clusters."),
        Case(
            name: "ucast to 300.1.1.1", haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "ucast eth0 300.1.1.1"),
            reason: "DIR/ha.cf:5: ucast peer \"300.1.1.1\" is neither an IPv4 address (four numbers 0-255) nor a host name"),
        Case(
            name: "ucast to 1.2.3", haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "ucast lo 1.2.3"),
            reason: "DIR/ha.cf:5: ucast peer \"1.2.3\" is neither an IPv4 address (four numbers 0-255) nor a host name"),
        Case(
            name: "baud heartbeat rejects", haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "baud 4800\nserial /dev/null"),
            reason: "DIR/ha.cf:5: invalid baudrate [4800]: heartbeat accepts 9600, 19200, 38400, 57600, 115200, 230400, 460800"),
        Case(
            name: "serial device missing", haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "serial /dev/hakit-no-such-tty"),
            reason: "DIR/ha.cf:5: nonexistent serial port [/dev/hakit-no-such-tty]"),
        Case(
            name: "serial device not a character device", haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "serial /etc/hostname"),
            reason: "DIR/ha.cf:5: serial port [/etc/hostname] is not a character device"),
        Case(
            name: "interface name too long",
            haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "bcast abcdefghijklmnop"),
            reason: "DIR/ha.cf:5: bcast interface \"abcdefghijklmnop\" is longer than 15 bytes"),
        Case(
            name: "interface alias", haCf: Case.haCf(replacing: "ucast lo 192.0.2.2", with: "mcast lo:1 233.252.0.1 694 1 0"),
            reason: "DIR/ha.cf:5: mcast interface \"lo:1\" contains \":\" (an alias such as eth0:1 is not an interface)"),
        Case(
            name: "udpport out of range", haCf: "udpport 70000\n" + Case.haCf,
            reason: "DIR/ha.cf:1: udpport \"70000\" is not a port number (1-65535)"),
        Case(
            name: "rtprio 0", haCf: "rtprio 0\n" + Case.haCf,
            reason: "DIR/ha.cf:1: rtprio \"0\" is not a realtime priority (1-99)"),
        Case(
            name: "rtprio 100 with realtime off", haCf: Case.haCf + "realtime off\nrtprio 100\n",
            reason: "DIR/ha.cf:8: rtprio \"100\" is not a realtime priority (1-99)"),
        Case(
            name: "hidden script name", haresources: "node1 192.0.2.10 .hidden\n",
            reason: "DIR/haresources:1: script name \".hidden\" must not start with \".\""),
    ]

    /// The reason lines of a refusal: standard error without the closing `heartbeat-lite: …` line.
    func reasons(_ errorOutput: String) -> [String] {
        errorOutput.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("heartbeat-lite: ") }
    }

    @Test(arguments: cases)
    func checkAndRunRefuseWithTheSameReason(_ testCase: Case) throws {
        let directory = try TestSupport.temporaryDirectory("agree")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/ha.cf", contents: testCase.haCf)
        try FileSystem.writeAtomically("\(directory)/haresources", contents: testCase.haresources)
        try FileSystem.writeAtomically("\(directory)/authkeys", contents: "auth 1\n1 sha1 test-secret\n", mode: 0o600)
        if let fifo = testCase.fifo {
            try FileSystem.remove("\(directory)/\(fifo)")
            #expect(mkfifo("\(directory)/\(fifo)", 0o600) == 0)
        }
        let reason = testCase.reason.replacing("DIR", with: directory)
        let binary = TestSupport.binary("heartbeat-lite")

        let check = try TestSupport.run(
            [binary, "check", "--config-dir", directory, "--node", "node1"], timeoutMilliseconds: 10_000)
        #expect(check.status == 1, "check: \(check.errorOutput)")
        #expect(reasons(check.errorOutput) == [reason], "check: \(check.errorOutput)")
        #expect(check.errorOutput.hasSuffix("nothing would be started\n"), "check: \(check.errorOutput)")

        // In a namespace of its own, with every directory in the test's, so that a daemon started
        // by mistake touches nothing of the host's.
        let run = try TestNamespace.with(prefix: "hakit-agree", "run") { namespace in
            try namespace.exec(
                [
                    binary, "run", "--config-dir", directory, "--node", "node1", "--state-dir", "\(directory)/state",
                    "--run-dir", "\(directory)/run", "--ocf-root", directory, "--init-dir", directory,
                    "--resource-dir", directory,
                ], timeoutMilliseconds: 10_000)
        }
        #expect(run.status == 1, "run: \(run.errorOutput)")
        #expect(reasons(run.errorOutput) == reasons(check.errorOutput), "run: \(run.errorOutput)")
        #expect(run.errorOutput.hasSuffix("heartbeat-lite: not started\n"), "run: \(run.errorOutput)")
        #expect(!FileSystem.exists("\(directory)/state"), "run refused before taking a generation")
    }
}
