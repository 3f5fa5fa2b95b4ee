import Heartbeat

/// What ha.cf says about the cluster as a whole, in Pacemaker and corosync terms: the cluster
/// options, the stickiness, and a note for each directive that has no Pacemaker equivalent.
struct ClusterNotes {
    let haCf: HaCf
    let path: String

    func source(_ line: Int) -> String { "\(path):\(line)" }

    /// The addresses of `ping` and `ping_group` lines (a ping group's first word is its name).
    var pingHosts: [String] {
        haCf.directives.flatMap { directive -> [String] in
            switch directive.name {
            case "ping": directive.values
            case "ping_group": Array(directive.values.dropFirst())
            default: []
            }
        }
    }

    /// `stonith-enabled` and, for two nodes, `no-quorum-policy`.
    func properties() -> [Setting] {
        var stonith = [
            "No fencing device is configured, and Pacemaker starts no resource with stonith-enabled=true",
            "and no fencing device. Configure STONITH (fence_ipmilan, fence_virsh, sbd...) and set",
            "stonith-enabled=true before this cluster holds shared data: without it a node that stops",
            "answering but still runs (the split brain heartbeat warned of with \"No STONITH device",
            "configured\") keeps the resources while the other node starts them too.",
        ]
        for directive in haCf.directives where directive.name == "stonith" || directive.name == "stonith_host" {
            // stonith_host HOSTFROM TYPE PARAMS...; stonith TYPE CONFIGFILE. Parameters are left out:
            // they usually hold a password.
            let type = directive.name == "stonith" ? directive.values.first : directive.values.dropFirst().first
            stonith.append(
                "\(source(directive.line)): \(directive.name) used cluster-glue's \(type ?? "?") plugin: create "
                    + "the matching fence agent (pcs stonith create / crm configure primitive ... stonith:fence_...) "
                    + "with its parameters (not copied here: they may hold a password).")
        }
        var settings = [Setting(name: "stonith-enabled", value: "false", comments: stonith)]
        if haCf.nodes.count == 2 {
            settings.append(
                Setting(
                    name: "no-quorum-policy", value: "ignore",
                    comments: [
                        "Two nodes: the survivor of a failure holds half the votes. corosync 3 with",
                        "quorum { provider: corosync_votequorum; two_node: 1 } (what pcs cluster setup and",
                        "crm cluster init write for two nodes) keeps it quorate, and this policy never applies;",
                        "ignore covers a corosync.conf without two_node, where the default (stop) would stop",
                        "everything on the survivor, which heartbeat never did.",
                    ]))
        }
        return settings
    }

    /// `resource-stickiness` from `auto_failback`.
    func stickiness() -> Setting {
        let line = haCf.directives(named: "auto_failback").last.map { " (\(source($0.line)))" } ?? ""
        switch haCf.autoFailback {
        case .on:
            return Setting(
                name: "resource-stickiness", value: "0",
                comments: [
                    "auto_failback on\(line): a group goes back to its home node when that node returns, so no",
                    "stickiness: the home-node preference (\(PacemakerExport.homeScore)) decides.",
                ])
        case .legacy:
            return Setting(
                name: "resource-stickiness", value: "0",
                comments: [
                    "auto_failback legacy\(line.isEmpty ? " (not set)" : line): heartbeat's legacy mode also hands",
                    "a group back to its home node when that node returns, so as for on: no stickiness.",
                ])
        case .off:
            return Setting(
                name: "resource-stickiness", value: String(PacemakerExport.stayingStickiness),
                comments: [
                    "auto_failback off\(line): a group stays where it runs when its home node returns. Each "
                        + "member's stickiness (\(PacemakerExport.stayingStickiness)) outweighs the home-node "
                        + "preference (\(PacemakerExport.homeScore)); unlike INFINITY, it still lets crm resource "
                        + "move / pcs resource move (INFINITY) move a group."
                ])
        }
    }

