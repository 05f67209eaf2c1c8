import Foundation
import Infra

/// A search on disk (`DIR/journal.jsonl`): a header line with everything that determines the search (space, budgets,
/// seed, predictor settings, evaluator), then one line per event, appended and synced before brpsh goes on:
/// `{"event": "proposed", "models": [...]}` when the search proposes a batch, `{"event": "result", "model": ...,
/// "accuracy": ..., "metrics": {...}, "seconds": ..., "attempts": ...}` when an evaluation finishes and
/// `{"event": "failed", "model": ..., "error": ...}` when one has failed for good.
///
/// Reopening with the same header resumes: the search replays from its seed, every model with a recorded result is
/// answered from the journal instead of being evaluated again, and every replayed proposal must equal the recorded
/// one (otherwise the journal belongs to another search and is refused). A line cut short by a crash is dropped.
///
/// The header also records `numerics` (OpenBLAS's build and kernel, `BLAS.numerics`), which is not part of the
/// search's identity: a search whose proposals do not depend on BLAS (evolution, random search) resumes on any
/// machine, while a BRP-NAS search, whose predictor trains differently on another kernel, is stopped at the first
/// proposal that differs with an error naming both kernels.
// Sendable, unchecked: outcomes and appends go through `lock` (evaluations finish on several threads).
public final class SearchJournal: @unchecked Sendable {
    public struct Outcome: Equatable, Sendable {
        public var accuracy: Double?
        public var metrics: [String: Double] = [:]
        public var error: String?
        public var seconds: Double = 0
        public var attempts: Int = 1
        public init(
            accuracy: Double?, metrics: [String: Double] = [:], error: String? = nil, seconds: Double = 0,
            attempts: Int = 1
        ) {
            self.accuracy = accuracy
            self.metrics = metrics
            self.error = error
            self.seconds = seconds
            self.attempts = attempts
        }
    }

    public static let format = "brpsh-search-1"
    public let directory: String
    public var path: String { (directory as NSString).appendingPathComponent("journal.jsonl") }
    /// Recorded outcomes by model key.
    public private(set) var outcomes: [String: Outcome] = [:]
    /// Recorded proposals, in order.
    public private(set) var proposals: [String] = []
    /// How many proposals the replay has checked so far.
    private var replayed = 0
    /// `BLAS.numerics` of the run that started the journal (nil for journals written before it was recorded).
    public private(set) var recordedNumerics: String?
    private let file: JSONLinesFile
    /// Held while the journal is open: another process on the same directory is refused.
    private let dirLock: FileLock
    private let lock = NSLock()

