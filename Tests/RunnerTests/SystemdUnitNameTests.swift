import HAKitSystem
import HAKitTestSupport
import OCF
import Runner
import Testing

@Suite struct SystemdUnitNameTests {
    @Test(arguments: [
        ("httpd", "httpd.service"), ("httpd.service", "httpd.service"), ("dbus.socket", "dbus.socket"),
        ("multi-user.target", "multi-user.target"), ("logrotate.timer", "logrotate.timer"), ("-.mount", "-.mount"),
        ("getty@tty1", "getty@tty1.service"), ("php8.2-fpm", "php8.2-fpm.service"), ("a.b", "a.b.service"),
    ])
    func serviceIsImpliedUnlessAUnitTypeEndsTheName(name: String, unit: String) {
        #expect(SystemdUnitName.full(name) == unit)
    }

    @Test(arguments: [
        ("", "is empty"), (".hidden", "starts with a dot"), ("a/b", "character \"/\""), ("a b", "character \" \""),
        ("getty@", "names a template"), ("getty@.service", "names a template"), ("a@b@c", "is not a valid unit name"),
        ("@x", "is not a valid unit name"), (String(repeating: "x", count: 250), "longer than"),
    ])
    func badNamesAreNamed(name: String, fragment: String) {
        #expect(SystemdUnitName.problem(name)?.contains(fragment) == true, "\(name): \(SystemdUnitName.problem(name) ?? "nil")")
    }

    @Test(arguments: ["httpd", "sshd.service", "getty@tty1", "systemd-fsck@dev-disk-by\\x2duuid-1.service", "a:b_c-d"])
    func goodNamesPass(name: String) {
        #expect(SystemdUnitName.problem(name) == nil)
    }

    @Test func specNamesTheUnit() throws {
        let spec = try AgentSpec(parsing: "systemd:httpd", ocfRoot: "/usr/lib/ocf")
        #expect(spec.standard == .systemd)
        #expect(spec.type == "httpd")
        #expect(spec.path == "httpd.service")
        #expect(spec.provider == nil)
        #expect(spec.description == "systemd:httpd")
        #expect(try AgentSpec(parsing: "systemd:dbus.socket", ocfRoot: "/").path == "dbus.socket")
        #expect(throws: AgentSpecError.self) { try AgentSpec(parsing: "systemd:", ocfRoot: "/") }
        #expect(throws: AgentSpecError.self) { try AgentSpec(parsing: "systemd:../etc/x", ocfRoot: "/") }
    }

    @Test func dropInSaysClusterControlledAndRestartNoForServices() throws {
        let directory = try TestSupport.temporaryDirectory("dropin")
        defer { TestSupport.removeTree(directory) }
        let dropIn = SystemdDropIn(unit: "httpd.service", resourceName: "httpd", directory: directory)
        #expect(dropIn.path == "\(directory)/httpd.service.d/50-hakit.conf")
        #expect(try dropIn.install())
        #expect(try !dropIn.install(), "unchanged: no reload needed")
        #expect(
            try FileSystem.read(dropIn.path)
                == "# Written by HAKit while the cluster manages httpd.service; removed when it stops it.\n"
                + "[Unit]\nDescription=Cluster Controlled httpd\n\n[Service]\nRestart=no\n")
        #expect(try dropIn.remove())
        #expect(!FileSystem.exists(dropIn.dropInDirectory))
        #expect(try !dropIn.remove())

        let socket = SystemdDropIn(unit: "cups.socket", resourceName: "cups.socket", directory: directory)
        #expect(!socket.contents.contains("[Service]"))
        #expect(socket.contents.contains("Description=Cluster Controlled cups.socket\n"))
        // Another drop-in keeps the directory.
        #expect(try socket.install())
        try FileSystem.writeAtomically("\(socket.dropInDirectory)/10-local.conf", contents: "[Unit]\n")
        #expect(try socket.remove())
        #expect(FileSystem.exists("\(socket.dropInDirectory)/10-local.conf"))
    }
}
