import OCF
import Testing

@Suite struct ParametersTests {
    static let specs = [
        ParameterSpec("ip", required: true, unique: true, short: "address"),
        ParameterSpec("cidr_netmask", alias: "netmask", short: "mask"),
        ParameterSpec("arp_count", .integer, default: "5", short: "count"),
        ParameterSpec("arp_bg", .boolean, default: "true", short: "background"),
        ParameterSpec("lvs_support", .boolean, short: "lvs"),
        ParameterSpec("mac", short: "mac", refusal: "CLUSTERIP was removed from the kernel"),
    ]

    func decode(_ raw: [String: String]) throws -> Parameters {
        try Parameters(decoding: raw, declaredBy: Self.specs)
    }

    func failure(_ raw: [String: String]) -> OCFError? {
        do {
            _ = try decode(raw)
            return nil
        } catch {
            return error as? OCFError
        }
    }

    @Test func typedValuesAndDefaults() throws {
        let parameters = try decode(["ip": "203.0.113.10", "arp_count": "3"])
        #expect(parameters.string("ip") == "203.0.113.10")
        #expect(parameters.integer("arp_count") == 3)
        #expect(parameters.boolean("arp_bg") == true)
        #expect(parameters.boolean("lvs_support") == false)
        #expect(parameters.string("cidr_netmask") == nil)
        #expect(parameters.isGiven("arp_count"))
        #expect(!parameters.isGiven("arp_bg"))
    }

    @Test func defaultedIntegerIsTheGivenValueOrTheDefault() throws {
        #expect(try decode(["ip": "203.0.113.10", "arp_count": "3"]).defaultedInteger("arp_count") == 3)
        #expect(try decode(["ip": "203.0.113.10"]).defaultedInteger("arp_count") == 5)
    }

    /// The manager's times bound every deadline the agents compute: a value no Pacemaker sends
    /// (negative, or beyond its unsigned 32-bit milliseconds) counts as absent instead of
    /// overflowing `now + timeout`.
    @Test func managerTimesOutsidePacemakersRangeAreAbsent() {
        func times(_ value: String) -> (Int?, Int?) {
            let environment = OCFEnvironment(["OCF_RESKEY_CRM_meta_timeout": value, "OCF_RESKEY_CRM_meta_interval": value])
            return (environment.timeoutMilliseconds, environment.intervalMilliseconds)
        }
        #expect(times("20000") == (20000, 20000))
        #expect(times("0") == (0, 0))
        #expect(times("4294967295") == (4_294_967_295, 4_294_967_295))
        for value in ["4294967296", "9223372036854775807", "-1", "-9223372036854775808", "99999999999999999999", "1e3"] {
            #expect(times(value) == (nil, nil), "\(value)")
        }
    }

    @Test func missingRequiredIsNotConfigured() {
        let error = failure(["arp_count": "3"])
        #expect(error?.code == .notConfigured)
        #expect(error?.reason == "required parameter ip is missing")
        #expect(failure(["ip": ""])?.code == .notConfigured, "an empty value counts as missing")
    }

    @Test func malformedValuesNameParameterAndValue() {
        let integer = failure(["ip": "203.0.113.10", "arp_count": "five"])
        #expect(integer?.code == .notConfigured)
        #expect(integer?.reason == "parameter arp_count=five is not an integer")
        let boolean = failure(["ip": "203.0.113.10", "arp_bg": "maybe"])
        #expect(boolean?.code == .notConfigured)
        #expect(boolean?.reason.contains("arp_bg=maybe") == true)
    }

    @Test func refusedParameterIsExplained() {
        let error = failure(["ip": "203.0.113.10", "mac": "01:02:03:04:05:06"])
        #expect(error?.code == .notConfigured)
        #expect(error?.reason.contains("CLUSTERIP was removed") == true)
        #expect(error?.reason.contains("mac=01:02:03:04:05:06") == true)
    }

    @Test func aliasIsAccepted() throws {
        #expect(try decode(["ip": "203.0.113.10", "netmask": "24"]).string("cidr_netmask") == "24")
        #expect(try decode(["ip": "203.0.113.10", "netmask": "24", "cidr_netmask": "25"]).string("cidr_netmask") == "25")
    }

    @Test(arguments: ["yes", "true", "1", "on", "YES", "True", "y", "ja"])
    func trueSpellings(_ text: String) { #expect(Parameters.parseBoolean(text) == true) }

    @Test(arguments: ["no", "false", "0", "off", "NO", "n", "nein"])
    func falseSpellings(_ text: String) { #expect(Parameters.parseBoolean(text) == false) }

    @Test func unknownParametersAreIgnored() throws {
        #expect(try decode(["ip": "203.0.113.10", "trace_ra": "1"]).string("ip") == "203.0.113.10")
    }
}