    public init(directory: String, header: [String: Any]) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw NASLibError("\(directory): cannot create the search directory (\(error.localizedDescription))")
        }
        let path = (directory as NSString).appendingPathComponent("journal.jsonl")
        guard let held = try FileLock.forProcess(directory: directory) else {
            throw NASLibError(
                "\(directory) is in use by another brpsh process running this search; wait for it to end (or use another dir:)"
            )
        }
        dirLock = held
        var wanted = header
        wanted["format"] = Self.format
        wanted["numerics"] = BLAS.numerics
        let identity = { (h: [String: Any]) in
            try JSONSerialization.data(withJSONObject: h.filter { $0.key != "numerics" }, options: [.sortedKeys])
        }
        var recorded: String?? = nil
        var proposals: [String] = []
        var outcomes: [String: Outcome] = [:]
        file = try JSONLinesFile(
            path: path, what: "search journal", format: Self.format, header: wanted,
            accept: { h in
                recorded = .some(h["numerics"] as? String)
                guard try identity(h) == identity(wanted) else {
                    let differs = wanted.keys.filter { $0 != "numerics" }.filter { k in
                        (try? JSONSerialization.data(withJSONObject: [wanted[k]!], options: [.sortedKeys]))
                            != h[k].flatMap {
                                try? JSONSerialization.data(withJSONObject: [$0], options: [.sortedKeys])
                            }
                    }.sorted()
                    throw NASLibError(
                        "\(path) holds another search (it differs in \(differs.joined(separator: ", "))); use another dir: or the same settings"
                    )
                }
            },
            read: { _, line in try Self.record(line, &proposals, &outcomes) })
        self.proposals = proposals
        self.outcomes = outcomes
        recordedNumerics = recorded ?? BLAS.numerics
    }

    private static func record(_ line: Data, _ proposals: inout [String], _ outcomes: inout [String: Outcome]) throws {
        guard let o = try? ExactJSON.object(with: line) as? [String: Any], let event = o["event"] as? String else {
            throw NASLibError("not a journal event")
        }
        switch event {
        case "proposed":
            guard let models = o["models"] as? [String] else { throw NASLibError("a proposal without models") }
            proposals += models
        case "result", "failed":
            guard let model = o["model"] as? String else { throw NASLibError("a \(event) without its model") }
            var out = Outcome(accuracy: nil)
            if event == "result" {
                guard let a = JSONNumber.of(o["accuracy"]), a.isFinite else {
                    throw NASLibError("a result without a finite accuracy")
                }
                out.accuracy = a
            }
            out.error = o["error"] as? String
            out.metrics = (o["metrics"] as? [String: Any] ?? [:]).compactMapValues { JSONNumber.of($0) }
            out.seconds = (o["seconds"] as? NSNumber)?.doubleValue ?? 0
            out.attempts = (o["attempts"] as? NSNumber)?.intValue ?? 1
            outcomes[model] = out
        default:
            throw NASLibError("unknown event \"\(event)\"")
        }
    }

    /// JSON written by hand so every number keeps all its digits (Double's description reads back to the same bits).
    static func encode(_ v: Any) -> String {
        switch v {
        case let d as Double: return d.isFinite ? "\(d)" : "null"
        case let i as Int: return "\(i)"
        case let s as String:
            let quoted =
                (try? JSONSerialization.data(withJSONObject: [s])).flatMap { String(data: $0, encoding: .utf8) }
                ?? "[\"?\"]"
            return String(quoted.dropFirst().dropLast())
        case let xs as [Any]: return "[" + xs.map(encode).joined(separator: ",") + "]"
        case let o as [String: Any]:
            return "{" + o.keys.sorted().map { encode($0) + ":" + encode(o[$0]!) }.joined(separator: ",") + "}"
        default: return "null"
        }
    }

    private func append(_ o: [String: Any]) throws { try file.append(Self.encode(o)) }

    /// A batch the search proposed: checked against the recorded proposals while replaying, recorded after them.
    public func proposed(_ models: [String]) throws {
        lock.lock()
        defer { lock.unlock() }
        var fresh: [String] = []
        for m in models {
            if replayed < proposals.count {
                guard proposals[replayed] == m else {
                    let found =
                        "\(path): the search now proposes \(m) as model \(replayed + 1), the journal recorded \(proposals[replayed])"
                    if let recorded = recordedNumerics, recorded != BLAS.numerics {
                        throw NASLibError(
                            """
                            \(found): the journal was written with the GEMM \(recorded), this run uses \(BLAS.numerics), \
                            and the search's predictor trains differently on another GEMM kernel (docs/predictors.md, \
                            "Determinism"); resume it with the first one (BRPSH_GEMM, or a machine of the first kind), or \
                            start it again in another dir:
                            """)
                    }
                    throw NASLibError("\(found); it was written by another version of the search. Use another dir:")
                }
            } else {
                fresh.append(m)
            }
            replayed += 1
        }
        if !fresh.isEmpty {
            try append(["event": "proposed", "models": fresh])
            proposals += fresh
        }
    }

    /// An evaluation's outcome (thread-safe: evaluations finish concurrently).
    public func finished(_ model: String, _ out: Outcome) throws {
        lock.lock()
        defer { lock.unlock() }
        var o: [String: Any] = [
            "event": out.accuracy == nil ? "failed" : "result", "model": model, "seconds": out.seconds,
            "attempts": out.attempts,
        ]
        if let a = out.accuracy { o["accuracy"] = a }
        if !out.metrics.isEmpty { o["metrics"] = out.metrics }
        if let e = out.error { o["error"] = e }
        try append(o)
        outcomes[model] = out
    }

    public func outcome(_ model: String) -> Outcome? {
        lock.lock()
        defer { lock.unlock() }
        return outcomes[model]
    }
}
