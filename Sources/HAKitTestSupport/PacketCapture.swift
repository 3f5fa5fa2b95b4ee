#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem

/// A real `tcpdump` running inside a test namespace, started before the action under test and
/// read after it: `-nn -e` lines (link-level header included), at most `count` packets.
public final class PacketCapture {
    let child: ChildProcess
    let directory: String

    /// Starts `tcpdump --immediate-mode -i INTERFACE -nn -e -l -c COUNT FILTER` (each frame handed over
    /// at once, not held in the kernel ring for up to a second) in the namespace and waits until it
    /// listens (at most 5 s).
    public init(namespace: TestNamespace, interface: String, filter: String, count: Int) throws {
        directory = try TestSupport.temporaryDirectory("capture")
        let command = "exec timeout 15 tcpdump --immediate-mode -i \(interface) -nn -e -l -c \(count) \(filter) > '\(directory)/out' 2> '\(directory)/err'"
        child = try ChildProcess.spawn(
            path: "ip", arguments: ["ip", "netns", "exec", namespace.name, "sh", "-c", command],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], captureOutput: false)
        let deadline = MonotonicClock.milliseconds() + 5000
        while MonotonicClock.milliseconds() < deadline {
            if (try? FileSystem.read("\(directory)/err"))??.contains("listening on") == true { return }
            if child.reap() != nil { break }
            MonotonicClock.sleep(milliseconds: 20)
        }
        let error = (try? FileSystem.read("\(directory)/err")) ?? nil
        throw SystemError(errno: ETIMEDOUT, "starting tcpdump on \(interface): \(error ?? "")")
    }

    deinit {
        if child.reap() == nil {
            kill(child.pid, SIGKILL)
            child.reap(blocking: true)
        }
        TestSupport.removeTree(directory)
    }

    /// Waits until tcpdump has its packets or `timeoutMilliseconds` pass, then returns the lines.
    public func lines(timeoutMilliseconds: Int = 5000) -> [String] {
        let deadline = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        while child.reap() == nil && MonotonicClock.milliseconds() < deadline { MonotonicClock.sleep(milliseconds: 20) }
        if child.reap() == nil {
            kill(child.pid, SIGTERM)
            child.reap(blocking: true)
        }
        let text = (try? FileSystem.read("\(directory)/out")) ?? nil
        return (text ?? "").split(separator: "\n").map(String.init)
    }
}
