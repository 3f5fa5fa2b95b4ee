extension NetlinkSocket {
    /// The IPv4 routes of one routing table (the main table by default), or of all tables with `.all`.
    public func routes(table: RouteTable = .main) throws -> [Route] {
        let routes = try dump(.dumpRoutes(), "listing IPv4 routes").compactMap(Route.init)
        return table == .all ? routes : routes.filter { $0.table == table }
    }
}
