// The multi-call agent binary. No Foundation and no ArgumentParser: every OCF action is a fresh
// process, so start-up cost matters.
#if canImport(Glibc)
import Glibc
#endif
import Agents
import OCF

exit(MultiCall.main(arguments: CommandLine.arguments, environment: ProcessEnvironment.current()))
