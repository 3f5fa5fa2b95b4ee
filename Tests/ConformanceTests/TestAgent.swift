import Conformance
import HAKitSystem
import HAKitTestSupport
import OCF
import Runner

/// A small state-file agent written as a shell script, correct unless given defects, with
/// optional actions it implements and advertises.
struct TestAgent {
    /// An optional action the agent implements and advertises.
    enum Feature: String, CaseIterable {
        case notify, promotable, reload, migrate
    }

    /// A deliberate breach of the OCF contract.
    enum Defect: String {
        /// meta-data fails for a user other than root.
        case nobodyMetadata = "nobody-metadata"
        /// meta-data has a parameter type the DTD does not allow.
        case dtdInvalid = "dtd-invalid"
        /// meta-data has no DOCTYPE.
        case noDoctype = "no-doctype"
        /// validate-all is not advertised.
        case validateNotAdvertised = "validate-not-advertised"
        /// validate-all accepts a missing required parameter.
        case ignoresRequired = "ignores-required"
        /// An unknown action answers 0.
        case unknownSucceeds = "unknown-succeeds"
        /// monitor answers 1 instead of 7 on a stopped resource.
        case monitorStoppedFails = "monitor-stopped-fails"
        /// start on a running resource fails.
        case startTwiceFails = "start-twice-fails"
        /// stop on a stopped resource answers 7.
        case stopTwiceNotRunning = "stop-twice-not-running"
        /// stop takes longer than the 1 s it advertises.
        case slowStop = "slow-stop"
        /// stop fails the first time it is called.
        case stopFailsOnce = "stop-fails-once"
        /// notify answers 0 without being advertised.
        case notifyNotAdvertised = "notify-not-advertised"
        /// promote is advertised and demote is not (both are implemented).
        case demoteNotAdvertised = "demote-not-advertised"
        /// monitor answers 0 instead of 8 while promoted.
        case promotedRoleHidden = "promoted-role-hidden"
        /// reload stops the resource.
        case reloadStops = "reload-stops"
        /// migrate_from leaves the resource stopped.
        case migrateFromNoop = "migrate-from-noop"
        /// migrate_to stops and migrate_from starts, without being advertised (like 4.12's Dummy would without its meta-data).
        case migrateNotAdvertised = "migrate-not-advertised"
        /// A probe fails when ocf-tester says binaries are missing.
        case probeNeedsBinaries = "probe-needs-binaries"
    }

    let directory: String
    let path: String
    let state: String

    /// Writes the agent into a fresh directory that `nobody` can reach (ocf-tester's check needs it).
    init(_ label: String, features: Set<Feature> = [], defects: Set<Defect> = []) throws {
        directory = try TestSupport.temporaryDirectory("conf-\(label)", mode: 0o755)
        path = "\(directory)/agent"
        state = "\(directory)/state"
        try TestSupport.writeScript(path, Self.script(features: features, defects: defects))
    }

    /// Removes the agent's directory.
    func remove() { TestSupport.removeTree(directory) }

    /// Whether the resource runs (the state file exists).
    var running: Bool { FileSystem.exists(state) }

