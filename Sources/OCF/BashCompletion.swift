/// A bash completion script, rendered from a tool's declarations: its subcommands, each one's
/// options, flags and positional arguments, and what their values can be. heartbeat-lite,
/// cl_status, hb_standby and hb_takeover describe themselves with this (their parsers are
/// hand-made); ocf-run and ocf-conformance get theirs from swift-argument-parser.
///
/// The script needs bash alone (not the bash-completion package's helpers), so that sourcing it
/// in a plain `bash` and calling its function shows what a user would get.
public struct BashCompletion: Sendable {
    /// What a value can be.
    public enum Values: Sendable, Equatable {
        /// Nothing to offer (a number, a name only the user knows).
        case none
        /// A directory.
        case directories
        /// A file (or a directory on the way to one).
        case files
        /// One of these words.
        case words([String])
        /// The lines a shell command prints, run when completing. The command may use `$program`
        /// (the command word being completed) and `${operands[N]}` (the positional arguments
        /// already given); its standard error is discarded.
        case command(String)
    }

    /// An option or flag: `--config-dir` with `.directories`, or `-m` with nil (takes no value).
    public struct Option: Sendable {
        public var name: String
        public var values: Values?

        public init(_ name: String, values: Values?) {
            self.name = name
            self.values = values
        }
    }

    /// A command's words: its options and flags, then its positional arguments in order.
    public struct Command: Sendable {
        public var name: String
        public var options: [Option]
        public var positionals: [Values]

        public init(name: String, options: [Option], positionals: [Values] = []) {
            self.name = name
            self.options = options
            self.positionals = positionals
        }
    }

    /// The command word the script completes (`complete -F … program`).
    public var program: String
    /// The program's own options, and its positional arguments when it has no subcommands.
    public var root: Command
    /// Subcommands, chosen by the first word; empty for a tool without them.
    public var subcommands: [Command]

    public init(program: String, root: Command, subcommands: [Command] = []) {
        self.program = program
        self.root = root
        self.subcommands = subcommands
    }

    /// The script: one function, registered for `program`. `generator` says in its first line
    /// which command wrote it.
    public func script(generator: String) -> String {
        let function = "_" + String(program.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let values = function + "_values"
        var text = """
            # bash completion for \(program), generated from its declarations by `\(generator)`.
            # shellcheck shell=bash

            \(values)() {
                case $1 in

            """
        let commands = subcommands.isEmpty ? [root] : subcommands
        for command in commands {
            for option in command.options {
                guard let kind = option.values, let reply = Self.reply(kind) else { continue }
                text += "        \(Self.quoted("\(command.name) \(option.name)"))) \(reply) ;;\n"
            }
            for (index, kind) in command.positionals.enumerated() {
                guard let reply = Self.reply(kind) else { continue }
                text += "        \(Self.quoted("\(command.name) #\(index)"))) \(reply) ;;\n"
            }
        }
        text += """
                esac
                return 0
            }

            \(function)() {
                local program=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} first=1 command= options= flags=
                local previous= option= word i
                local -a operands=()
                COMPREPLY=()

            """
        if subcommands.isEmpty {
            text += Self.caseBody(for: root, indent: "    ")
        } else {
            let names = subcommands.map(\.name) + root.options.map(\.name)
            text += """
                    if (( COMP_CWORD == 1 )); then
                        COMPREPLY=($(compgen -W \(Self.quoted(names.joined(separator: " "))) -- "$cur"))
                        return 0
                    fi
                    command=${COMP_WORDS[1]} first=2
                    case $command in

                """
            for command in subcommands {
                text += "        \(Self.quoted(command.name)))\n" + Self.caseBody(for: command, indent: "            ")
                text += "            ;;\n"
            }
            text += "        *) return 0 ;;\n    esac\n"
        }
        text += """
                # The option whose value this word is: `--name VALUE`, or `--name=VALUE`, which bash
                # splits into `--name`, `=` and `VALUE`.
                (( COMP_CWORD > first )) && previous=${COMP_WORDS[COMP_CWORD-1]}
                if [[ $cur == = ]]; then
                    option=$previous cur=
                elif [[ $previous == = ]] && (( COMP_CWORD - 2 >= first )); then
                    option=${COMP_WORDS[COMP_CWORD-2]}
                elif [[ -n $previous && " $options " == *" $previous "* ]]; then
                    option=$previous
                fi
                if [[ -n $option ]]; then
                    [[ " $options " == *" $option "* ]] && \(values) "$command $option"
                    return 0
                fi
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$options $flags" -- "$cur"))
                    return 0
                fi
                # The positional arguments before this word: neither options nor their values.
                for (( i = first; i < COMP_CWORD; i++ )); do
                    word=${COMP_WORDS[i]}
                    if [[ $word == = ]]; then
                        (( i++ ))
                    elif [[ " $options " == *" $word "* ]]; then
                        [[ ${COMP_WORDS[i+1]} == = ]] || (( i++ ))
                    elif [[ $word != -* ]]; then
                        operands+=("$word")
                    fi
                done
                \(values) "$command #${#operands[@]}"
                return 0
            }

            complete -F \(function) \(program)

            """
        return text
    }

    /// The assignments of `options` and `flags` for `command`.
    private static func caseBody(for command: Command, indent: String) -> String {
        let options = command.options.filter { $0.values != nil }.map(\.name).joined(separator: " ")
        let flags = command.options.filter { $0.values == nil }.map(\.name).joined(separator: " ")
        return "\(indent)options=\(quoted(options)) flags=\(quoted(flags))\n"
    }

    /// The shell statement that fills COMPREPLY with `values`; nil for `.none`.
    private static func reply(_ values: Values) -> String? {
        switch values {
        case .none: nil
        case .directories: "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))"
        case .files: "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))"
        case .words(let words): "COMPREPLY=($(compgen -W \(quoted(words.joined(separator: " "))) -- \"$cur\"))"
        case .command(let command): "COMPREPLY=($(compgen -W \"$(\(command) 2>/dev/null)\" -- \"$cur\"))"
        }
    }

    /// `text` as one single-quoted shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
