import CFuzzerDriver
import Foundation
import NASLib

/// The text forms of declared spaces (docs/formats.md, "Declared spaces") on any bytes, for one space of each kind:
/// a model or an error, never a trap; a parsed model prints as a text that parses back to the same model.
let spaces = [
    try! DeclaredSpace(edges: 4, ops: ["none", "skip_connect", "conv_3x3", "avg_pool_3x3"]),
    try! DeclaredSpace(nodes: 6, maxEdges: 8, ops: ["conv3x3", "conv1x1", "maxpool"]),
    try! DeclaredSpace(
        inputs: 3, inputs: 2, cellInputs: 2, ops: ["sep_conv_3x3", "skip_connect"], cells: ["normal", "reduce"]),
    try! DeclaredSpace(choices: [("width", ["16", "24"]), ("kernel", ["3", "5", "7"])], blocks: 3),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpaces(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    for s in spaces {
        guard let a = try? s.parse(text) else { continue }
        let printed = s.text(a)
        guard let b = try? s.parse(printed) else { preconditionFailure("\(printed) does not parse back") }
        precondition(a == b && s.text(b) == printed, "\(printed) parses to another model")
        _ = a.cellGraph
    }
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
