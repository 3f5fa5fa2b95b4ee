// What other agents say about themselves, as ocf-run and ocf-conformance read it: meta-data XML
// (AgentMetadata: the XML parser, entities, the required elements, action timeouts and
// intervals as durations) and an LSB init script's `### BEGIN INIT INFO` block
// (SynthesizedMetadata.initInfo), both on the same bytes.
import OCF
import Runner

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = SynthesizedMetadata.initInfo(text)
    guard let metadata = try? AgentMetadata(xml: text) else { return 0 }
    precondition(!metadata.name.isEmpty, "meta-data without a name")
    for action in metadata.actions {
        _ = metadata.advertises(action.name)
        precondition((action.timeoutMilliseconds ?? 0) >= 0 && (action.intervalMilliseconds ?? 0) >= 0, "a negative duration")
    }
    _ = metadata.timeoutMilliseconds(for: "start")
    return 0
}
