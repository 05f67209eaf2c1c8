/// Everything a session starts with, given once by the front end that makes it (`brpsh`, the REPL, the kernel, a
/// test): the seed, where outputs go, the cache, quietness, the `--set` overrides, and the process environment,
/// read once by the front end and never again below it.
public struct SessionSettings {
    /// The session seed (`--seed`); `seed(n)` in a script changes it later.
    public var seed = 1
    /// Where outputs go: relative `save` paths resolve here (`--out DIR`).
    public var outDir: String?
    public var useCache = true
    /// How this front end turns the cache off, for the "(from cache)" note.
    public var recomputeHint = "--no-cache recomputes"
    public var quiet = false
    /// `--set NAME=VALUE`, in the order given (for provenance).
    public var overrides: [(String, String)] = []
    /// The environment variables the builtins read: `BRPSH_DATA` (the data directory), `BRPSH_CACHE` and
    /// `XDG_CACHE_HOME` (the result cache), `BRPSH_PROGRESS_SECONDS` (progress lines off a terminal).
    public var environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }
}
