import OCF

extension HeartbeatCommands {
    /// The bash completion of `cl_status`, `hb_standby` or `hb_takeover` (nil for another name),
    /// from the same declarations as their help: cl_status's subcommands with their option letters
    /// and operands (node and link names are asked of the running daemon, through cl_status
    /// itself), and the resource sets of hb_standby and hb_takeover.
    public static func bashCompletion(for name: String) -> BashCompletion? {
        switch name {
        case "cl_status":
            let commands = clStatusSubcommands.map { command in
                BashCompletion.Command(
                    name: command.name, options: command.options.map { BashCompletion.Option("-\($0)", values: nil) },
                    positionals: command.operands.split(separator: " ").map { operand -> BashCompletion.Values in
                        switch operand {
                        case "<node-name>": .command("\"$program\" listnodes")
                        case "<link-name>": .command("\"$program\" listhblinks \"${operands[0]}\"")
                        default: .none
                        }
                    })
            }
            return BashCompletion(program: name, root: .init(name: "", options: [.init("-h", values: nil)]), subcommands: commands)
        case "hb_standby", "hb_takeover":
            return BashCompletion(program: name, root: .init(name: "", options: [], positionals: [.words(handoverSets)]))
        default:
            return nil
        }
    }
}
