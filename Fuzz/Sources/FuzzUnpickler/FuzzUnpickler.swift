import CFuzzerDriver
import Foundation
import NASLib

/// The safe unpickler on any bytes: a value or an error, never a trap, a hang or a global executed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnpickler(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    _ = try? SafeUnpickler.load(Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)), source: "fuzz")
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
