import Interpreter
import NASLib

/// The result of a search with real evaluations (`brp(evaluate:)`, `evolve(evaluate:)`, ...): its fields are the
/// record a script reads (`r.best`, `r.best_arch`, `r.history`, ...; `json(r)` and results.json hold that record),
/// and it displays as a summary: a DARTS genotype is long, so models are named by their number in the search
/// (`#17`) and only the best few are shown, each shortened to one line; `r.history` has every model in full.
final class DrivenSearchObject: HostObject {
    let record: Record
    let name: String

    init(_ record: Record, name: String) {
        self.record = record
        self.name = name
    }

    var typeName: String { "driven search" }
    var memberNames: [String] { record.keys }
    func member(_ name: String) throws -> Value? { record[name] }
    func memberDoc(_ name: String) -> String? { DrivenSearchObject.docs[name] }

    static let docs: [String: String] = [
        "best": "the best accuracy evaluated", "best_arch": "the model that got it, in full",
        "evaluated": "models evaluated (repeats and failures included)", "failed": "evaluations that failed for good",
        "from_journal": "results answered from the journal (a resumed search)",
        "repeats": "models proposed again, answered with their first result",
        "curve": "the best accuracy after each evaluated model",
        "history": "every evaluation in proposal order: id, arch, accuracy, status, seconds, attempts, metrics",
        "dir": "the search's journal directory",
    ]
    func plainValue() -> Value? { .record(record) }
    func inlineDisplay() -> String { "driven search(\(name))" }

    /// One row per evaluated model, as `r.history` has them.
    func csvRows() -> [Value]? {
        guard case .list(let rows)? = record["history"] else { return nil }
        return rows
    }

    func display() -> String {
        func int(_ k: String) -> Int { if case .int(let i)? = record[k] { return i } else { return 0 } }
        var head = "\(name): \(int("evaluated")) models evaluated"
        if int("failed") > 0 { head += ", \(int("failed")) failed" }
        if int("repeats") > 0 { head += ", \(int("repeats")) repeats" }
        if int("from_journal") > 0 { head += ", \(int("from_journal")) from the journal" }
        guard case .list(let history)? = record["history"] else { return head }
        let ranked = history.compactMap { v -> (id: Int, accuracy: Double, row: Record)? in
            guard case .record(let r) = v, case .int(let id)? = r["id"], let a = r["accuracy"]?.asDouble else {
                return nil
            }
            return (id, a, r)
        }.sorted { $0.accuracy > $1.accuracy || ($0.accuracy == $1.accuracy && $0.id < $1.id) }
        guard let best = ranked.first else { return head + "; none succeeded" }
        head += String(format: "; best %.2f (model #%d)", best.accuracy, best.id)
        let rows = ranked.prefix(5).map { m -> Value in
            var arch = m.row["arch"].map { Format.str($0) } ?? ""
            if arch.count > 72 { arch = String(arch.prefix(71)) + "…" }
            return .record(
                Record([("model", .string("#\(m.id)")), ("accuracy", .number(m.accuracy)), ("arch", .string(arch))]))
        }
        let table = Table(records: rows)?.render() ?? ""
        let more =
            ranked.count > 5
            ? "\n(the best 5 of \(ranked.count); r.history has every model, r.best_arch the best in full)" : ""
        return head + "\n" + table + more
    }
}
