/// Network interface names as the Linux kernel takes them (`dev_valid_name` in net/core/dev.c):
/// 1 to 15 bytes (`IFNAMSIZ` less the terminating zero), not `.` or `..`, and without `/`, `:` or
/// white space. A medium on any other name can never be opened, so ha.cf refuses it up front.
public enum InterfaceName {
    /// The longest name the kernel takes, in bytes.
    public static let maximumLength = 15

    /// Why `name` cannot name an interface, or `nil` when it can.
    public static func problem(_ name: some StringProtocol) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > maximumLength { return "is longer than \(maximumLength) bytes" }
        if name == "." || name == ".." { return "is not a name" }
        if name.contains(":") { return "contains \":\" (an alias such as eth0:1 is not an interface)" }
        if name.contains(where: { $0 == "/" || $0.isWhitespace }) { return "contains \"/\" or white space" }
        return nil
    }
}
