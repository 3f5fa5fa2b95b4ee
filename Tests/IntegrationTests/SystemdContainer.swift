#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Synchronization
import SystemdBus

/// Makes cgroup names unique within a test process: the suite's tests run in parallel.
private let containerCounter = Atomic<Int>(0)

/// systemd booted as PID 1 of its own PID, mount, network, UTS and IPC namespaces, with its own
/// tmpfs on /run and /tmp and a unit path that holds only the test's units: the default target
/// starts D-Bus and nothing else, so no stock unit runs (nothing cleans /tmp, mounts or sets the
/// clock). The test reaches it from outside through `/proc/<pid>/root`.
///
/// What booting needs here (Debian 12, systemd 252, a host whose PID 1 is not systemd and whose
/// cgroups are v1 controllers plus a cgroup2 hierarchy at /sys/fs/cgroup/unified):
/// - `container=` in its environment, so that systemd skips what only a real boot does (kernel
///   modules, the console, the hostname outside its UTS namespace);
/// - a writable cgroup2 hierarchy of its own: the boot script moves itself into a fresh cgroup
///   below the test's own, enters a cgroup namespace there and mounts cgroup2 on /sys/fs/cgroup,
///   so systemd runs in unified mode and sees that cgroup as its root. With v1 controllers bound
///   elsewhere the hierarchy has no controllers, which systemd accepts;
/// - `SYSTEMD_UNIT_PATH` (without a trailing colon it replaces the whole search path) and empty
///   `SYSTEMD_GENERATOR_PATH`/`SYSTEMD_ENVIRONMENT_GENERATOR_PATH`, so neither /etc nor /lib units
///   nor generators are seen; /run/systemd/system stays in the path for the runtime drop-ins;
/// - empty sysinit/basic/sockets/shutdown targets, which units with default dependencies need;
/// - /proc/sys and a fresh /sys read-only, so that systemd's writes to kernel-wide settings
///   (core_pattern, nr_open) fail instead of changing the host, and /dev/null over /dev/console:
///   systemd logs only to a terminal, and must not write to the host's console. Its own log is
///   therefore lost; unit state and results are read over D-Bus instead.
/// Booting takes about a quarter of a second.
final class SystemdContainer {
    /// systemd's pid as the test sees it.
    let pid: pid_t
    /// The `unshare` process whose child systemd is.
    private let launcher: ChildProcess
    /// The host directory holding the boot script, the units and the launcher's output.
    let directory: String
    /// The cgroup2 directory systemd treats as its root.
    private let cgroup: String

    /// Its root directory, seen from the test.
    var root: String { "/proc/\(pid)/root" }
    /// Its system bus, for `--systemd-bus`.
    var busAddress: String { "unix:path=\(root)/run/dbus/system_bus_socket" }
    /// Its runtime unit directory, for `--systemd-runtime-dir`.
    var runtimeUnitDirectory: String { "\(root)/run/systemd/system" }
    /// Where its units are; add units there and reload to make more.
    var unitDirectory: String { "\(root)/run/hakit-test/units" }

    /// The units every container has: D-Bus and the targets units with default dependencies need.
    static let baseUnits: [String: String] = [
        "hakit-test.target": "[Unit]\nDescription=HAKit test\nWants=dbus.socket dbus.service\n",
        "dbus.socket": "[Unit]\nDefaultDependencies=no\n[Socket]\nListenStream=/run/dbus/system_bus_socket\n",
        "dbus.service": """
            [Unit]
            DefaultDependencies=no
            Requires=dbus.socket
            After=dbus.socket
            [Service]
            ExecStart=/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only

            """,
        "sysinit.target": "[Unit]\nDefaultDependencies=no\n",
        "basic.target": "[Unit]\nDefaultDependencies=no\n",
        "sockets.target": "[Unit]\nDefaultDependencies=no\n",
        "shutdown.target": "[Unit]\nDefaultDependencies=no\n",
    ]

    /// Runs as PID 1 of the new namespaces, then becomes systemd. Arguments: the host directory
    /// and the cgroup to move into.
    static let bootScript = """
        #!/bin/sh
        set -eu
        dir=$1 cgroup=$2
        # The host's /proc is still mounted: /proc/self is this shell's pid as the host sees it.
        read -r pid _ < /proc/self/stat
        echo "$pid" > "$dir/pid"
        mount --make-rprivate /
        echo $$ > "$cgroup/cgroup.procs"
        mount -t proc proc /proc
        mount --bind /proc/sys /proc/sys
        mount -o remount,bind,ro /proc/sys
        mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys
        mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
        mkdir -p /run/hakit-test/units /run/hakit-test/empty /run/systemd/system
        cp "$dir"/units/* /run/hakit-test/units/
        mount --bind /dev/null /dev/console
        mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
        export container=hakit SYSTEMD_UNIT_PATH=/run/systemd/system:/run/hakit-test/units
        export SYSTEMD_GENERATOR_PATH=/run/hakit-test/empty SYSTEMD_ENVIRONMENT_GENERATOR_PATH=/run/hakit-test/empty
        exec unshare --cgroup sh -c 'mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec /lib/systemd/systemd --system --unit=hakit-test.target'
        """

    private init(pid: pid_t, launcher: ChildProcess, directory: String, cgroup: String) {
        self.pid = pid
        self.launcher = launcher
        self.directory = directory
        self.cgroup = cgroup
    }

    /// Boots a container with the base units plus `units` (file name → text), runs `body` with
    /// it, and kills it afterwards, however `body` ends.
    static func with<T>(units: [String: String], _ body: (SystemdContainer) throws -> T) throws -> T {
        let container = try boot(units: units)
        defer { container.shutDown() }
        return try body(container)
    }

