import SystemdBus
import Testing

@Suite struct BusConnectionTests {
    /// sd-bus names errno values after D-Bus's standard errors where one fits.
    @Test func noBusAtTheAddressIsATypedErrorNamedAfterTheErrno() {
        do {
            _ = try BusConnection(.address("unix:path=/nonexistent/hakit-bus"))
            Issue.record("connected to a bus that does not exist")
        } catch {
            #expect(error.name == BusError.Name(rawValue: "org.freedesktop.DBus.Error.FileNotFound"))
            #expect(error.operation == "connecting to the bus at unix:path=/nonexistent/hakit-bus")
            #expect(error.description == "connecting to the bus at unix:path=/nonexistent/hakit-bus: No such file or directory (org.freedesktop.DBus.Error.FileNotFound)")
        }
    }

    @Test func aMalformedAddressIsRejected() {
        #expect(throws: BusError.self) { try BusConnection(.address("no-transport")) }
    }

    @Test func valuesKeepUnknownNames() {
        #expect(ActiveState(rawValue: "active") == .active)
        #expect(ActiveState(rawValue: "frobnicating").description == "frobnicating")
        #expect(JobResult(rawValue: "done") == .done)
        #expect(LoadState(rawValue: "not-found") == .notFound)
        #expect(UnitState(loadState: .loaded, activeState: .active, subState: "running").description == "loaded active running")
        #expect(UnitMethod.restart.rawValue == "RestartUnit")
        #expect(JobMode.replace.rawValue == "replace")
    }
}
