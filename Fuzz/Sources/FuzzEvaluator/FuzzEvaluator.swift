import CFuzzerDriver
import Foundation
import NASLib

/// The evaluator output parser (docs/search.md, "Evaluators") on any bytes: a result or a failure, never a trap;
/// a result's accuracy and metrics are finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    if case .success(let r) = EvaluationCommand.result(stdout: bytes) {
        precondition(r.accuracy.isFinite && r.metrics.values.allSatisfy(\.isFinite))
    }
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
