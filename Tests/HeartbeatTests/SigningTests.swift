import Heartbeat
import Testing

@Suite("signatures")
struct SigningTests {
    let data = Array("what do ya want for nothing?".utf8)

    @Test("HMAC-SHA1, RFC 2202 test case 2")
    func sha1() {
        let key = AuthKey(index: 1, method: .sha1, secret: "Jefe")
        #expect(key.digest(of: data) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        #expect(key.token(of: data) == "1 effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test("HMAC-MD5, RFC 2104 test vector")
    func md5() {
        let key = AuthKey(index: 3, method: .md5, secret: "Jefe")
        #expect(key.digest(of: data) == "750c783e6ab0b503eaa86e310a5db738")
        #expect(key.token(of: data) == "3 750c783e6ab0b503eaa86e310a5db738")
    }

    @Test("CRC-32 with heartbeat's parameters: poly 04C11DB7, MSB first, init 0, complemented, no length")
    func crc() {
        // The CRC-32/CKSUM check value (cksum(1) without its length bytes).
        #expect(HeartbeatCRC.checksum(Array("123456789".utf8)) == 0x765E_7680)
        #expect(HeartbeatCRC.checksum([UInt8]()) == 0xFFFF_FFFF)
        #expect(HeartbeatCRC.checksum(Array("a".utf8)) == 0x579B_24DF)
        #expect(HeartbeatCRC.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x36B7_8081)
        // Bytes above 0x7F: heartbeat indexes its table with a signed char, masked to the same byte.
        #expect(HeartbeatCRC.checksum([0xFF, 0x80, 0x00]) == 0xCA5F_3E1A)
    }

    @Test("crc is rendered as %lx: lowercase, no leading zeros")
    func crcHex() {
        let key = AuthKey(index: 1, method: .crc, secret: "ignored")
        #expect(key.secret.isEmpty)
        #expect(key.digest(of: Array("123456789".utf8)) == "765e7680")
        #expect(key.digest(of: Array("heartbeat116".utf8)) == "84b69d")
        #expect(key.token(of: Array("heartbeat116".utf8)) == "1 84b69d")
    }

    @Test("a different secret gives a different HMAC")
    func secretsMatter() {
        let a = AuthKey(index: 1, method: .sha1, secret: "one")
        let b = AuthKey(index: 1, method: .sha1, secret: "two")
        #expect(a.digest(of: data) != b.digest(of: data))
        #expect(a.digest(of: data).count == 40)
        #expect(AuthKey(index: 1, method: .md5, secret: "one").digest(of: data).count == 32)
    }
}
