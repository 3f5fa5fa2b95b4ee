#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import SystemdBus
import Testing

/// `systemd:UNIT` resources through `ocf-run`, against a real systemd booted as PID 1 in its own
/// namespaces (`SystemdContainer`); each test boots its own.
@Suite struct SystemdClassTests {
    let ocfRun = TestSupport.binary("ocf-run")

    /// The test's units. The sleeper asks for `Restart=always`, so that the drop-in's
    /// `Restart=no` shows. The slow one never reports ready: its job gives up after a second
    /// (job result `timeout`), the service itself fails after two (`TimeoutStartSec=`).
    static let units = [
        "hakit-sleeper.service": "[Unit]\nDescription=HAKit sleeper\n[Service]\nExecStart=/bin/sleep 300\nRestart=always\n",
        "hakit-failing.service": "[Unit]\nDescription=HAKit failing\n[Service]\nType=oneshot\nExecStart=/bin/false\n",
        "hakit-slow.service": "[Unit]\nJobTimeoutSec=1\n[Service]\nType=notify\nExecStart=/bin/sleep 300\nTimeoutStartSec=2\n",
    ]

    /// The drop-in `ocf-run` writes for the sleeper.
    static let sleeperDropIn = """
        # Written by HAKit while the cluster manages hakit-sleeper.service; removed when it stops it.
        [Unit]
        Description=Cluster Controlled hakit-sleeper

        [Service]
        Restart=no

        """

    func run(_ container: SystemdContainer, _ arguments: String...) throws -> TestSupport.CommandResult {
        try TestSupport.run(
            [ocfRun, "--systemd-bus", container.busAddress, "--systemd-runtime-dir", container.runtimeUnitDirectory]
                + arguments)
    }

    /// The sleeper's effective `Restart=` setting.
    func restartSetting(_ container: SystemdContainer) throws -> String {
        try container.property("Restart", interface: SystemdManager.serviceInterface, of: "hakit-sleeper.service")
    }

    func withContainer(_ body: (SystemdContainer) throws -> Void) throws {
        try SystemdContainer.with(units: Self.units, body)
    }

