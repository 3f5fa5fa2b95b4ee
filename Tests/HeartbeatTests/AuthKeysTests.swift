import Heartbeat
import Testing

@Suite("authkeys parsing and permissions")
struct AuthKeysTests {
    @Test("several entries; auth picks the active one")
    func entries() throws {
        let keys = try AuthKeys.parse(
            """
            # keys
            auth 2
            1 crc
               2 sha1 s3cret   # comment after the key
            3 md5 other
            0 sha1 zero
            15 md5 last
            """
        )
        #expect(keys.active == AuthKey(index: 2, method: .sha1, secret: "s3cret"))
        #expect(keys.entries.keys.sorted() == [0, 1, 2, 3, 15])
        #expect(keys.key(index: 3) == AuthKey(index: 3, method: .md5, secret: "other"))
        #expect(keys.key(index: 1)?.secret == [])
        #expect(keys.key(index: 4) == nil)
        #expect(keys.warnings.isEmpty)
        #expect(keys.active.description == "2 sha1")
    }

    @Test("only the first word of a key is used, as heartbeat's sscanf does, with a warning")
    func multiWordKey() throws {
        let keys = try AuthKeys.parse("auth 1\n1 sha1 my secret phrase")
        #expect(keys.active.secret == Array("my".utf8))
        #expect(keys.warnings.map(\.line) == [2])
    }

    @Test(
        "errors carry file and line",
        arguments: [
            ("auth 1\n1 crc key", ConfigError.Code.keyNotAllowed, 2),
            ("auth 1\n1 md5", .keyRequired, 2),
            ("auth 1\n1 sha1\n", .keyRequired, 2),
            ("auth 1\n1 sha256 key", .unknownMethod, 2),
            ("auth 1\n1 SHA1 key", .unknownMethod, 2),
            ("auth 16\n1 sha1 key", .invalidKeyIndex, 1),
            ("auth 1\n1 sha1 a\n16 sha1 key", .invalidKeyIndex, 3),
            ("auth 1\n1 sha1 a\nx sha1 key", .invalidLine, 3),
            ("auth\n1 sha1 a", .invalidLine, 1),
            ("auth one\n1 sha1 a", .invalidLine, 1),
            ("auth 1 2\n1 sha1 a", .invalidLine, 1),
            ("auth 1\n1", .missingValue, 2),
            ("auth 2\n1 sha1 a", .missingKeyEntry, 1),
            ("auth 1\n1 sha1 a\n1 md5 b", .duplicate, 3),
            ("auth 1\nauth 1\n1 sha1 a", .duplicate, 2),
        ]
    )
    func errors(text: String, code: ConfigError.Code, line: Int) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try AuthKeys.parse(text, path: "/etc/ha.d/authkeys")
            }
        )
        #expect(errors.codes == [code])
        #expect(errors.errors[0].line == line)
        #expect(errors.description.hasPrefix("/etc/ha.d/authkeys:\(line): "))
    }

    @Test("a bad line is reported once, not again as a missing auth line or entry")
    func noCascade() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try AuthKeys.parse("auth 1\n1 sha256 key\n2 md5\n")
            }
        )
        #expect(errors.codes == [.unknownMethod, .keyRequired])
        #expect(errors.errors.map(\.line) == [2, 3])
    }

    @Test("a missing auth line is an error for the whole file")
    func missingAuth() throws {
        let errors = try #require(expectConfigErrors { () throws(ConfigErrors) in try AuthKeys.parse("1 sha1 key\n") })
        #expect(errors.codes == [.missingAuth])
        #expect(errors.description == "authkeys: no \"auth N\" line: name the key that signs messages")
    }

    @Test("the exact messages for crc with a key and md5 without")
    func messages() throws {
        let crc = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try AuthKeys.parse("auth 1\n1 crc abc") }
        )
        #expect(crc.description == "authkeys:2: crc does not use a key; remove \"abc\" or use sha1")
        let md5 = try #require(expectConfigErrors { () throws(ConfigErrors) in try AuthKeys.parse("auth 1\n1 md5") })
        #expect(md5.description == "authkeys:2: md5 requires a key: 1 md5 SECRET")
    }

    @Test(
        "permissions: no group/other bits and root ownership",
        arguments: [
            (UInt32(0o100600), UInt32(0), true), (0o600, 0, true), (0o400, 0, true), (0o700, 0, true),
            (0o100644, 0, false), (0o640, 0, false), (0o604, 0, false), (0o602, 0, false), (0o620, 0, false),
            (0o600, 1000, false), (0o666, 1000, false),
        ]
    )
    func permissions(mode: UInt32, owner: UInt32, accepted: Bool) throws {
        let result = Result { () throws(AuthKeysPermissionError) in
            try AuthKeys.checkPermissions(path: "/etc/ha.d/authkeys", mode: mode, ownerUID: owner)
        }
        switch result {
        case .success: #expect(accepted)
        case .failure(let error):
            #expect(!accepted)
            #expect(error.mode == mode & 0o7777)
            #expect(error.ownerUID == owner)
        }
    }

    @Test("the permission message names the file and its mode in octal")
    func permissionMessage() {
        let wide = AuthKeysPermissionError(path: "/etc/ha.d/authkeys", mode: 0o100644, ownerUID: 0)
        #expect(wide.description == "authkeys /etc/ha.d/authkeys has mode 0644; it must be 0600 and owned by root")
        #expect(wide.octalMode == "0644")
        let owned = AuthKeysPermissionError(path: "/etc/ha.d/authkeys", mode: 0o600, ownerUID: 1000)
        #expect(
            owned.description == "authkeys /etc/ha.d/authkeys is owned by uid 1000; it must be 0600 and owned by root"
        )
        let sticky = AuthKeysPermissionError(path: "k", mode: 0o4604, ownerUID: 0)
        #expect(sticky.description == "authkeys k has mode 4604; it must be 0600 and owned by root")
    }
}
