import HAKitSystem
import Heartbeat
import Testing

/// `realtime` and `rtprio` are read and checked as heartbeat 3.0.6's `set_realtime` and
/// `set_realtime_prio` do, and `RealtimeRequest` turns them into what `cl_make_realtime` asks for.
@Suite struct RealtimeConfigTests {
    static let minimal = "bcast eth1\nnode alpha\nnode beta\nauto_failback on\n"

    func parse(_ extra: String) throws(ConfigErrors) -> HaCf {
        try HaCf.parse(Self.minimal + extra, localNode: "alpha")
    }

    @Test("realtime is on by default, at SCHED_RR's lowest priority with memory locked, as in heartbeat")
    func defaults() throws {
        let cf = try parse("")
        #expect(cf.realtime)
        #expect(cf.realtimePriority == nil)
        #expect(cf.warnings.isEmpty)
        let request = RealtimeRequest(cf)
        #expect(request == RealtimeRequest(policy: .roundRobin, priority: 1, lockMemory: true))
        #expect(request.description == "SCHED_RR priority 1, memory locked")
    }

    @Test("rtprio sets the priority", arguments: [1, 50, 99])
    func priority(_ priority: Int) throws {
        let cf = try parse("rtprio \(priority)\n")
        #expect(cf.realtimePriority == priority)
        #expect(cf.warnings.isEmpty, "no longer 'accepted and ignored'")
        #expect(RealtimeRequest(cf) == RealtimeRequest(policy: .roundRobin, priority: Int32(priority), lockMemory: true))
    }

    @Test("realtime off asks for nothing, whatever rtprio says", arguments: ["off", "no", "false", "n", "0", "OFF"])
    func off(_ value: String) throws {
        let cf = try parse("realtime \(value)\nrtprio 50\n")
        #expect(!cf.realtime)
        #expect(cf.warnings.isEmpty)
        let request = RealtimeRequest(cf)
        #expect(request == RealtimeRequest(policy: .other, priority: 0, lockMemory: false))
        #expect(!request.isRealtime)
        #expect(request.description == "SCHED_OTHER, memory not locked")
    }

    @Test("realtime on is accepted in heartbeat's boolean spellings", arguments: ["on", "yes", "true", "y", "1", "On"])
    func on(_ value: String) throws {
        #expect(try parse("realtime \(value)\n").realtime)
    }

    @Test("realtime must be a boolean")
    func realtimeNotBoolean() throws {
        let errors = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse("realtime maybe\n") })
        #expect(errors.codes == [.invalidValue])
        #expect(errors.description == "ha.cf:5: realtime must be on or off, not \"maybe\"")
    }

    @Test(
        "rtprio outside SCHED_FIFO's 1-99 is refused with its line, even with realtime off",
        arguments: ["0", "100", "-1", "abc", "5x", "1000000000000"])
    func outOfRange(_ value: String) throws {
        for extra in ["rtprio \(value)\n", "realtime off\nrtprio \(value)\n"] {
            let errors = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse(extra) })
            #expect(errors.codes == [.invalidValue])
            let line = extra.hasPrefix("realtime") ? 6 : 5
            #expect(errors.description == "ha.cf:\(line): rtprio \"\(value)\" is not a realtime priority (1-99)")
        }
    }

    @Test("rtprio takes one value")
    func rtprioValues() throws {
        let missing = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse("rtprio\n") })
        #expect(missing.codes == [.missingValue])
        let extra = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse("rtprio 5 6\n") })
        #expect(extra.codes == [.tooManyValues])
    }

    @Test("the policy names are chrt's")
    func policyNames() {
        #expect(SchedulingPolicy.other.description == "SCHED_OTHER")
        #expect(SchedulingPolicy.fifo.description == "SCHED_FIFO")
        #expect(SchedulingPolicy.roundRobin.description == "SCHED_RR")
        #expect(SchedulingPolicy.roundRobin.isRealtime && SchedulingPolicy.fifo.isRealtime)
        #expect(!SchedulingPolicy.other.isRealtime && !SchedulingPolicy.batch.isRealtime && !SchedulingPolicy.idle.isRealtime)
    }
}
