import HAKitSystem
import HAKitTestSupport
import Heartbeat
import Testing

@Suite struct NodeIdentityTests {
    @Test func generationGrowsAtEveryStartAndTheUUIDStays() throws {
        let directory = try TestSupport.temporaryDirectory("identity")
        defer { TestSupport.removeTree(directory) }
        let state = "\(directory)/state"
        let first = try NodeIdentity.advance(stateDirectory: state)
        let second = try NodeIdentity.advance(stateDirectory: state)
        #expect(first.generation == 1)
        #expect(second.generation == 2)
        #expect(first.uuid == second.uuid)
        #expect(first.uuid.count == 16 && first.uuid[6] >> 4 == 4)
        #expect(try FileSystem.read("\(state)/hb_generation") == "2\n")
        let other = try NodeIdentity.advance(stateDirectory: "\(directory)/other")
        #expect(other.uuid != first.uuid)
    }

    @Test func corruptStateIsNamed() throws {
        let directory = try TestSupport.temporaryDirectory("identity")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/hb_generation", contents: "banana\n")
        #expect {
            try NodeIdentity.advance(stateDirectory: directory)
        } throws: { error in
            (error as? ConfigError)?.description.contains("\(directory)/hb_generation:1: not a generation number") == true
        }
    }
}
