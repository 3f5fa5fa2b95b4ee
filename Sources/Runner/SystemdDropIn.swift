#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem

/// The runtime drop-in HAKit puts next to a unit while the cluster manages it, as Pacemaker puts
/// `50-pacemaker.conf`: a description that says so and, for services, `Restart=no`, because the
/// cluster, not systemd, decides where and when the service runs again.
public struct SystemdDropIn: Sendable, Hashable {
    /// The drop-in's file name.
    public static let fileName = "50-hakit.conf"

    /// The unit, e.g. `httpd.service`.
    public let unit: String
    /// The name the resource was given, e.g. `httpd` (Pacemaker's description uses it too).
    public let resourceName: String
    /// The runtime unit directory, normally `/run/systemd/system`.
    public let directory: String

    /// Describes the drop-in of `unit`, managed as the resource `resourceName`, in `directory`.
    public init(unit: String, resourceName: String, directory: String = "/run/systemd/system") {
        self.unit = unit
        self.resourceName = resourceName
        self.directory = directory
    }

    /// `<directory>/<unit>.d`.
    public var dropInDirectory: String { "\(directory)/\(unit).d" }
    /// `<directory>/<unit>.d/50-hakit.conf`.
    public var path: String { "\(dropInDirectory)/\(Self.fileName)" }

    /// The file's text. `[Service]` only for services: other unit types have no such section and
    /// systemd would log it as unknown.
    public var contents: String {
        var text = "# Written by HAKit while the cluster manages \(unit); removed when it stops it.\n"
        text += "[Unit]\nDescription=Cluster Controlled \(resourceName)\n"
        if unit.hasSuffix(".service") { text += "\n[Service]\nRestart=no\n" }
        return text
    }

    /// Writes the drop-in unless it is there already with the same text; returns whether the
    /// file changed (and so systemd must reload).
    public func install() throws -> Bool {
        if (try FileSystem.read(path)) == contents { return false }
        try FileSystem.makeDirectories(dropInDirectory)
        try FileSystem.writeAtomically(path, contents: contents, mode: 0o644)
        return true
    }

    /// Removes the drop-in, and its directory when nothing else is in it; returns whether there
    /// was a file to remove (and so systemd must reload).
    public func remove() throws -> Bool {
        guard FileSystem.exists(path) else { return false }
        try FileSystem.remove(path)
        rmdir(dropInDirectory)  // fails, as it should, when other drop-ins are there
        return true
    }
}
