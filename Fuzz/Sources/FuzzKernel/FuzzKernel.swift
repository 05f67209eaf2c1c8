import CFuzzerDriver
import Foundation
import Kernel

/// The kernel's message decoding on any frames: the input is split into frames at each 0xFF byte; the first
/// input byte picks an unsigned or a signed session. Every input must decode or be refused, never trap.
let signed = KernelMessage.Signer(key: "fuzz-key")
let unsigned = KernelMessage.Signer(key: "")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKernel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0, let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let frames = bytes.dropFirst().split(separator: 0xFF, omittingEmptySubsequences: false).map { Data($0) }
    let signer = bytes[0] & 1 == 0 ? unsigned : signed
    if let m = try? KernelMessage.decode(frames, signer) {
        _ = m.type
        _ = try? m.encode(signer)
    }
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
