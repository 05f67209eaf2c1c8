import Foundation
import Infra
import Interpreter
import Lang
import NASLib

/// Produce-or-load: trained predictors and search results are stored under a key made of the
/// builtin, its resolved arguments, the SHA-256 of the data files it names, the brpsh
/// version and the SHA-256 of the sources brpsh was built from (code that computes differently is another
/// key), so rerunning a script after editing its last line is instant. Each entry also lists
/// every file its computation read (recorded as it ran, `ReadRecorder`), with its SHA-256; the
/// entry is used only while all of them are unchanged. Entries are checked when read; a corrupt
/// or foreign one is ignored with a warning and recomputed.
///
/// The directory is `BRPSH_CACHE`, else `$XDG_CACHE_HOME/brpsh`, else `~/.cache/brpsh`.
public struct ResultCache {
    public let directory: String
    public static let version = "brpsh-cache-3"

    public init(directory: String) { self.directory = directory }

    /// The cache directory the environment names (`environment`: as the front end read it).
    public init(environment env: [String: String]) {
        if let d = env["BRPSH_CACHE"] {
            self.directory = d
        } else if let x = env["XDG_CACHE_HOME"] {
            self.directory = (x as NSString).appendingPathComponent("brpsh")
        } else {
            self.directory = (NSHomeDirectory() as NSString).appendingPathComponent(".cache/brpsh")
        }
    }

    /// The key of a call: SHA-256 over the builtin, its arguments as JSON, the data hashes, the version, the
    /// sources' SHA-256 and the numeric platform (`numerics`).
    public static func key(
        _ builtin: String, _ arguments: Value, dataHashes: [String], numerics: String = ResultCache.numerics
    ) -> String {
        var s = SHA256()
        s.update("\(version)\n\(brpshVersion)\n\(numerics)\n\(builtin)\n")
        s.update((try? JSON.encode(arguments)) ?? "?")
        for h in dataHashes { s.update("\n" + h) }
        return s.hexDigest()
    }

    static var brpshVersion: String { "\(Provenance.version) sources \(Provenance.sources)" }

    /// `BLAS.numerics`: a cache shared by different machines (a home directory on a cluster) must not hand one
    /// kernel's training to another machine, whose provenance would then name the wrong kernel.
    public static var numerics: String { BLAS.numerics }

    func path(_ key: String, _ ext: String) -> String {
        (directory as NSString).appendingPathComponent("\(key).\(ext)")
    }

    public func read(_ key: String, _ ext: String) -> Data? { FileManager.default.contents(atPath: path(key, ext)) }

    /// The file that marks a folder as a brpsh cache: `clear` empties only folders that have it.
    public static let marker = ".brpsh-cache"

    public func write(_ key: String, _ ext: String, _ data: Data) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let markerPath = (directory as NSString).appendingPathComponent(Self.marker)
        if !FileManager.default.fileExists(atPath: markerPath) {
            _ = FileManager.default.createFile(
                atPath: markerPath,
                contents: Data("brpsh result cache: entries are <sha256>.bin; brpsh removes only those\n".utf8))
        }
        // A cache that cannot be written is not an error: the result is computed again next time.
        try? DurableFile.write(data, to: path(key, ext))
    }

    public func remove(_ key: String, _ ext: String) { try? FileManager.default.removeItem(atPath: path(key, ext)) }

    /// Whether a file name is one brpsh's cache writes: `<64 hex digits>.bin`, or a temporary `<...>.bin.tmp-<pid>` (DurableFile's; `<...>.bin.tmp<pid>` from older versions).
    public static func isEntry(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count >= 68, u[0..<64].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return false
        }
        let rest = String(decoding: u[64...], as: UTF8.self)
        if rest == ".bin" { return true }
        guard rest.hasPrefix(".bin.tmp") else { return false }
        let pid = rest.dropFirst(rest.hasPrefix(".bin.tmp-") ? 9 : 8)
        return !pid.isEmpty && pid.allSatisfy(\.isNumber)
    }

    /// The cache's entries (regular files named as brpsh names them).
    func entries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
            var st = stat()
            let full = (directory as NSString).appendingPathComponent(name)
            return Self.isEntry(name) && lstat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        }
    }

    /// (entries, bytes).
    public func size() -> (Int, Int) {
        var bytes = 0
        let names = entries()
        for f in names {
            let attrs = try? FileManager.default.attributesOfItem(
                atPath: (directory as NSString).appendingPathComponent(f))
            bytes += (attrs?[.size] as? Int) ?? 0
        }
        return (names.count, bytes)
    }

    /// Removes the cache's entries and nothing else: only in a folder marked as a brpsh cache, only files named as
    /// brpsh names its entries. Returns how many were removed; an unmarked folder that holds anything but entries is
    /// an error (BRPSH_CACHE may name a folder with a user's own files).
    public func clear() throws -> Int {
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard !listing.isEmpty else { return 0 }
        let marked = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(Self.marker))
        guard marked || listing.allSatisfy(Self.isEntry) else {
            throw NASLibError(
                """
                \(directory) is not a brpsh cache (it has no \(Self.marker) file); nothing was removed. Point \
                BRPSH_CACHE at a folder of its own
                """)
        }
        var removed = 0
        for name in entries()
        where (try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))) != nil
        {
            removed += 1
        }
        return removed
    }
}

/// Builtin-side use of the cache.
enum Caching {
    /// The SHA-256 of data files, computed once per session.
    final class Hashes {
        var byPath: [String: String] = [:]
        static func of(_ i: Interpreter) -> Hashes { BuiltinsState.of(i).hashes }
    }