    /// One note per directive with no Pacemaker equivalent, in file order, then the files.
    func notes() -> [ExportNote] {
        var notes: [ExportNote] = []
        var timingDone = false
        var loggingDone = false
        for directive in haCf.directives {
            let at = source(directive.line)
            let words = ([directive.name] + directive.values).joined(separator: " ")
            switch directive.name {
            case "keepalive", "deadtime", "warntime", "initdead":
                guard !timingDone else { continue }
                timingDone = true
                notes.append(
                    ExportNote(
                        source: at,
                        lines: [
                            "keepalive \(seconds(haCf.keepaliveMs)), deadtime \(seconds(haCf.deadtimeMs)), "
                                + "warntime \(seconds(haCf.warntimeMs)), initdead \(seconds(haCf.initdeadMs)): corosync "
                                + "decides membership.",
                            "The counterpart of deadtime is corosync.conf's totem { token: \(haCf.deadtimeMs) } (ms); "
                                + "corosync's default (3000 ms for two nodes) detects a failure much sooner and is "
                                + "usually better.",
                            "initdead has no counterpart: votequorum's wait_for_all (on with two_node) holds "
                                + "resources until both nodes were seen once.",
                        ]))
            case "bcast", "udp", "ucast", "mcast", "serial", "baud", "udpport":
                notes.append(ExportNote(source: at, lines: [words + ": " + medium(directive)]))
            case "watchdog":
                notes.append(
                    ExportNote(
                        source: at,
                        lines: [
                            "\(words): Pacemaker uses a watchdog through sbd (watchdog-only self-fencing with "
                                + "stonith-watchdog-timeout, or with a shared disk); set SBD_WATCHDOG_DEV in "
                                + "/etc/sysconfig/sbd or /etc/default/sbd."
                        ]))
            case "respawn":
                let ipfail = directive.values.contains { $0.hasSuffix("/ipfail") }
                notes.append(
                    ExportNote(
                        source: at,
                        lines: [
                            ipfail
                                ? "\(words): ipfail's job (moving resources off a node that lost its ping nodes) "
                                    + "is the ping clone and location rule suggested below."
                                : "\(words): Pacemaker respawns no API clients; run it as a systemd service, or "
                                    + "as a cluster resource (systemd:NAME or ocf:heartbeat:anything) to tie it to "
                                    + "a group."
                        ]))
            case "ping", "ping_group":
                notes.append(
                    ExportNote(
                        source: at,
                        lines: [
                            "\(words): ping nodes become an ocf:pacemaker:ping clone that sets the node attribute "
                                + "pingd, and a location rule per group (suggested below, commented out)."
                        ]))
            case "crm", "pacemaker":
                notes.append(
                    ExportNote(
                        source: at,
                        lines: ["\(words): heartbeat ignored haresources with a CRM; check this is the file in use."]))
            case "logfile", "debugfile", "logfacility", "use_logd":
                guard !loggingDone else { continue }
                loggingDone = true
                let logging = haCf.directives.filter { ["logfile", "debugfile", "logfacility", "use_logd"].contains($0.name) }
                    .map { ([$0.name] + $0.values).joined(separator: " ") }.joined(separator: ", ")
                notes.append(
                    ExportNote(
                        source: at,
                        lines: [
                            "\(logging): Pacemaker logs to /var/log/pacemaker/pacemaker.log and syslog "
                                + "(PCMK_logfile, PCMK_logfacility in /etc/default/pacemaker); corosync has a "
                                + "logging { } section."
                        ]))
            default:
                continue
            }
        }
        notes.append(
            ExportNote(
                source: nil,
                lines: [
                    "authkeys: corosync authenticates with its own key (corosync-keygen, or pcs cluster setup / "
                        + "crm cluster init); heartbeat's authkeys is not used."
                ]))
        if haCf.nodes.count != 2 {
            notes.append(
                ExportNote(
                    source: nil,
                    lines: [
                        "\(haCf.nodes.count) nodes: no-quorum-policy keeps its default (stop); a majority of "
                            + "corosync votes is needed to run resources."
                    ]))
        }
        return notes
    }

    /// What a heartbeat medium becomes in corosync.conf.
    func medium(_ directive: HaCfDirective) -> String {
        switch directive.name {
        case "bcast", "udp":
            "corosync (knet) talks unicast between the nodes' addresses: give each node a ringN_addr on "
                + "\(directive.values.joined(separator: ", "))'s network in corosync.conf's nodelist (one link per network)."
        case "ucast":
            "in corosync.conf's nodelist, the peer \(directive.values.dropFirst().first ?? "") is that node's "
                + "ringN_addr for the link on \(directive.values.first ?? "")."
        case "mcast":
            "knet needs no multicast: give each node a ringN_addr on \(directive.values.first ?? "")'s network "
                + "in corosync.conf's nodelist."
        case "udpport":
            "corosync's knet port is totem { interface { linknumber: N; knet_transport: udp; mcastport: PORT } } "
                + "(default 5405)."
        default:
            "corosync has no serial links: use a second network (a crossover cable works) as a second knet "
                + "link (ring1_addr)."
        }
    }

    func seconds(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
