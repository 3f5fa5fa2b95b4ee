import HAKitSystem
import OCF
import Heartbeat
import PacemakerExport

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "export",
        abstract: "Write ha.cf + haresources as a Pacemaker configuration (crmsh, pcs or CIB XML).",
        discussion: """
            For moving to a Pacemaker cluster, as heartbeat's haresources2cib.py did. Each haresources \
            line becomes a group of its resources in the order written: IP addresses and IPaddr/IPaddr2 \
            as ocf:hakit:IPaddr/IPaddr2, SendArp::IP/NIC as ocf:hakit:SendArp, apache, httpd and apache2 \
            as ocf:hakit:apache, Filesystem/IPsrcaddr/MailTo/Delay as their ocf:heartbeat agents, other \
            names as lsb:NAME init scripts. Each group prefers the node named first (score 100); \
            resource-stickiness follows auto_failback: on and legacy 0 (groups fail back), off 200 \
            (groups stay, and can still be moved). Two nodes get stonith-enabled=false and \
            no-quorum-policy=ignore, each with a comment saying why and what to do. What has no \
            equivalent (timing, media, ping nodes, respawn, watchdog, stonith, authkeys) becomes comments \
            naming the corosync.conf or Pacemaker counterpart; ping nodes also get a commented-out ping \
            clone. authkeys is not read. Errors are FILE:LINE: message, all of them, and exit 1.
            --crm: crmsh syntax. Load it with `crm configure load update FILE`.
            --pcs: a /bin/sh script of pcs commands. `sh FILE` changes a copy of the live CIB and pushes \
            it once; `sh FILE CIB.xml` changes only that CIB file (start from `cibadmin --empty`).
            --cib: a whole CIB document. Check it with `crm_verify --xml-file FILE`; load it into a new \
            cluster with `cibadmin --replace --scope configuration --xml-file FILE`.
            Example: heartbeat-lite export --crm > ha.crm && crm configure load update ha.crm
            """)

    @Flag("crm", help: "Write crmsh `crm configure` syntax.")
    var crm: Bool

    @Flag("pcs", help: "Write a shell script of pcs commands.")
    var pcs: Bool

    @Flag("cib", help: "Write a CIB XML document.")
    var cib: Bool

    @Option("config-dir", valueName: "dir", help: "The directory holding ha.cf and haresources.")
    var configDirectory = "/etc/ha.d"

    @Option("ha-cf", valueName: "file", help: "ha.cf to read (default: CONFIG-DIR/ha.cf).")
    var haCfPath: String?

    @Option("haresources", valueName: "file", help: "haresources to read (default: CONFIG-DIR/haresources).")
    var haResourcesPath: String?

    @Option("provider", valueName: "name", help: "The OCF provider HAKit's agents are installed under.")
    var provider = "hakit"

    func run() throws {
        let renderers: [(Bool, (PacemakerConfiguration) -> String)] = [
            (crm, CrmshRenderer.render), (pcs, PcsRenderer.render), (cib, CIBRenderer.render),
        ]
        let chosen = renderers.filter(\.0)
        guard chosen.count == 1, let render = chosen.first?.1 else {
            throw CommandLineError(.conflict("Give exactly one of --crm, --pcs and --cib"), in: Self.self)
        }
        let configuration: PacemakerConfiguration
        do {
            configuration = try PacemakerExport.load(
                haCfPath: haCfPath ?? "\(configDirectory)/ha.cf",
                haResourcesPath: haResourcesPath ?? "\(configDirectory)/haresources", provider: provider)
        } catch {
            writeStandardError(error.errors.map { "\($0)\n" }.joined())
            writeStandardError("heartbeat-lite: \(error.errors.count) problem(s); nothing exported\n")
            throw ExitCode.failure
        }
        writeStandardError(configuration.warnings.map { "warning: \($0)\n" }.joined())
        writeStandardOutput(render(configuration))
    }
}
