import OCF

extension Parameters {
    /// Refuses (6) a negative value of any of these integer parameters.
    func requireNonNegative(_ names: String...) throws {
        for name in names where defaultedInteger(name) < 0 {
            throw OCFError.notConfigured("\(name)=\(defaultedInteger(name)) must not be negative")
        }
    }
}
