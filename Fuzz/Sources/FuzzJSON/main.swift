import CFuzzerDriver
import Foundation
import Infra

/// brpsh's JSON reader (journals, caches, results files, device runner replies) on any bytes: a value or an error,
/// never a trap; a value it reads, written back by Foundation and read again, gives the same numbers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let v = try? ExactJSON.object(with: bytes) else { return 0 }
    if let list = v as? [Any], JSONSerialization.isValidJSONObject(list),
        let again = try? JSONSerialization.data(withJSONObject: list),
        let back = try? ExactJSON.object(with: again) as? [Any]
    {
        for (x, y) in zip(list, back) {
            if let a = x as? NSNumber, let b = y as? NSNumber, !JSONNumber.isBoolean(a) {
                precondition(a.doubleValue == b.doubleValue || (a.doubleValue.isNaN && b.doubleValue.isNaN))
            }
        }
    }
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
