/// How `systemd:NAME` names a unit: `.service` is implied unless NAME already ends in a unit type.
public enum SystemdUnitName {
    /// systemd's unit types, the suffixes a unit name may end in (systemd.unit(5)).
    public static let types: Set<String> = [
        "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope",
    ]

    /// The characters systemd allows in unit names, besides letters and digits (`VALID_CHARS`).
    static let punctuation: Set<Character> = [":", "-", "_", ".", "\\", "@"]

    /// The full unit name: `NAME.service` unless NAME ends in `.TYPE` for a unit type.
    ///
    /// Pacemaker keeps only `.service`, `.socket`, `.mount`, `.timer` and `.path`, so that
    /// `foo.target` becomes `foo.target.service`; every systemd unit type is kept here.
    public static func full(_ name: String) -> String {
        if let dot = name.lastIndex(of: "."), types.contains(String(name[name.index(after: dot)...])) {
            return name
        }
        return name + ".service"
    }

    /// What is wrong with a name given as `systemd:NAME`, or `nil` when systemd can take it.
    public static func problem(_ name: String) -> String? {
        let unit = full(name)
        guard let dot = unit.lastIndex(of: "."), dot != unit.startIndex else { return "is empty" }
        let prefix = unit[..<dot]
        if unit.utf8.count > 255 { return "is longer than systemd's 255 characters" }
        if prefix.hasPrefix(".") { return "starts with a dot" }
        let allowed = { (character: Character) in
            (character.isASCII && (character.isLetter || character.isNumber)) || punctuation.contains(character)
        }
        if let bad = prefix.first(where: { !allowed($0) }) {
            return "has the character \"\(bad)\", which systemd does not allow in unit names"
        }
        let instance = prefix.split(separator: "@", omittingEmptySubsequences: false)
        if instance.count > 2 || instance.first?.isEmpty == true { return "is not a valid unit name" }
        if instance.count == 2 && instance[1].isEmpty {
            return "names a template; name an instance, e.g. \(prefix)NAME.\(unit[unit.index(after: dot)...])"
        }
        return nil
    }
}