    private static func boot(units: [String: String]) throws -> SystemdContainer {
        let directory = try TestSupport.temporaryDirectory("systemd")
        let number = containerCounter.add(1, ordering: .relaxed).newValue
        let cgroup = try cgroup2Directory() + "/hakit-test-systemd-\(getpid())-\(number)"
        do {
            try FileSystem.makeDirectories("\(directory)/units")
            for (name, text) in baseUnits.merging(units, uniquingKeysWith: { $1 }) {
                try FileSystem.writeAtomically("\(directory)/units/\(name)", contents: text)
            }
            try TestSupport.writeScript("\(directory)/boot", bootScript)
            try syscall("creating \(cgroup)") { mkdir(cgroup, 0o755) }
        } catch {
            TestSupport.removeTree(directory)
            throw error
        }
        let launcher: ChildProcess
        do {
            launcher = try ChildProcess.spawn(
                path: "/bin/sh",
                arguments: [
                    "/bin/sh", "-c",
                    "exec >\"$1/boot.log\" 2>&1; exec unshare --pid --fork --mount --net --uts --ipc \"$1/boot\" \"$1\" \"$2\"",
                    "sh", directory, cgroup,
                ],
                environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], captureOutput: false)
        } catch {
            rmdir(cgroup)
            TestSupport.removeTree(directory)
            throw error
        }
        // Until the pid is known, cleaning up means waiting for the launcher to fail.
        let deadline = MonotonicClock.milliseconds() + 10_000
        var pid: pid_t?
        while pid == nil && MonotonicClock.milliseconds() < deadline && launcher.reap() == nil {
            pid = (try? FileSystem.read("\(directory)/pid")).flatMap { $0.flatMap { pid_t($0.filter(\.isNumber)) } }
            if pid == nil { MonotonicClock.sleep(milliseconds: 5) }
        }
        let container = SystemdContainer(pid: pid ?? 0, launcher: launcher, directory: directory, cgroup: cgroup)
        guard pid != nil else {
            let log = container.bootLog
            container.shutDown()
            throw SystemdContainerError(problem: "the boot script never started: \(log)")
        }
        // Ready when systemd is on its bus and the default target is reached.
        while MonotonicClock.milliseconds() < deadline {
            if (try? container.state(of: "hakit-test.target"))?.activeState == .active { return container }
            if launcher.reap() != nil { break }
            MonotonicClock.sleep(milliseconds: 10)
        }
        let log = container.bootLog
        container.shutDown()
        throw SystemdContainerError(problem: "systemd did not reach hakit-test.target within 10 s: \(log)")
    }

    /// The launcher's output (unshare and the boot script; systemd's own log is not kept).
    var bootLog: String { ((try? FileSystem.read("\(directory)/boot.log")) ?? nil) ?? "" }

    /// A manager on the container's bus.
    func manager() throws(BusError) -> SystemdManager {
        SystemdManager(connection: try BusConnection(.address(busAddress)), callTimeoutMilliseconds: 10_000)
    }

    /// A unit's state.
    func state(of unit: String) throws(BusError) -> UnitState {
        let manager = try manager()
        return try manager.state(of: manager.loadUnit(unit))
    }

    /// A string property of a unit, e.g. `Restart` of `SystemdManager.serviceInterface`.
    func property(_ name: String, interface: String = SystemdManager.unitInterface, of unit: String) throws(BusError)
        -> String
    {
        let manager = try manager()
        return try manager.property(name, interface: interface, of: manager.loadUnit(unit))
    }

    /// The host pids of the processes in a unit's cgroup.
    func processes(of unit: String) -> [pid_t] {
        let text = (try? FileSystem.read("\(cgroup)/system.slice/\(unit)/cgroup.procs")) ?? nil
        return (text ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    /// Kills systemd by its pid — the kernel then kills everything else in its PID namespace —,
    /// reaps the launcher, and removes the cgroups and the host directory.
    private func shutDown() {
        // Only while it is still the launcher's child: a pid that was reaped may have been reused.
        if pid > 0 && ProcessTable.entry(pid)?.parent == launcher.pid { kill(pid, SIGKILL) }
        launcher.reap(blocking: true)
        removeCgroupTree(cgroup)
        TestSupport.removeTree(directory)
    }

    /// Removes a cgroup and its children, deepest first; a cgroup whose last process is still
    /// exiting is busy for a moment.
    private func removeCgroupTree(_ path: String) {
        for child in subdirectories(of: path) { removeCgroupTree("\(path)/\(child)") }
        for _ in 0..<200 where rmdir(path) == -1 && errno == EBUSY { MonotonicClock.sleep(milliseconds: 5) }
    }

    private func subdirectories(of path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if entry.pointee.d_type == UInt8(DT_DIR) && name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The test's own cgroup in the cgroup2 hierarchy: its mount point (from mountinfo) plus the
    /// `0::` line of /proc/self/cgroup.
    private static func cgroup2Directory() throws -> String {
        let mounts = (try FileSystem.read("/proc/self/mountinfo")) ?? ""
        // Fields: id parent major:minor root mount-point options … - fstype source super-options
        let line = mounts.split(separator: "\n").first { $0.contains(" - cgroup2 ") }
        guard let fields = line?.split(separator: " "), fields.count > 4 else {
            throw SystemdContainerError(problem: "no cgroup2 hierarchy is mounted")
        }
        let own = ((try FileSystem.read("/proc/self/cgroup")) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) } ?? "/"
        return String(fields[4]) + (own == "/" ? "" : own)
    }
}

/// The container could not be booted.
struct SystemdContainerError: Error, CustomStringConvertible {
    /// What went wrong, with the launcher's output.
    let problem: String

    var description: String { "systemd container: \(problem)" }
}