    /// Options for the suite: instance `t`, the required parameter given.
    func options(parameters: [(name: String, value: String)] = [("name", "t")]) throws -> ConformanceOptions {
        ConformanceOptions(
            agent: try AgentSpec(parsing: path, ocfRoot: "/usr/lib/ocf"), instance: "t", parameters: parameters,
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    /// Runs the suite on the agent.
    func report() throws -> ConformanceReport { ConformanceSuite(options: try options()).run() }

    static func metadata(features: Set<Feature>, defects: Set<Defect>) -> String {
        var actions = [
            #"<action name="start" timeout="20s"/>"#,
            #"<action name="stop" timeout="\#(defects.contains(.slowStop) ? "1s" : "20s")"/>"#,
            #"<action name="monitor" timeout="20s" interval="10s" depth="0"/>"#,
            #"<action name="meta-data" timeout="5s"/>"#,
        ]
        if !defects.contains(.validateNotAdvertised) { actions.append(#"<action name="validate-all" timeout="20s"/>"#) }
        if features.contains(.notify) { actions.append(#"<action name="notify" timeout="20s"/>"#) }
        if features.contains(.promotable) {
            actions.append(#"<action name="promote" timeout="20s"/>"#)
            if !defects.contains(.demoteNotAdvertised) { actions.append(#"<action name="demote" timeout="20s"/>"#) }
        }
        if features.contains(.reload) { actions.append(#"<action name="reload" timeout="20s"/>"#) }
        if features.contains(.migrate) {
            actions.append(#"<action name="migrate_to" timeout="20s"/>"#)
            actions.append(#"<action name="migrate_from" timeout="20s"/>"#)
        }
        let doctype = defects.contains(.noDoctype) ? "" : #"<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">"# + "\n"
        let type = defects.contains(.dtdInvalid) ? "select" : "string"
        return """
            <?xml version="1.0"?>
            \(doctype)<resource-agent name="agent" version="1.0">
            <version>1.0</version>
            <longdesc lang="en">A test agent.</longdesc>
            <shortdesc lang="en">Test agent</shortdesc>
            <parameters>
            <parameter name="name" required="1" unique="0">
            <longdesc lang="en">A required name.</longdesc>
            <shortdesc lang="en">Name</shortdesc>
            <content type="\(type)"/>
            </parameter>
            </parameters>
            <actions>
            \(actions.joined(separator: "\n"))
            </actions>
            </resource-agent>
            """
    }

    static func script(features: Set<Feature>, defects: Set<Defect>) -> String {
        let defectWords = " " + defects.map(\.rawValue).sorted().joined(separator: " ") + " "
        let featureWords = " " + features.map(\.rawValue).sorted().joined(separator: " ") + " "
        let implementsMigrate = features.contains(.migrate) || defects.contains(.migrateNotAdvertised)
        return """
            #!/bin/sh
            dir=$(dirname "$0")
            state="$dir/state"
            promoted="$dir/promoted"
            DEFECTS="\(defectWords)"
            FEATURES="\(featureWords)"
            has() { case "$DEFECTS" in *" $1 "*) return 0 ;; esac; return 1; }
            feature() { case "$FEATURES" in *" $1 "*) return 0 ;; esac; return 1; }
            running() { [ -f "$state" ]; }
            case "$1" in
            meta-data)
                if has nobody-metadata && [ "$(id -u)" != 0 ]; then exit 1; fi
                cat <<'XML'
            \(metadata(features: features, defects: defects))
            XML
                exit 0 ;;
            validate-all)
                if [ -z "$OCF_RESKEY_name" ] && ! has ignores-required; then exit 6; fi
                exit 0 ;;
            start)
                if running && has start-twice-fails; then exit 1; fi
                touch "$state"; exit 0 ;;
            stop)
                if ! running && has stop-twice-not-running; then exit 7; fi
                if has stop-fails-once && [ ! -f "$dir/stop-failed" ]; then touch "$dir/stop-failed"; exit 1; fi
                rm -f "$state" "$promoted"
                if has slow-stop; then sleep 1.5; fi
                exit 0 ;;
            monitor)
                if [ -n "$OCF_TESTER_FAIL_HAVE_BINARY" ] && has probe-needs-binaries; then exit 1; fi
                if running; then
                    if [ -f "$promoted" ] && ! has promoted-role-hidden; then exit 8; fi
                    exit 0
                fi
                if has monitor-stopped-fails; then exit 1; fi
                exit 7 ;;
            promote)
                feature promotable || exit 3
                running || exit 1
                touch "$promoted"; exit 0 ;;
            demote)
                feature promotable || exit 3
                running || exit 1
                rm -f "$promoted"; exit 0 ;;
            notify)
                if feature notify || has notify-not-advertised; then exit 0; fi
                exit 3 ;;
            reload)
                feature reload || exit 3
                if has reload-stops; then rm -f "$state"; fi
                exit 0 ;;
            migrate_to)
                \(implementsMigrate ? "" : "exit 3")
                rm -f "$state"; exit 0 ;;
            migrate_from)
                \(implementsMigrate ? "" : "exit 3")
                if ! has migrate-from-noop; then touch "$state"; fi
                exit 0 ;;
            *)
                if has unknown-succeeds; then exit 0; fi
                exit 3 ;;
            esac

            """
    }
}
