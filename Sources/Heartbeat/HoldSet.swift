/// A set of resource groups as heartbeat names it in `rsc_hold`, always from the point of view of
/// the node that says it: `local` are the groups whose home (haresources node) is that node,
/// `foreign` the groups of the other node.
public enum HoldSet: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No group.
    case none
    /// The speaker's own groups.
    case local
    /// The other node's groups.
    case foreign
    /// Every group.
    case all

    /// The set made of the speaker's own groups when `local`, the other node's when `foreign`.
    public init(local: Bool, foreign: Bool) {
        switch (local, foreign) {
        case (false, false): self = .none
        case (true, false): self = .local
        case (false, true): self = .foreign
        case (true, true): self = .all
        }
    }

    /// Whether the set contains the speaker's own groups.
    public var includesLocal: Bool { self == .local || self == .all }
    /// Whether the set contains the other node's groups.
    public var includesForeign: Bool { self == .foreign || self == .all }

    /// The same groups named from the other node's side: local and foreign swap.
    public var mirrored: HoldSet { HoldSet(local: includesForeign, foreign: includesLocal) }

    /// The wire word.
    public var description: String { rawValue }
}
