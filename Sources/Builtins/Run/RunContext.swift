import Foundation
import Interpreter
import NASLib

/// How a run was asked for (`--out`, `--no-cache`, `--quiet`, `--set`, the environment), and what it did: the
/// builtin calls it made (with their resolved arguments) and the files it wrote. Made once from the session's
/// settings; only the cache switch changes later (`:cache off` / `:cache on`).
public final class RunContext {
    /// Where outputs go: relative `save` paths resolve here (`--out DIR`).
    public let outDir: String?
    public var useCache: Bool
    /// How this front end turns the cache off, for the "(from cache)" note: `--no-cache` for a script, `:cache off`
    /// in the REPL and notebooks.
    public let recomputeHint: String
    public let quiet: Bool
    public let overrides: [(String, String)]
    public let initialSeed: Int
    /// The process environment as the front end read it.
    public let environment: [String: String]

    init(_ settings: SessionSettings) {
        outDir = settings.outDir
        useCache = settings.useCache
        recomputeHint = settings.recomputeHint
        quiet = settings.quiet
        overrides = settings.overrides
        initialSeed = settings.seed
        environment = settings.environment
    }
    /// Long builtins called, with their resolved arguments and whether they came from the cache.
    public private(set) var calls: [(name: String, arguments: Value, cached: Bool)] = []

    public static func of(_ i: Interpreter) -> RunContext { BuiltinsState.of(i).run }

    func logCall(_ name: String, _ args: Value, cached: Bool) { calls.append((name, args, cached)) }

    /// The warnings said so far (a failed training, an unconverged one, the script's own `warn`), for provenance.json.
    public private(set) var warnings: [String] = []

    func logWarning(_ message: String) { warnings.append(message) }

    /// The files a run with `--out` writes itself at the bundle's root; a script may not save over them.
    public static let bundleFiles: Set<String> = ["provenance.json", "transcript.txt", "results.json"]

    /// A path the script gave to `save`, resolved against the output directory. With `--out`, the path must stay
    /// inside the bundle (no absolute path, no `..` out of it) and must not name one of the bundle's own files.
    func resolve(_ path: String) throws -> String {
        guard !path.utf8.contains(0) else {
            throw BuiltinError(
                "a file name cannot contain a NUL character (\(Format.repr(.string(path))))", argument: "file")
        }
        guard let dir = outDir else { return path }
        guard !(path as NSString).isAbsolutePath else {
            throw BuiltinError(
                "'\(path)' is outside the --out bundle \(dir): save into it with a relative path", argument: "file")
        }
        var parts: [String] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else {
                    throw BuiltinError(
                        "'\(path)' leads out of the --out bundle \(dir): save into it with a relative path",
                        argument: "file")
                }
                parts.removeLast()
            default: parts.append(String(component))
            }
        }
        guard !parts.isEmpty else { throw BuiltinError("'\(path)' names no file", argument: "file") }
        if parts.count == 1, RunContext.bundleFiles.contains(parts[0]) {
            throw BuiltinError(
                "'\(path)' is one of the files brpsh writes into the --out bundle (\(RunContext.bundleFiles.sorted().joined(separator: ", "))); give it another name",
                argument: "file")
        }
        // Lexically inside is not enough: a symbolic link planted in the bundle would lead out of it.
        var walked = dir
        for part in parts {
            walked = (walked as NSString).appendingPathComponent(part)
            var st = stat()
            if lstat(walked, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
                throw BuiltinError(
                    """
                    '\(path)' goes through the symbolic link \(walked) inside the --out bundle; brpsh writes only plain \
                    files and folders there
                    """, argument: "file")
            }
        }
        return (dir as NSString).appendingPathComponent(parts.joined(separator: "/"))
    }
}
