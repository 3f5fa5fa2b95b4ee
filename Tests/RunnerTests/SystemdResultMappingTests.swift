import OCF
import Runner
import SystemdBus
import Testing

@Suite struct SystemdResultMappingTests {
    typealias Verdict = SystemdResultMapping.Verdict

    @Test(arguments: [
        ("active", Verdict.settled(.success)), ("reloading", .settled(.success)), ("inactive", .settled(.notRunning)),
        ("failed", .settled(.genericError)), ("maintenance", .settled(.notRunning)), ("activating", .pending),
        ("deactivating", .pending), ("something-new", .settled(.notRunning)),
    ])
    func monitorReadsActiveState(state: String, verdict: Verdict) {
        #expect(SystemdResultMapping.monitor(ActiveState(rawValue: state)) == verdict)
    }

    @Test(arguments: [
        ("active", Verdict.settled(.success)), ("reloading", .settled(.success)), ("inactive", .settled(.genericError)),
        ("failed", .settled(.genericError)), ("activating", .pending), ("deactivating", .pending),
    ])
    func notRunningAfterAStartIsAFailure(state: String, verdict: Verdict) {
        #expect(SystemdResultMapping.afterJob(.start, state: ActiveState(rawValue: state)) == verdict)
        #expect(SystemdResultMapping.afterJob(OCFAction(rawValue: "restart"), state: ActiveState(rawValue: state)) == verdict)
    }

    @Test(arguments: [
        ("inactive", Verdict.settled(.success)), ("failed", .settled(.success)), ("active", .pending),
        ("reloading", .pending), ("activating", .pending), ("deactivating", .pending),
    ])
    func notRunningAfterAStopIsTheSuccessAndRunningIsReadAgain(state: String, verdict: Verdict) {
        #expect(SystemdResultMapping.afterJob(.stop, state: ActiveState(rawValue: state)) == verdict)
    }

    @Test(arguments: [
        ("done", SystemdResultMapping.JobVerdict.checkState), ("timeout", .timedOut), ("failed", .failed),
        ("dependency", .failed), ("canceled", .failed), ("skipped", .failed), ("invalid", .failed),
    ])
    func jobResults(result: String, verdict: SystemdResultMapping.JobVerdict) {
        #expect(SystemdResultMapping.job(JobResult(rawValue: result)) == verdict)
    }

    @Test(arguments: [
        (BusError.Name.noSuchUnit, OCFAction.start, OCFExitCode.notInstalled), (.noSuchUnit, .stop, .success),
        (.loadFailed, .monitor, .notInstalled), (.invalidName, .start, .notInstalled), (.loadFailed, .stop, .success),
        (.unitMasked, .start, .genericError), (.timeout, .stop, .genericError),
        (BusError.Name(rawValue: "System.Error.ECONNREFUSED"), .monitor, .genericError),
    ])
    func methodErrors(name: BusError.Name, action: OCFAction, code: OCFExitCode) {
        #expect(SystemdResultMapping.methodError(name, action: action) == code)
    }

    @Test(arguments: [
        (OCFAction.stop, true, OCFExitCode.success), (.stop, false, .success), (.monitor, true, .notRunning),
        (.status, true, .notRunning), (.monitor, false, .notInstalled), (.start, true, .notInstalled),
        (OCFAction(rawValue: "restart"), false, .notInstalled),
    ])
    func unknownUnits(action: OCFAction, probe: Bool, code: OCFExitCode) {
        #expect(SystemdResultMapping.unknownUnit(action: action, isProbe: probe) == code)
    }

    @Test(arguments: [
        (20_000, 20_000, 2000 as Int?), (20_000, 2500, 2000), (20_000, 1500, 750), (5000, 5000, 500),
        (100, 100, 10), (5, 5, 1), (20_000, 15, nil), (20_000, 0, nil), (20_000, -40, nil),
    ])
    func pollDelayIsATenthOfTheTimeoutAtMostTwoSeconds(timeout: Int, remaining: Int, delay: Int?) {
        #expect(SystemdResultMapping.pollDelayMilliseconds(timeoutMilliseconds: timeout, remainingMilliseconds: remaining) == delay)
    }
}