    static func hash(_ file: DataFile, _ c: BuiltinCall) throws -> String {
        if file.origin == Device.measuredOrigin { return file.path }  // a measured table: its values' hash
        let directory = try nas { try NASContext.of(c).benchmark().directory }
        let path = try nas { try directory.locate(file) }
        let h = Hashes.of(c.interpreter)
        if let v = h.byPath[path] { return v }
        // A file already read was hashed (and verified) then; only a file not read yet is hashed here.
        let v = try directory.recordedHash(path) ?? nas { try SHA256.file(path) }
        h.byPath[path] = v
        return v
    }

    /// All the call's arguments, resolved (defaults filled in, the seed made explicit).
    static func arguments(_ c: BuiltinCall, ignoring: Set<String> = []) throws -> Value {
        var pairs: [(String, Value)] = []
        for p in c.function.parameters where !ignoring.contains(p.name) {
            var v = c[p.name]
            if p.name == "seed", v.isNil { v = .int(try c.seed()) }
            guard let keyed = identity(v) else { return .nil }  // not cacheable
            pairs.append((p.name, keyed))
        }
        return .record(Record(pairs))
    }

    /// A value as it enters a cache key: objects by their full identity, inside lists and records too; nil when
    /// some part has no identity (a function, a builtin, an object without one), which makes the call uncacheable.
    static func identity(_ v: Value) -> Value? {
        switch v {
        case .object(let o):
            guard let id = o.cacheIdentity else { return nil }
            return .record(Record([("object", .string(o.typeName)), ("identity", id)]))
        case .function, .builtin:
            return nil
        case .list(let xs):
            var out: [Value] = []
            for x in xs {
                guard let y = identity(x) else { return nil }
                out.append(y)
            }
            return .list(out)
        case .record(let r):
            var out: [(String, Value)] = []
            for (k, x) in zip(r.keys, r.values) {
                guard let y = identity(x) else { return nil }
                out.append((k, y))
            }
            return .record(Record(out))
        default:
            return v
        }
    }

    /// Says a warning (stderr, or the cell's stderr stream) and records it for the run's provenance.json.
    static func warn(_ c: BuiltinCall, _ message: String) {
        RunContext.of(c.interpreter).logWarning(message)
        c.output.warn("warning: \(message)\n")
    }

    /// Runs `compute` or loads its result: `encode`/`decode` turn results into cache bytes.
    /// `ignoring`: parameters that cannot change the stored payload because `decode` applies them afresh (a
    /// search's `select` and `name`: the cached traces are its trained models, re-scored on decoding).
    static func cached<T>(
        _ c: BuiltinCall, files: [DataFile], ignoring: Set<String> = [], encode: (T) throws -> Data,
        decode: (Data) throws -> T, compute: () throws -> T
    ) throws -> T {
        let run = RunContext.of(c.interpreter)
        let args = try arguments(c)  // what provenance records: every argument
        let keyed = ignoring.isEmpty ? args : try arguments(c, ignoring: ignoring)
        guard run.useCache, !keyed.isNil else {
            run.logCall(c.function.name, args, cached: false)
            return try compute()
        }
        let key = ResultCache.key(c.function.name, keyed, dataHashes: try files.map { try hash($0, c) })
        let cache = ResultCache(environment: run.environment)
        let directory = try nas { try NASContext.of(c).benchmark().directory }
        // An entry: a header naming the format and the key, the files the computation read (JSON, path → SHA-256),
        // the payload's SHA-256, then the payload.
        let envelope = Data("BRPSHCACHE3\n\(key)\n".utf8)
        if let data = cache.read(key, "bin") {
            do {
                guard data.count > envelope.count, data.prefix(envelope.count) == envelope,
                    let filesEnd = data[envelope.count...].firstIndex(of: 0x0A)
                else { throw NASLibError("not an entry for this call") }
                guard let read = try? ExactJSON.object(with: data[envelope.count..<filesEnd]) as? [String: String]
                else { throw NASLibError("no list of the files it read") }
                let rest = data[(filesEnd + 1)...]
                guard rest.count >= 65 else { throw NASLibError("truncated") }
                let sum = String(decoding: rest.prefix(64), as: UTF8.self)
                let payload = rest.dropFirst(65)
                guard SHA256.hex(Array(payload)) == sum else { throw NASLibError("checksum mismatch") }
                if let changed = ReadRecorder.firstChanged(
                    read, hash: { directory.recordedHash($0) ?? (try? SHA256.file($0)) })
                {
                    throw Stale(path: changed)
                }
                let started = DispatchTime.now().uptimeNanoseconds
                let value = try decode(Data(payload))
                run.logCall(c.function.name, args, cached: true)
                if !run.quiet {
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                    c.output.warn(
                        String(format: "(%@ from cache, %.0f ms; %@)\n", c.function.name, ms, run.recomputeHint))
                }
                return value
            } catch let stale as Stale {
                if !run.quiet {
                    c.output.warn(
                        "(\(c.function.name): the cached result was computed from another \(stale.path); recomputing)\n"
                    )
                }
                cache.remove(key, "bin")
            } catch {
                warn(c, "ignoring a corrupt cache entry for \(c.function.name) (\(error)); recomputing")
                cache.remove(key, "bin")
            }
        }
        let value = try compute()
        let read = NASContext.of(c).reads.current()  // everything this call has read, its checks included
        if let data = try? encode(value),
            let list = try? JSONSerialization.data(
                withJSONObject: read, options: [.sortedKeys, .withoutEscapingSlashes])
        {
            cache.write(
                key, "bin", envelope + list + Data("\n".utf8) + Data((SHA256.hex(Array(data)) + "\n").utf8) + data)
        }
        run.logCall(c.function.name, args, cached: false)
        return value
    }

    /// A cache entry computed from a file that has changed since.
    struct Stale: Error { let path: String }
}
