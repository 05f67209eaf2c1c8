import CFuzzerDriver
import Foundation
import Lang

/// The lexer and parser on any bytes: they must report errors, never trap, hang or overflow the stack; every
/// diagnostic must render.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    let file = SourceFile(name: "fuzz", text: text)
    let result = Parser.parse(file, commandNames: ["load"])
    for d in result.diagnostics { _ = DiagnosticRenderer().render(d) }
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
