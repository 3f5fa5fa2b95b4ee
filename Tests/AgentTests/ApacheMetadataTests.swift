import HAKitSystem
import HAKitTestSupport
import OCF
import Testing

@testable import Agents

/// The apache agent's declaration: the reference's parameters, defaults and actions.
@Suite struct ApacheMetadataTests {
    @Test func parametersAndDefaultsMatchTheReference() throws {
        let metadata = try AgentMetadata(xml: MetadataRenderer.xml(Apache.descriptor))
        #expect(metadata.name == "apache")
        #expect(metadata.parameters.map(\.name) == [
            "configfile", "httpd", "port", "statusurl", "testregex", "client", "testurl", "testregex10", "testconffile",
            "testname", "options", "envfiles", "use_ipv6",
        ])
        let defaults = Dictionary(uniqueKeysWithValues: metadata.parameters.map { ($0.name, $0.defaultValue) })
        #expect(defaults["httpd"] == "/usr/sbin/httpd")
        #expect(defaults["testregex"] == "</ *html *>")
        #expect(defaults["envfiles"] == "/etc/apache2/envvars")
        #expect(defaults["use_ipv6"] == "false")
        #expect(defaults["configfile"] == "/etc/apache2/apache2.conf")
        #expect(metadata.parameters.filter(\.unique).map(\.name) == ["configfile"])
        #expect(metadata.parameters.allSatisfy { !$0.required })
        #expect(metadata.parameters.first { $0.name == "port" }?.type == "integer")
    }

    @Test func actionsAndTimeoutsMatchTheReference() throws {
        let metadata = try AgentMetadata(xml: MetadataRenderer.xml(Apache.descriptor))
        #expect(metadata.timeoutMilliseconds(for: "start") == 40_000)
        #expect(metadata.timeoutMilliseconds(for: "stop") == 60_000)
        let monitors = metadata.actions.filter { $0.name == "monitor" }
        // Only depth 0, as the reference: pcs makes every advertised monitor a recurring one.
        #expect(monitors.map(\.depth) == [0])
        #expect(monitors.first?.intervalMilliseconds == 10_000 && monitors.first?.timeoutMilliseconds == 20_000)
        for action in ["meta-data", "validate-all", "status"] { #expect(metadata.advertises(action)) }
    }

    @Test func metadataIsValidAgainstTheDTD() throws {
        let directory = try TestSupport.temporaryDirectory("apache-metadata")
        defer { TestSupport.removeTree(directory) }
        let file = "\(directory)/apache.xml"
        try FileSystem.writeAtomically(file, contents: MetadataRenderer.xml(Apache.descriptor))
        let result = try TestSupport.run([
            "xmllint", "--noout", "--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd", file,
        ])
        #expect(result.status == 0, "\(result.errorOutput)")
    }
}
