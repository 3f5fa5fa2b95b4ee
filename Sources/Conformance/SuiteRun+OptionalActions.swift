import OCF
import Runner

extension SuiteRun {
    /// The optional actions the suite knows how to exercise on a running resource.
    static let optionalActions: [OCFAction] = [
        .notify, .promote, .demote, .reload, .reloadAgent, .migrateTo, .migrateFrom,
    ]

    /// On a running resource: each advertised optional action with its contract, then each
    /// optional action that is not advertised, which must answer 3 (ocf-tester accepts any code
    /// from an action an agent does not advertise; a cluster manager would never call it).
    mutating func checkOptionalActions() throws(SuiteAbort) {
        if session.advertises(.notify) { try checkNotify() }
        try checkPromotable()
        for reload in [OCFAction.reload, .reloadAgent] where session.advertises(reload) {
            try expect(reload, [.success], "\(reload) on a running resource")
            try expect(.monitor, [.success], "monitor after \(reload)", interval: monitorInterval)
        }
        try checkMigration()
        for action in Self.optionalActions where !session.advertises(action) {
            try expect(action, [.unimplemented], "\(action) is not advertised, so it must answer 3")
        }
    }

    /// notify with the meta-attributes of a post-start notification; it must answer 0.
    private mutating func checkNotify() throws(SuiteAbort) {
        let instance = options.instance
        let meta: [(name: String, value: String)] = [
            ("notify", "true"), ("notify_type", "post"), ("notify_operation", "start"),
            ("notify_start_resource", instance), ("notify_start_uname", nodeName),
            ("notify_active_resource", instance), ("notify_active_uname", nodeName),
            ("notify_stop_resource", ""), ("notify_stop_uname", ""),
            ("notify_inactive_resource", ""), ("notify_all_uname", nodeName),
        ]
        try expect(.notify, [.success], "notify (post-start) on a running resource", meta: meta)
    }

    /// promote and demote, both or neither (ocf-tester step 8), with monitors checking the role:
    /// 8 while promoted, 0 after a demote.
    private mutating func checkPromotable() throws(SuiteAbort) {
        guard advertisedTogether(.promote, .demote) else { return }
        let interval = monitorInterval
        try expect(.demote, [.success], "demote on a started (unpromoted) resource")
        try expect(.monitor, [.success], "monitor of an unpromoted resource", interval: interval)
        try expect(.promote, [.success], "promote", abortOnFailure: true)
        try expect(.monitor, [.runningPromoted], "monitor of a promoted resource", interval: interval)
        try expect(.promote, [.success], "promote again on a promoted resource")
        try expect(.monitor, [.runningPromoted], "monitor after promoting twice", interval: interval)
        try expect(.demote, [.success], "demote a promoted resource", abortOnFailure: true)
        try expect(.monitor, [.success], "monitor after demote", interval: interval)
        try expect(.demote, [.success], "demote again on a demoted resource")
        try expect(.monitor, [.success], "monitor after demoting twice", interval: interval)
    }

    /// migrate_to then migrate_from, both or neither, with this node as source and target; the
    /// resource must run after migrate_from.
    private mutating func checkMigration() throws(SuiteAbort) {
        guard advertisedTogether(.migrateTo, .migrateFrom) else { return }
        let meta: [(name: String, value: String)] = [("migrate_source", nodeName), ("migrate_target", nodeName)]
        try expect(.migrateTo, [.success], "migrate_to on a running resource", meta: meta)
        try expect(.migrateFrom, [.success], "migrate_from after migrate_to", meta: meta)
        try expect(
            .monitor, [.success], "monitor after migrate_from (the resource runs on the target)",
            interval: monitorInterval)
    }

    /// Whether a pair of actions that only work together (promote/demote, migrate_to/migrate_from)
    /// is advertised; one without the other is recorded as a failure, and neither is fine.
    private mutating func advertisedTogether(_ first: OCFAction, _ second: OCFAction) -> Bool {
        let hasFirst = session.advertises(first)
        let hasSecond = session.advertises(second)
        guard hasFirst != hasSecond else { return hasFirst }
        let has = hasFirst ? first : second
        let lacks = hasFirst ? second : first
        record(
            fail(
                has.rawValue, "only \(has)", "both", "\(first) and \(second) are advertised together",
                "\(lacks) is not advertised"))
        return false
    }
}
