import OCF
import Testing

@Suite struct ExitCodeTests {
    @Test(arguments: [
        (0, "OCF_SUCCESS"), (1, "OCF_ERR_GENERIC"), (2, "OCF_ERR_ARGS"), (3, "OCF_ERR_UNIMPLEMENTED"),
        (4, "OCF_ERR_PERM"), (5, "OCF_ERR_INSTALLED"), (6, "OCF_ERR_CONFIGURED"), (7, "OCF_NOT_RUNNING"),
        (8, "OCF_RUNNING_PROMOTED"), (9, "OCF_FAILED_PROMOTED"), (190, "OCF_DEGRADED"), (191, "OCF_DEGRADED_PROMOTED"),
    ])
    func namesMatchTheStandard(code: Int32, name: String) {
        #expect(OCFExitCode(rawValue: code).ocfName == name)
        #expect(OCFExitCode.standard.contains(OCFExitCode(rawValue: code)))
    }

    @Test func customCodesHaveNoStandardName() {
        #expect(OCFExitCode(rawValue: 42).ocfName == nil)
        #expect(OCFExitCode(rawValue: 42).description == "UNKNOWN(42)")
        #expect(OCFExitCode.standard.count == 12)
    }

    @Test func validCodesPerAction() {
        #expect(OCFAction.monitor.validExitCodes.contains(.notRunning))
        #expect(!OCFAction.stop.validExitCodes.contains(.notRunning), "stop must never return 7")
        #expect(!OCFAction.start.validExitCodes.contains(.notRunning))
        #expect(OCFAction.metaData.validExitCodes == [.success])
        #expect(!OCFAction.validateAll.validExitCodes.contains(.genericError))
        #expect(OCFAction.monitor.validExitCodes.contains(.degradedPromoted))
    }
}
