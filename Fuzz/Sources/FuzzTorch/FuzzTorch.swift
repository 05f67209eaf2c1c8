import CFuzzerDriver
import Foundation
import NASLib

/// The bounded `.pt` (stored zip) reader on any bytes: every size is checked before use, every CRC compared.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTorch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    _ = try? TorchArchive.load(
        bytes: Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)), source: "fuzz.pt")
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
