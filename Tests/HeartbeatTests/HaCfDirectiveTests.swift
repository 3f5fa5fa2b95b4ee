import Heartbeat
import Testing

/// The directive table of heartbeat-lite(8) against the parser: a name in it that the parser calls
/// unknown, an ignored one it does not accept silently, or a name listed twice fails here.
@Suite struct HaCfDirectiveTests {
    func codes(_ line: String) -> [ConfigError.Code] {
        do {
            _ = try HaCf.parse("bcast eth1\nnode alpha beta\nauto_failback on\n\(line)\n", path: "ha.cf", localNode: "alpha")
            return []
        } catch { return error.codes }
    }

    @Test func everyDocumentedDirectiveIsKnown() {
        for (name, summary) in HaCf.directiveSummaries {
            #expect(!summary.isEmpty)
            #expect(!codes("\(name) x").contains(.unknownDirective), "\(name) is documented but unknown to the parser")
        }
        for (name, reason) in HaCf.ignoredDirectives {
            #expect(!reason.isEmpty)
            #expect(codes("\(name) x").isEmpty, "\(name) should be accepted and ignored")
        }
    }

    @Test func heartbeatDirectivesNotDocumentedAreUnknown() {
        // heartbeat 3.0.6's other ha.cf names that heartbeat-lite neither runs nor ignores.
        let documented = Set(HaCf.directiveSummaries.map(\.name) + HaCf.ignoredDirectives.map(\.name) + ["udp"])
        #expect(codes("no_such_directive 1").contains(.unknownDirective))
        #expect(!documented.contains("no_such_directive"))
        #expect(documented.count == HaCf.directiveSummaries.count + HaCf.ignoredDirectives.count + 1, "no name twice")
    }
}
