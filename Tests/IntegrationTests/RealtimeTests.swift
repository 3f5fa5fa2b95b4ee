#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// `realtime`/`rtprio` on a real daemon: its loop thread runs SCHED_RR (heartbeat's realtime
/// policy) at the priority with its memory locked, while the resource scripts it starts, from the
/// loop (the start-up stop) and from the group-operation thread (the start), run SCHED_OTHER with
/// nothing locked; `realtime off` leaves everything normal.
@Suite(.serialized) struct RealtimeTests {
    static let vip = "203.0.113.10"

    /// A haresources script that records, for each action, `chrt -p` of itself and its VmLck.
    static let probe = """
        #!/bin/sh
        state="$(dirname "$0")/../rtprobe.state"
        case "$1" in
        start|stop)
            { echo "$1: $(chrt -p $$ | tr '\\n' ' ')"; grep '^VmLck:' /proc/$$/status; } >> "$(dirname "$0")/../rtprobe.log"
            if [ "$1" = start ]; then touch "$state"; else rm -f "$state"; fi ;;
        status)
            if [ -e "$state" ]; then echo running; else echo stopped; fi ;;
        esac
        exit 0

        """

    /// `chrt -p PID`'s policy and priority, e.g. ("SCHED_RR|SCHED_RESET_ON_FORK", 50).
    static func chrt(_ pid: pid_t) throws -> (policy: String, priority: Int) {
        let result = try TestSupport.run(["chrt", "-p", String(pid)])
        var policy = "", priority = -1
        for line in result.output.split(separator: "\n") {
            if line.contains("scheduling policy:") { policy = String(line.split(separator: ":").last!.trimmingPrefix(" ")) }
            if line.contains("scheduling priority:") { priority = Int(line.split(separator: ":").last!.trimmingPrefix(" ")) ?? -1 }
        }
        return (policy, priority)
    }

