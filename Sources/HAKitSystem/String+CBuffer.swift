extension String {
    /// The text in a C character buffer up to its first NUL, invalid UTF-8 repaired.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
