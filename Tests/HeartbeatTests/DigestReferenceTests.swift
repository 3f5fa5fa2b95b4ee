import HAKitSystem
import HAKitTestSupport
import Heartbeat
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// heartbeat-lite's own HMAC-MD5 and HMAC-SHA1 against the RFC vectors and against OpenSSL's
/// (`openssl dgst -mac HMAC`), over message lengths around the 56- and 64-byte padding edges and
/// keys shorter than, as long as, and longer than a block.
@Suite("HMAC digests against the RFCs and openssl")
struct DigestReferenceTests {
    @Test("RFC 2202 HMAC-SHA1 and HMAC-MD5 test cases 1, 3, 6 and 7")
    func rfc2202() {
        let cases: [(key: [UInt8], data: [UInt8], md5: String, sha1: String)] = [
            ([UInt8](repeating: 0x0b, count: 16), Array("Hi There".utf8),
             "9294727a3638bb1c13f48ef8158bfc9d", "675b0b3a1b4ddf4e124872da6c2f632bfed957e9"),
            ([UInt8](repeating: 0xaa, count: 16), [UInt8](repeating: 0xdd, count: 50),
             "56be34521d144c88dbb8c733f0e8b3f6", "d730594d167e35d5956fd8003d0db3d3f46dc7bb"),
            ([UInt8](repeating: 0xaa, count: 80), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd", "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
            ([UInt8](repeating: 0xaa, count: 80),
             Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
             "6f630fad67cda0ee1fb1f562db3aa53e", "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
        ]
        for (index, item) in cases.enumerated() {
            let md5 = AuthKey(index: 1, method: .md5, secretBytes: item.key)
            let sha1 = AuthKey(index: 1, method: .sha1, secretBytes: item.key)
            #expect(md5.digest(of: item.data) == item.md5, "case \(index)")
            #expect(sha1.digest(of: item.data) == item.sha1, "case \(index)")
        }
    }

    @Test("the same HMACs as openssl for messages and keys around the block edges")
    func matchesOpenSSL() throws {
        let directory = try TestSupport.temporaryDirectory("hmac")
        defer { TestSupport.removeTree(directory) }
        var generator = SystemRandomNumberGenerator()
        let messageLengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 300, 1400]
        let keyLengths = [1, 20, 63, 64, 65, 100]
        for (round, length) in messageLengths.enumerated() {
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let key = (0..<keyLengths[round % keyLengths.count]).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let file = "\(directory)/message-\(length)"
            try write(message, to: file)
            for (method, name) in [(AuthMethod.md5, "md5"), (.sha1, "sha1")] {
                let result = try TestSupport.run([
                    "openssl", "dgst", "-\(name)", "-mac", "HMAC", "-macopt", "hexkey:\(hex(key))", "-r", file,
                ])
                try #require(result.status == 0, "openssl: \(result.errorOutput)")
                let reference = String(result.output.prefix { $0 != " " })
                let ours = AuthKey(index: 1, method: method, secretBytes: key).digest(of: message)
                #expect(ours == reference, "\(name), message \(length) bytes, key \(key.count) bytes")
            }
        }
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        guard let stream = fopen(path, "wb") else { throw SystemError(errno: errno, "fopen \(path)") }
        defer { fclose(stream) }
        guard bytes.isEmpty || fwrite(bytes, 1, bytes.count, stream) == bytes.count else {
            throw SystemError(errno: errno, "fwrite \(path)")
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
