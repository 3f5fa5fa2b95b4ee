import Runner
import Testing

@Suite struct AgentSpecTests {
    @Test func ocfSpecResolvesUnderTheRoot() throws {
        let spec = try AgentSpec(parsing: "ocf:heartbeat:IPaddr2", ocfRoot: "/usr/lib/ocf")
        #expect(spec.path == "/usr/lib/ocf/resource.d/heartbeat/IPaddr2")
        #expect(spec.provider == "heartbeat")
        #expect(spec.type == "IPaddr2")
        #expect(spec.description == "ocf:heartbeat:IPaddr2")
    }

    @Test func pathSpecTakesTypeAndProviderFromThePath() throws {
        let spec = try AgentSpec(parsing: "/opt/ocf/resource.d/acme/Widget", ocfRoot: "/usr/lib/ocf")
        #expect(spec.type == "Widget")
        #expect(spec.provider == "acme")
        #expect(spec.path == "/opt/ocf/resource.d/acme/Widget")
        let loose = try AgentSpec(parsing: "./agents/Widget", ocfRoot: "/usr/lib/ocf")
        #expect(loose.type == "Widget")
        #expect(loose.provider == nil, "no provider outside the resource.d layout")
    }

    @Test(arguments: [
        ("ocf:heartbeat", "should be ocf:PROVIDER:TYPE"), ("ocf::IPaddr2", "should be ocf:PROVIDER:TYPE"),
        ("ocf:../x:y", "invalid provider"), ("stonith:fence_virsh", "uses the stonith class"), ("lsb:", "should be lsb:NAME"),
        ("IPaddr2", "is neither"),
    ])
    func badSpecsAreNamed(_ text: String, _ fragment: String) {
        do {
            _ = try AgentSpec(parsing: text, ocfRoot: "/usr/lib/ocf")
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description.contains("\"\(text)\""))
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}
