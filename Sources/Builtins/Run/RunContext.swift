import Foundation
import Interpreter
import NASLib

/// How a run was asked for (`--out`, `--no-cache`, `--quiet`, `--set`), and what it did: the
/// builtin calls it made (with their resolved arguments) and the files it wrote.
public final class RunContext {
    /// Where outputs go: relative `save` paths resolve here (`--out DIR`).
    public var outDir: String?
    public var useCache = true
    public var quiet = false
    public var overrides: [(String, String)] = []
    public var initialSeed = 1
    /// Long builtins called, with their resolved arguments and whether they came from the cache.
    public private(set) var calls: [(name: String, arguments: Value, cached: Bool)] = []

    static let key = "run"

    public static func of(_ i: Interpreter) -> RunContext {
        if let c = i.extensions[key] as? RunContext { return c }
        let c = RunContext()
        c.initialSeed = i.seed
        i.extensions[key] = c
        return c
    }

    func logCall(_ name: String, _ args: Value, cached: Bool) { calls.append((name, args, cached)) }

    /// A path the script gave, resolved against the output directory.
    func resolve(_ path: String) -> String {
        guard let dir = outDir, !(path as NSString).isAbsolutePath else { return path }
        return (dir as NSString).appendingPathComponent(path)
    }
}
