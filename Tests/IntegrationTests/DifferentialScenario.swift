import Testing

/// A scenario of a differential test: our agent and the stock one on the same set-up.
protocol DifferentialScenario: CustomStringConvertible {
    /// What a start led to.
    associatedtype Outcome: Equatable & CustomStringConvertible
    /// What our agent must do.
    var ours: Outcome { get }
    /// What the stock agent does, when deliberately different, and why.
    var stockDiffers: (outcome: Outcome, reason: String)? { get }
}

extension DifferentialScenario {
    /// Runs our agent and the stock one through `outcome` and checks the verdict: ours does what
    /// the scenario says, and the stock agent the same, unless the scenario declares how and why
    /// it differs, and then it must really differ.
    func expectAgreement(
        ours agent: String, stock: String, _ outcome: (String, Self) throws -> Outcome,
        sourceLocation: SourceLocation = #_sourceLocation
    ) rethrows {
        let oursSeen = try outcome(agent, self)
        let stockSeen = try outcome(stock, self)
        #expect(oursSeen == ours, "ours: \(oursSeen)", sourceLocation: sourceLocation)
        if let difference = stockDiffers {
            #expect(
                stockSeen == difference.outcome, "stock: \(stockSeen) (\(difference.reason))",
                sourceLocation: sourceLocation)
            #expect(
                oursSeen != stockSeen, "declared as different but the same: \(difference.reason)",
                sourceLocation: sourceLocation)
        } else {
            #expect(stockSeen == oursSeen, "stock: \(stockSeen), ours: \(oursSeen)", sourceLocation: sourceLocation)
        }
    }
}
