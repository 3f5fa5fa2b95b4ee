import Heartbeat

/// heartbeat v1's ha.cf + haresources translated into the Pacemaker configuration a two-node
/// cluster moving to Pacemaker needs: what heartbeat's haresources2cib.py did, with HAKit's agents.
///
/// Pure: it reads the two files (`load`) or takes them parsed (`translate`) and returns a
/// `PacemakerConfiguration`; `CrmshRenderer`, `PcsRenderer` and `CIBRenderer` write it out.
public enum PacemakerExport {
    /// The home-node preference of each group, as haresources2cib scored it.
    public static let homeScore = 100
    /// `resource-stickiness` for `auto_failback off`: more than `homeScore`, so a group stays where it
    /// runs, and finite, so that `crm resource move` / `pcs resource move` (INFINITY) still move it.
    public static let stayingStickiness = 200

    /// Reads and translates ha.cf and haresources.
    ///
    /// - Parameter provider: the OCF provider HAKit's agents are installed under.
    /// - Throws: every problem of both files, each naming its file and line.
    public static func load(haCfPath: String, haResourcesPath: String, provider: String = "hakit")
        throws(ConfigErrors) -> PacemakerConfiguration
    {
        var errors: [ConfigError] = []
        var haCf: HaCf?
        var resources: HaResources?
        do { haCf = try HaCf.parseForExport(try read(haCfPath), path: haCfPath) } catch { errors += error.errors }
        do {
            resources = try HaResources.parse(try read(haResourcesPath), path: haResourcesPath, nodes: haCf?.nodes)
        } catch { errors += error.errors }
        guard errors.isEmpty, let haCf, let resources else { throw ConfigErrors(errors) }
        return try translate(
            haCf: haCf, resources: resources, haCfPath: haCfPath, haResourcesPath: haResourcesPath,
            provider: provider)
    }

    private static func read(_ path: String) throws(ConfigErrors) -> String {
        do { return try ConfigFile.read(path) } catch { throw ConfigErrors([error]) }
    }

    /// Translates parsed files; the paths are for the comments and errors.
    ///
    /// - Throws: the haresources entries that name a known heartbeat script with the wrong arguments.
    public static func translate(
        haCf: HaCf, resources: HaResources, haCfPath: String = "ha.cf", haResourcesPath: String = "haresources",
        provider: String = "hakit"
    ) throws(ConfigErrors) -> PacemakerConfiguration {
        var ids = IDAllocator()
        var errors: [ConfigError] = []
        var groups: [PacemakerGroup] = []
        var locations: [LocationPreference] = []
        for group in resources.groups {
            var members: [PacemakerPrimitive] = []
            for resource in group.startOrder {
                switch ResourceTranslation.translate(resource, provider: provider) {
                case .success(let translation):
                    members.append(
                        PacemakerPrimitive(
                            id: ids.allocate(translation.baseID), agent: translation.agent,
                            parameters: translation.parameters, operations: translation.operations,
                            comments: ["haresources: \(resource.token)"] + translation.comments))
                case .failure(let failure):
                    errors.append(ConfigError(.invalidResource, path: haResourcesPath, line: group.line, failure.message))
                }
            }
            guard let first = members.first, members.count == group.resources.count else { continue }
            let groupID = ids.allocate("group_\(first.id)")
            groups.append(PacemakerGroup(id: groupID, members: members, source: "\(haResourcesPath):\(group.line)"))
            locations.append(
                LocationPreference(
                    id: ids.allocate("location_\(groupID)"), resource: groupID, node: group.node, score: homeScore,
                    comments: [
                        "home node of \(haResourcesPath):\(group.line); it must be the Pacemaker node name "
                            + "(corosync.conf nodelist name, else uname -n), as it was heartbeat's"
                    ]))
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        let notes = ClusterNotes(haCf: haCf, path: haCfPath)
        return PacemakerConfiguration(
            origin: "\(haCfPath) and \(haResourcesPath)", groups: groups, locations: locations,
            properties: notes.properties(), resourceDefaults: [notes.stickiness()], notes: notes.notes(),
            pingSuggestion: notes.pingHosts.isEmpty
                ? nil : PingSuggestion(hosts: notes.pingHosts, groups: groups.map(\.id)),
            warnings: haCf.warnings)
    }
}

/// Resource ids: valid XML ids (Pacemaker's ids are `xsd:ID`), unique in the configuration.
struct IDAllocator {
    private var used: Set<String> = ["ping", "ping-clone"]

    /// `base` made an XML name (other characters become `_`, a leading non-letter gets `rsc_`),
    /// with `_2`, `_3`… when it is taken.
    mutating func allocate(_ base: String) -> String {
        var name = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) ? $0 : "_" })
        if let first = name.first, !(first.isLetter || first == "_") { name = "rsc_" + name }
        if name.isEmpty { name = "rsc" }
        var candidate = name
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(name)_\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }
}
