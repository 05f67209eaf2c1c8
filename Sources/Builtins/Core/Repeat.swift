import Interpreter
import Lang

extension CoreBuiltins {
    static func repetition() -> [BuiltinFunction] { [repeatBuiltin, summarize] }

    static let repeatBuiltin = BuiltinFunction(
        "repeat",
        [
            BuiltinParameter("n", .int, "how many runs"),
            BuiltinParameter("seed", .optional(.int), default: .nil, "first seed (default: session seed)"),
            BuiltinParameter("f", .function, "called with seeds seed, seed+1, ..."),
        ],
        doc:
            "Runs f(seed + i) for i in 0..<n: repeat(10, seed: 1) { s -> gcn(device: \"d-cpu\", seed: s) }; shows mean ± std of every metric.",
        category: "Experiments"
    ) { c in
        let n = try c.int("n", min: 1, max: 1_000_000)
        let first = try c.seed()
        var results: [Value] = []
        for i in 0..<n {
            try c.checkCancelled()
            results.append(try c.call(c["f"], [.int(first + i)]))
        }
        return .object(RunsObject(results, seeds: (0..<n).map { first + $0 }))
    }

    static let summarize = BuiltinFunction(
        "summary", [BuiltinParameter("xs", .any, "a list of records, predictors or runs")],
        doc: "Mean, std (n−1), min and max of every numeric field over a list of results.", category: "Experiments"
    ) { c in
        let xs: [Value]
        switch c["xs"] {
        case .object(let r as RunsObject): xs = r.results
        default: xs = try elements(c, "xs")
        }
        return .object(TableObjectLike.make(RunsObject.summaryRows(xs)))
    }
}

/// The results of `repeat`: displayed as mean ± std of their numeric fields.
final class RunsObject: HostObject, MemberTable {
    let results: [Value]
    let seeds: [Int]
    init(_ results: [Value], seeds: [Int]) {
        self.results = results
        self.seeds = seeds
    }

    var typeName: String { "runs" }

    static let members: [Member<RunsObject>] = [
        Member("results", "each run's value, in seed order") { o in .list(o.results) },
        Member("seeds", "the seeds the runs used") { o in .list(o.seeds.map(Value.int)) },
        Member("summary", "mean, std, min and max of every number the runs returned") { o in
            .list(RunsObject.summaryRows(o.results))
        },
        Member("mean", "the mean over runs of the value (or of each field)") { o in o.summaryColumn("mean") },
        Member("std", "the standard deviation over runs (n − 1)") { o in o.summaryColumn("std") },
    ]

    /// One statistic (`mean`, `std`) of every number the runs returned, as a record by metric.
    func summaryColumn(_ statistic: String) -> Value {
        .record(
            Record(
                RunsObject.summaryRows(results).compactMap { row in
                    guard case .record(let r) = row, case .string(let k)? = r["metric"], let v = r[statistic] else {
                        return nil
                    }
                    return (k, v)
                }))
    }

    /// The numeric fields of a result: a record's, or an object's `test` record, or its plain value.
    static func fields(_ v: Value) -> [(String, Value)] {
        switch v {
        case .record(let r): return r.pairs.filter { isNumeric($0.1) }
        case .object(let o):
            if let t = (try? o.member("test")) ?? nil, case .record(let r) = t {
                return r.pairs.filter { isNumeric($0.1) }
            }
            if let p = o.plainValue(), case .record(let r) = p { return r.pairs.filter { isNumeric($0.1) } }
            return []
        case .int, .number, .quantity: return [("value", v)]
        default: return []
        }
    }

    static func isNumeric(_ v: Value) -> Bool {
        switch v {
        case .int, .number, .quantity: return true
        default: return false
        }
    }

    static func summaryRows(_ results: [Value]) -> [Value] {
        var order: [String] = []
        var columns: [String: [Value]] = [:]
        for r in results {
            for (k, v) in fields(r) {
                if columns[k] == nil { order.append(k) }
                columns[k, default: []].append(v)
            }
        }
        return order.map { k in
            let vs = columns[k]!
            let unit: PhysicalUnit? = vs.compactMap {
                if case .quantity(let q) = $0 { return q.unit } else { return nil }
            }.first
            let xs = vs.map { v -> Double in
                if case .quantity(let q) = v, let u = unit { return q.unit.convert(q.value, to: u) }
                return v.asDouble ?? .nan
            }
            let mean = xs.reduce(0, +) / Double(xs.count)
            let std =
                xs.count > 1 ? (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot() : 0
            func wrap(_ d: Double) -> Value { unit.map { .quantity(Quantity(d, $0)) } ?? .number(d) }
            return .record(
                Record([
                    ("metric", .string(k)), ("mean", wrap(mean)), ("std", wrap(std)),
                    ("min", wrap(xs.min()!)), ("max", wrap(xs.max()!)), ("n", .int(xs.count)),
                ]))
        }
    }

    func display() -> String {
        let rows = RunsObject.summaryRows(results)
        let head = "\(results.count) runs (seeds \(seeds.first ?? 0)...\(seeds.last ?? 0))"
        guard let t = Table(records: rows) else { return head }
        return head + "\n" + t.render()
    }

    func inlineDisplay() -> String { "runs(\(results.count))" }
    func plainValue() -> Value? { .list(RunsObject.summaryRows(results)) }
    func sequence() -> [Value]? { results }
}

/// A list of records shown as a table (core builtins cannot see the NAS TableObject).
enum TableObjectLike {
    static func make(_ rows: [Value]) -> HostObject { RecordsObject(rows) }
}

final class RecordsObject: HostObject, MemberTable {
    let rows: [Value]
    init(_ rows: [Value]) { self.rows = rows }
    var typeName: String { "records" }
    static let members: [Member<RecordsObject>] = [
        Member("rows", "the records, as a list") { o in .list(o.rows) }
    ]
    func display() -> String { Table(records: rows)?.render() ?? "(empty table)" }
    func plainValue() -> Value? { .list(rows) }
    func sequence() -> [Value]? { rows }
}