    @Test func startMonitorStopWithTheDropIn() throws {
        try withContainer { container in
            let dropIn = "\(container.runtimeUnitDirectory)/hakit-sleeper.service.d/50-hakit.conf"
            #expect(try run(container, "systemd:hakit-sleeper", "monitor").status == 7)

            let start = try run(container, "--check", "systemd:hakit-sleeper", "start")
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("check ok   monitor after start returned 0 OCF_SUCCESS: running"))
            #expect(!start.errorOutput.contains("FAIL"))
            let running = UnitState(loadState: .loaded, activeState: .active, subState: "running")
            #expect(try container.state(of: "hakit-sleeper.service") == running)
            #expect(try FileSystem.read(dropIn) == Self.sleeperDropIn)
            #expect(try restartSetting(container) == "no")
            let description = try container.property("Description", of: "hakit-sleeper.service")
            #expect(description == "Cluster Controlled hakit-sleeper")
            #expect(try run(container, "systemd:hakit-sleeper", "monitor").status == 0)
            #expect(try run(container, "systemd:hakit-sleeper", "status").status == 0)
            #expect(try run(container, "systemd:hakit-sleeper", "start").status == 0)  // already running

            let stop = try run(container, "--check", "systemd:hakit-sleeper", "stop")
            #expect(stop.status == 0, "\(stop.errorOutput)")
            #expect(stop.errorOutput.contains("check ok   monitor after stop returned 7 OCF_NOT_RUNNING: stopped"))
            #expect(!stop.errorOutput.contains("FAIL"))
            #expect(try run(container, "systemd:hakit-sleeper", "monitor").status == 7)
            #expect(!FileSystem.exists(dropIn))
            #expect(!FileSystem.exists("\(container.runtimeUnitDirectory)/hakit-sleeper.service.d"))
            #expect(try restartSetting(container) == "always")
            #expect(try container.state(of: "hakit-sleeper.service").activeState == .inactive)
            #expect(try run(container, "systemd:hakit-sleeper", "stop").status == 0)  // already stopped
        }
    }

    @Test func theDropInKeepsAKilledServiceDown() throws {
        try withContainer { container in
            #expect(try run(container, "systemd:hakit-sleeper", "start").status == 0)
            let processes = container.processes(of: "hakit-sleeper.service")
            #expect(processes.count == 1)
            for pid in processes { kill(pid, SIGKILL) }
            // Restart=always would bring it back within 100 ms; the drop-in's Restart=no must not.
            var state = try container.state(of: "hakit-sleeper.service")
            for _ in 0..<100 where state.activeState != .failed {
                MonotonicClock.sleep(milliseconds: 10)
                state = try container.state(of: "hakit-sleeper.service")
            }
            MonotonicClock.sleep(milliseconds: 300)
            #expect(try container.state(of: "hakit-sleeper.service").activeState == .failed)
            let monitor = try run(container, "systemd:hakit-sleeper", "monitor")
            #expect(monitor.status == 1, "a failed unit is a failure, not cleanly stopped")
            #expect(monitor.errorOutput.contains("ocf-exit-reason:hakit-sleeper.service failed (failed), result signal"))
            let stop = try run(container, "--check", "systemd:hakit-sleeper", "stop")
            #expect(stop.status == 0, "\(stop.errorOutput)")
            #expect(try container.state(of: "hakit-sleeper.service").activeState == .inactive, "stop clears the failed state")
            #expect(try run(container, "systemd:hakit-sleeper", "monitor").status == 7)
        }
    }

    @Test func aUnitThatFailsToStartGivesOneWithItsReason() throws {
        try withContainer { container in
            let start = try run(container, "systemd:hakit-failing", "start")
            #expect(start.status == 1)
            #expect(
                start.errorOutput.contains(
                    "ocf-exit-reason:systemd could not start hakit-failing.service: job result failed; unit failed (failed), result exit-code"
                ), "\(start.errorOutput)")
            #expect(try run(container, "systemd:hakit-failing", "monitor").status == 1)
            #expect(try run(container, "--check", "systemd:hakit-failing", "stop").status == 0)
            #expect(try run(container, "systemd:hakit-failing", "monitor").status == 7)
        }
    }

    @Test func anUnknownUnitIsNotInstalledButAProbeFindsItStopped() throws {
        try withContainer { container in
            let start = try run(container, "systemd:hakit-nonexistent", "start")
            #expect(start.status == 5)
            #expect(start.errorOutput.contains("ocf-exit-reason:systemd unit hakit-nonexistent.service not found"))
            #expect(!FileSystem.exists("\(container.runtimeUnitDirectory)/hakit-nonexistent.service.d"))
            #expect(try run(container, "systemd:hakit-nonexistent", "monitor").status == 7)  // a probe
            #expect(try run(container, "--interval", "10000", "systemd:hakit-nonexistent", "monitor").status == 5)
            #expect(try run(container, "systemd:hakit-nonexistent", "stop").status == 0)
        }
    }

    @Test func theServiceSuffixIsImpliedAndOtherSuffixesKept() throws {
        try withContainer { container in
            #expect(try run(container, "systemd:hakit-sleeper.service", "start").status == 0)
            let monitor = try run(container, "systemd:hakit-sleeper", "monitor")
            #expect(monitor.status == 0)
            #expect(monitor.errorOutput.contains("systemd:hakit-sleeper monitor: 0 OCF_SUCCESS"))
            #expect(try run(container, "systemd:hakit-sleeper.service", "stop").status == 0)
            #expect(try run(container, "systemd:hakit-sleeper", "monitor").status == 7)
            #expect(try run(container, "systemd:hakit-test.target", "monitor").status == 0)
            #expect(try run(container, "systemd:dbus.socket", "monitor").status == 0)
        }
    }

    @Test func restartAndActionsSystemdDoesNotHave() throws {
        try withContainer { container in
            #expect(try run(container, "systemd:hakit-sleeper", "start").status == 0)
            let before = container.processes(of: "hakit-sleeper.service")
            #expect(try run(container, "systemd:hakit-sleeper", "restart").status == 0)
            let after = container.processes(of: "hakit-sleeper.service")
            #expect(after.count == 1 && after != before)
            let reload = try run(container, "systemd:hakit-sleeper", "validate-all")
            #expect(reload.status == 3)
            #expect(reload.errorOutput.contains("systemd resources have no validate-all action"))
        }
    }

    @Test func systemdsTimeoutsAndPendingStates() throws {
        try withContainer { container in
            // Start it without waiting: it stays activating until its 2 s start timeout.
            _ = try container.manager().queue(.start, unit: "hakit-slow.service")
            let short = try run(container, "--timeout", "300ms", "systemd:hakit-slow", "monitor")
            #expect(short.status == 1)
            #expect(short.errorOutput.contains("still activating (start) when the 300 ms timeout ran out"), "\(short.errorOutput)")
            // Read again until it settles: failed, by its own timeout.
            let settled = try run(container, "--timeout", "10s", "systemd:hakit-slow", "monitor")
            #expect(settled.status == 1, "\(settled.errorOutput)")
            #expect(settled.errorOutput.contains("hakit-slow.service failed (failed), result timeout"))

            let start = try run(container, "--json", "systemd:hakit-slow", "start")
            #expect(start.status == 1)
            #expect(start.output.contains("\"timed_out\":true"), "\(start.output)")
            #expect(start.output.contains("systemd's job timeout (JobTimeoutSec) ended the start of hakit-slow.service"))
        }
    }

    @Test func metadataComesFromTheUnit() throws {
        try withContainer { container in
            let result = try run(container, "--check", "systemd:hakit-sleeper", "meta-data")
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("<longdesc lang=\"en\">\nHAKit sleeper\n</longdesc>"))
            #expect(result.output.contains("<shortdesc lang=\"en\">systemd unit file for hakit-sleeper</shortdesc>"))
            let file = "\(container.directory)/meta.xml"
            try FileSystem.writeAtomically(file, contents: result.output)
            let lint = try TestSupport.run([
                "xmllint", "--noout", "--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd", file,
            ])
            #expect(lint.status == 0, "\(lint.errorOutput)")
        }
    }

    /// Without options ocf-run uses the system bus and /run/systemd/system: run inside the
    /// container's mount namespace, those are the container's.
    @Test func defaultBusAndRuntimeDirectoryInsideTheContainer() throws {
        try withContainer { container throws in
            // The PID namespace too: Swift reads its arguments from /proc/self/cmdline, and the
            // container's /proc has no "self" for a process outside its PID namespace.
            // The container has its own /tmp, so a checkout under /tmp is not visible inside it:
            // run a copy of ocf-run placed in the container's own /run.
            let copy = "/proc/\(container.pid)/root/run/hakit-test-ocf-run"
            #expect(try TestSupport.run(["cp", ocfRun, copy]).status == 0)
            let inside = ["nsenter", "--target", String(container.pid), "--mount", "--pid", "/run/hakit-test-ocf-run"]
            #expect(try TestSupport.run(inside + ["systemd:hakit-sleeper", "start"]).status == 0)
            #expect(FileSystem.exists("\(container.runtimeUnitDirectory)/hakit-sleeper.service.d/50-hakit.conf"))
            #expect(!FileSystem.exists("/run/systemd/system/hakit-sleeper.service.d"))
            #expect(try container.state(of: "hakit-sleeper.service").activeState == .active)
            #expect(try TestSupport.run(inside + ["systemd:hakit-sleeper", "stop"]).status == 0)
            #expect(try container.state(of: "hakit-sleeper.service").activeState == .inactive)
        }
    }

    @Test func helpNamesTheClassAndItsOptions() throws {
        let help = try TestSupport.run([ocfRun, "--help"])
        #expect(help.output.contains("systemd:UNIT"))
        #expect(help.output.contains("--systemd-bus"))
        #expect(help.output.contains("--systemd-runtime-dir"))
    }
}
