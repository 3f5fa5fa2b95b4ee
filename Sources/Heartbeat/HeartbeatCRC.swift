/// heartbeat's `crc` signature: CRC-32 with polynomial 0x04C11DB7, MSB first, initial value 0,
/// complemented at the end, with no length appended (CRC-32/CKSUM without cksum's length bytes).
public enum HeartbeatCRC {
    /// The 256-entry table for polynomial 0x04C11DB7, MSB first.
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte) << 24
        for _ in 0..<8 {
            crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1
        }
        return crc
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 24) ^ byte)]
        }
        return ~crc
    }

    /// The checksum as heartbeat prints it: `%lx`, lowercase hex without leading zeros.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        String(checksum(bytes), radix: 16)
    }
}