    /// VmLck of a process, in kB.
    static func lockedKiB(_ pid: pid_t) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmLck:") })
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }

    /// The probe's records: (action, chrt text, VmLck kB).
    static func records(_ node: HeartbeatNode) -> [(action: String, chrt: String, lockedKiB: Int)] {
        let text = ((try? FileSystem.read("\(node.directory)/rtprobe.log")) ?? nil) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        var out: [(String, String, Int)] = []
        var index = 0
        while index + 1 < lines.count {
            let head = lines[index], lock = lines[index + 1]
            let action = String(head.prefix { $0 != ":" })
            let kib = Int(lock.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
            out.append((action, String(head.dropFirst(action.count + 2)), kib))
            index += 2
        }
        return out
    }

    static func statusJSON(_ node: HeartbeatNode) throws -> [String: Any] {
        let result = try node.control("status", "--json")
        let data = Data(result.output.utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Starts both nodes with `extra` in ha.cf and the probe as node1's group, waits until node1
    /// has started it, and runs `body` with node1 and its daemon's pid.
    static func withProbedGroup(_ tag: String, extra: String, _ body: (HeartbeatNode, pid_t) throws -> Void) throws {
        try HeartbeatCluster.with(
            tag, extra: extra, haresources: "node1 \(vip)/24/hb0 rtprobe\n",
            scripts: ["node1": ["rtprobe": probe], "node2": ["rtprobe": probe]], prefix: "hk-rt-"
        ) { cluster in
            try cluster.start()
            let node = cluster.node1
            let pid = try #require(node.process?.pid)
            let held = cluster.waitUntil(timeoutMilliseconds: 15_000) { records(node).contains { $0.action == "start" } }
            try #require(held != nil, "rtprobe never started\n\(cluster.diagnostics())")
            try body(node, pid)
        }
    }

    @Test func realtimeOnRunsTheLoopAtThePriorityWithMemoryLockedAndScriptsNormal() throws {
        try Self.withProbedGroup("on", extra: "realtime on\nrtprio 50") { node, pid in

            let daemon = try Self.chrt(pid)
            #expect(daemon.policy == "SCHED_RR|SCHED_RESET_ON_FORK", "\(daemon)")
            #expect(daemon.priority == 50)
            let sched = try String(contentsOfFile: "/proc/\(pid)/sched", encoding: .utf8)
            // /proc/PID/sched: `policy : 2` (SCHED_RR) and `prio : 49` (the kernel's 99 - priority).
            func field(_ name: String) -> String? {
                sched.split(separator: "\n").first { $0.hasPrefix(name + " ") }?.split(separator: ":").last?
                    .trimmingCharacters(in: .whitespaces)
            }
            #expect(field("policy") == "2", "\(sched)")
            #expect(field("prio") == "49", "\(sched)")
            #expect(try Self.lockedKiB(pid) > 0)
            #expect(node.log.contains("realtime: running SCHED_RR priority 50, memory locked"), "\(node.log)")

            // Every other thread of the daemon (the group-operation thread is gone by now) is normal.
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").compactMap { pid_t($0) }.filter { $0 != pid }
            for task in tasks {
                let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "?"
                #expect(try Self.chrt(task).policy == "SCHED_OTHER", "thread \(task) (\(comm))")
            }

            let records = Self.records(node)
            #expect(records.contains { $0.action == "stop" }, "the start-up stop runs from the loop thread")
            for record in records {
                #expect(record.chrt.contains("current scheduling policy: SCHED_OTHER"), "\(record)")
                #expect(record.chrt.contains("current scheduling priority: 0"), "\(record)")
                #expect(record.lockedKiB == 0, "\(record)")
            }

            let status = try Self.statusJSON(node)
            let scheduling = try #require(status["scheduling"] as? [String: Any])
            #expect(scheduling["policy"] as? String == "SCHED_RR")
            #expect(scheduling["priority"] as? Int == 50)
            #expect(scheduling["memory_locked"] as? Bool == true)
            #expect(try node.control("status").output.contains("scheduling SCHED_RR priority 50, memory locked\n"))
        }
    }

    @Test func realtimeIsOnByDefaultAtPriorityOne() throws {
        try HeartbeatCluster.with("def", prefix: "hk-rt-") { cluster in
            try cluster.node1.start()
            let pid = try #require(cluster.node1.process?.pid)
            let daemon = try Self.chrt(pid)
            #expect(daemon.policy == "SCHED_RR|SCHED_RESET_ON_FORK")
            #expect(daemon.priority == 1)
            #expect(try Self.lockedKiB(pid) > 0)
        }
    }

    @Test func realtimeOffLeavesEverythingNormal() throws {
        try Self.withProbedGroup("off", extra: "realtime off\nrtprio 50") { node, pid in
            let daemon = try Self.chrt(pid)
            #expect(daemon.policy == "SCHED_OTHER")
            #expect(daemon.priority == 0)
            #expect(try Self.lockedKiB(pid) == 0)
            #expect(node.log.contains("realtime off: running SCHED_OTHER, memory not locked"))
            for record in Self.records(node) {
                #expect(record.chrt.contains("current scheduling policy: SCHED_OTHER"), "\(record)")
                #expect(record.lockedKiB == 0, "\(record)")
            }
            let scheduling = try #require(try Self.statusJSON(node)["scheduling"] as? [String: Any])
            #expect(scheduling["policy"] as? String == "SCHED_OTHER")
            #expect(scheduling["memory_locked"] as? Bool == false)
        }
    }

    /// Without CAP_SYS_NICE, CAP_IPC_LOCK and CAP_SYS_RESOURCE (dropped from the bounding set, so
    /// root loses them at exec) the limits decide: RLIMIT_RTPRIO 0 gives SCHED_OTHER, and a 64 KiB
    /// RLIMIT_MEMLOCK is too small for mlockall. Each is a warning naming the reason, and the daemon
    /// runs on. (A limit between 1 and 49, which gives that priority instead, cannot be set up
    /// here: the test host's RLIMIT_RTPRIO hard limit is 0 and it lacks CAP_SYS_RESOURCE.)
    @Test(arguments: [0]) func withoutTheCapabilitiesTheLimitsDecide(rtprioLimit: Int) throws {
        try HeartbeatCluster.with("cap\(rtprioLimit)", extra: "rtprio 50", prefix: "hk-rt-") { cluster in
            let node = cluster.node1
            try node.start(wrapper: [
                "prlimit", "--rtprio=\(rtprioLimit)", "--memlock=65536", "--",
                "setpriv", "--bounding-set", "-sys_nice,-ipc_lock,-sys_resource", "--",
            ])
            let pid = try #require(node.process?.pid)
            let daemon = try Self.chrt(pid)
            #expect(try Self.lockedKiB(pid) == 0)
            #expect(node.log.contains("realtime: cannot run SCHED_RR priority 50: Operation not permitted (needs CAP_SYS_NICE or RLIMIT_RTPRIO >= 50; RLIMIT_RTPRIO is \(rtprioLimit))"), "\(node.log)")
            #expect(node.log.contains("realtime: cannot lock memory: Cannot allocate memory (needs CAP_IPC_LOCK or a larger RLIMIT_MEMLOCK; it is 64 KiB)"), "\(node.log)")
            if rtprioLimit > 0 {
                #expect(daemon.policy == "SCHED_RR|SCHED_RESET_ON_FORK", "\(daemon)")
                #expect(daemon.priority == rtprioLimit)
                #expect(node.log.contains("realtime: asked for SCHED_RR priority 50, memory locked, running SCHED_RR priority \(rtprioLimit), memory not locked"), "\(node.log)")
            } else {
                #expect(daemon.policy == "SCHED_OTHER")
                #expect(node.log.contains("realtime: asked for SCHED_RR priority 50, memory locked, running SCHED_OTHER, memory not locked"), "\(node.log)")
            }
            #expect(node.isRunning)
            let scheduling = try #require(try Self.statusJSON(node)["scheduling"] as? [String: Any])
            #expect(scheduling["memory_locked"] as? Bool == false)
        }
    }

    @Test func aChildSpawnedFromARealtimeThreadStartsNormal() throws {
        let before = Scheduling.current()
        try Scheduling.setCurrent(.fifo, priority: 10)
        defer { try? Scheduling.setCurrent(before.policy, priority: before.priority) }
        let child = try ChildProcess.spawn(
            path: "/bin/sh", arguments: ["sh", "-c", "chrt -p $$"], environment: ["PATH": "/usr/bin:/bin"])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = read(child.outputFD, &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        _ = child.reap(blocking: true)
        child.closeOutput()
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("current scheduling policy: SCHED_OTHER"), "\(text)")
        #expect(text.contains("current scheduling priority: 0"), "\(text)")
    }
}
