// swift-tools-version:6.1
// HAKit: native OCF resource agents, an OCF runner and a heartbeat-compatible failover daemon.
//
// Layering, bottom to top (a target only imports the ones before it):
//   CSystemd, CMnl, CHAKitShims,  C: system libraries and thin shims; nothing else includes C headers
//   CCurlShim, CSystemdBus        libcurl and sd-bus through dlopen: types from the headers, no linking
//   HAKitSystem                   typed Linux calls: processes, signals, files, journald
//   SystemdBus                    systemd's manager over sd-bus: units, jobs, reload
//   OCF                           the agent contract: codes, actions, parameters, meta-data, dispatch
//   Netlink                       rtnetlink over libmnl
//   Agents                        the resource agents (never import Runner or Heartbeat)
//   Runner                        runs any agent with Pacemaker's environment, timeouts and checks;
//                                 systemd units over D-Bus through SystemdBus
//   Conformance                   ocf-tester style checks and declarative case files, on Runner
//   Heartbeat                     heartbeat v1 configuration, wire format, membership and the
//                                 resource negotiation (pure state machines)
//   PacemakerExport               ha.cf + haresources as a Pacemaker configuration (crmsh, pcs, CIB XML);
//                                 pure, on Heartbeat's parsers
//   Failover                      the heartbeat-lite daemon: UDP media, poll loop, control socket,
//                                 group operations through Runner
//   executables                   mains only: hakit-agent (no Foundation, no ArgumentParser), ocf-run;
//                                 heartbeat-lite (no ArgumentParser: a small parser of its own, so
//                                 that the daemon does not link Foundation);
//                                 hakit-probe, the HTTP client of the demo, the bench and the tests
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "HAKit",
    products: [
        .executable(name: "hakit-agent", targets: ["hakit-agent"]),
        .executable(name: "ocf-run", targets: ["ocf-run"]),
        .executable(name: "ocf-conformance", targets: ["ocf-conformance"]),
        .executable(name: "heartbeat-lite", targets: ["heartbeat-lite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CMnl", pkgConfig: "libmnl", providers: [.apt(["libmnl-dev"])]),
        .target(name: "CHAKitShims"),
        // hakit-agent's argv without the static runtime's /proc/self/maps scan (see startup.c).
        .target(name: "CHAKitStartup"),
        // libcurl through dlopen: linking it would make every agent action load OpenSSL and more.
        .target(name: "CCurlShim"),

        .target(name: "HAKitSystem", dependencies: ["CHAKitShims", "CCurlShim"], swiftSettings: swift6),
        // sd-bus through dlopen, like libcurl: linking libsystemd would cost every ocf-run ~1 ms.
        .target(name: "CSystemdBus"),
        .target(name: "SystemdBus", dependencies: ["CSystemdBus", "HAKitSystem"], swiftSettings: swift6),
        .target(name: "OCF", swiftSettings: swift6),
        .target(name: "Netlink", dependencies: ["CMnl", "CHAKitShims", "HAKitSystem"], swiftSettings: swift6),
        .target(name: "Agents", dependencies: ["OCF", "HAKitSystem", "Netlink"], swiftSettings: swift6),
        .target(name: "Runner", dependencies: ["OCF", "HAKitSystem", "SystemdBus"], swiftSettings: swift6),
        .target(name: "Conformance", dependencies: ["Runner", "OCF", "HAKitSystem"], swiftSettings: swift6),
        .target(
            name: "Heartbeat",
            dependencies: ["OCF", "HAKitSystem"],
            swiftSettings: swift6),

        // `heartbeat-lite export`: the translation to Pacemaker and its three renderers (no I/O but reading the files).
        .target(name: "PacemakerExport", dependencies: ["Heartbeat", "OCF"], swiftSettings: swift6),

        // The heartbeat-lite daemon: UDP media, the poll loop, group operations through the runner.
        .target(
            name: "Failover",
            dependencies: ["Heartbeat", "Runner", "Netlink", "OCF", "HAKitSystem", "CHAKitShims"],
            swiftSettings: swift6),

        .target(name: "HAKitTestSupport", dependencies: ["HAKitSystem", "OCF"], swiftSettings: swift6),

        .executableTarget(
            name: "hakit-agent", dependencies: ["Agents", "OCF", "HAKitSystem", "CHAKitStartup"], swiftSettings: swift6),
        .executableTarget(
            name: "ocf-run",
            dependencies: ["Runner", "OCF", "HAKitSystem", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swift6),

        .executableTarget(
            name: "ocf-conformance",
            dependencies: [
                "Conformance", "Runner", "OCF", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swift6),

        .executableTarget(
            name: "heartbeat-lite",
            dependencies: ["Failover", "PacemakerExport", "Heartbeat", "Runner", "OCF", "HAKitSystem"],
            swiftSettings: swift6),

        // The client of make demo, make bench and the failover tests (not installed).
        .executableTarget(
            name: "hakit-probe",
            dependencies: ["HAKitSystem", "OCF", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swift6),

        .testTarget(name: "OCFTests", dependencies: ["OCF", "Agents", "HAKitSystem", "HAKitTestSupport"], swiftSettings: swift6),
        .testTarget(
            name: "RunnerTests", dependencies: ["Runner", "OCF", "SystemdBus", "HAKitSystem", "HAKitTestSupport"],
            swiftSettings: swift6),
        .testTarget(
            name: "ConformanceTests", dependencies: ["Conformance", "Runner", "OCF", "HAKitSystem", "HAKitTestSupport"],
            swiftSettings: swift6),
        .testTarget(name: "AgentTests", dependencies: ["Agents", "OCF", "HAKitSystem", "HAKitTestSupport"], swiftSettings: swift6),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "HAKitSystem", "HAKitTestSupport"], swiftSettings: swift6),
        .testTarget(
            name: "PacemakerExportTests",
            dependencies: ["PacemakerExport", "Heartbeat", "OCF", "HAKitSystem", "HAKitTestSupport"],
            swiftSettings: swift6),
        .testTarget(name: "HeartbeatTests", dependencies: ["Heartbeat", "HAKitSystem", "HAKitTestSupport"], swiftSettings: swift6),
        .testTarget(
            name: "IntegrationTests", dependencies: [
                "OCF", "Runner", "SystemdBus", "Heartbeat", "HAKitSystem", "HAKitTestSupport",
            ],
            swiftSettings: swift6),
        .testTarget(name: "SystemdBusTests", dependencies: ["SystemdBus"], swiftSettings: swift6),
    ]
)
