import HAKitTestSupport
import Heartbeat
import PacemakerExport
import Testing

/// The two files as the export reads them, named as on a real node.
func exportConfiguration(haCf: String, haresources: String) throws -> PacemakerConfiguration {
    let cf = try HaCf.parseForExport(haCf, path: "/etc/ha.d/ha.cf")
    let resources = try HaResources.parse(haresources, path: "/etc/ha.d/haresources", nodes: cf.nodes)
    return try PacemakerExport.translate(
        haCf: cf, resources: resources, haCfPath: "/etc/ha.d/ha.cf", haResourcesPath: "/etc/ha.d/haresources")
}

/// A two-node ha.cf with `extra` lines before the nodes.
func twoNodeHaCf(_ extra: String = "") -> String {
    "bcast eth1\n\(extra)node alpha\nnode beta\n"
}

/// The one group of a one-line haresources on node alpha.
func onlyGroup(_ haresources: String, haCf: String = twoNodeHaCf()) throws -> PacemakerGroup {
    let configuration = try exportConfiguration(haCf: haCf, haresources: haresources)
    return try #require(configuration.groups.first)
}

/// The errors `body` throws, or nil (recorded as a failure) when it throws none.
func expectExportErrors(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(ConfigErrors) -> Void
) -> ConfigErrors? {
    do {
        try body()
    } catch {
        return error
    }
    Issue.record("expected configuration errors", sourceLocation: sourceLocation)
    return nil
}
