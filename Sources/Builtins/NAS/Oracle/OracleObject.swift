import Figures
import Interpreter
import Lang
import NASLib

/// The result of `oracle(...)`: per predictor, one row per threshold.
final class OracleObject: HostObject, MemberTable, Plottable {
    struct Result {
        let name: String
        let device: Device
        let space: Int
        let rows: [OracleNAS.Row]
    }

    let results: [Result]
    let accuracy: String
    let context: NASContext

    init(_ results: [Result], accuracy: String, context: NASContext) {
        self.results = results
        self.accuracy = accuracy
        self.context = context
    }

    var typeName: String { "oracle" }

    static let members: [Member<OracleObject>] = [
        Member(
            "rows", "per predictor and latency limit: the model picked, its accuracy and latency, and the true optimum"
        ) { o in .list(o.rows) },
        Member("summary", "per predictor: how often it met the limit and the accuracy it gave up") { o in
            .list(o.summary)
        },
        Member("predictors", "the predictors compared") { o in .list(o.results.map { .string($0.name) }) },
        Member("thresholds", "the latency limits") { o in
            .list((o.results.first?.rows ?? []).map { .quantity(Quantity.seconds($0.threshold)) })
        },
    ]

    func arch(_ a: NB201Arch?) -> Value { a.map { .object(ArchObject($0, context)) } ?? .nil }

    func record(_ r: OracleNAS.Row, _ name: String?) -> Value {
        func t(_ s: Double?) -> Value { s.map { .quantity(Quantity.seconds($0)) } ?? .nil }
        var fields: [(String, Value)] = name.map { [("predictor", .string($0))] } ?? []
        fields += [
            ("threshold", .quantity(Quantity.seconds(r.threshold))), ("false_positives", .int(r.falsePositives)),
            ("false_negatives", .int(r.falseNegatives)),
            ("missed_accuracy", r.missedAccuracy.map(Value.number) ?? .nil),
            ("missed_error", t(r.missedError)),
            ("overclaimed_accuracy", r.overclaimedAccuracy.map(Value.number) ?? .nil),
            ("overclaimed_error", t(r.overclaimedError)), ("assumed_best", arch(r.assumedBest)),
            ("effective_best", arch(r.effectiveBest)), ("truth_best", arch(r.truthBest)),
        ]
        return .record(Record(fields))
    }

    var rows: [Value] {
        results.flatMap { res in res.rows.map { record($0, results.count > 1 ? res.name : nil) } }
    }

    var summary: [Value] {
        results.map { res in
            let missed = res.rows.compactMap(\.missedAccuracy)
            let over = res.rows.compactMap(\.overclaimedAccuracy)
            func mean(_ xs: [Double]) -> Value { xs.isEmpty ? .nil : .number(xs.reduce(0, +) / Double(xs.count)) }
            return .record(
                Record([
                    ("predictor", .string(res.name)), ("device", .string(res.device.aliases.first ?? res.device.name)),
                    ("archs", .int(res.space)), ("thresholds", .int(res.rows.count)),
                    ("with_miss", .int(missed.filter { $0 > 0 }.count)), ("mean_missed", mean(missed)),
                    ("max_missed", missed.max().map(Value.number) ?? .nil), ("mean_overclaimed", mean(over)),
                    (
                        "mean_false_pos",
                        .number(Double(res.rows.map(\.falsePositives).reduce(0, +)) / Double(res.rows.count))
                    ),
                    (
                        "mean_false_neg",
                        .number(Double(res.rows.map(\.falseNegatives).reduce(0, +)) / Double(res.rows.count))
                    ),
                ]))
        }
    }

    func display() -> String {
        "oracle NAS (\(accuracy) accuracy), \(results.first?.rows.count ?? 0) thresholds\n"
            + (Table(records: summary)?.render() ?? "")
    }

    func inlineDisplay() -> String { "oracle" }
    func plainValue() -> Value? { .list(rows) }
    func sequence() -> [Value]? { rows }

    /// Figure S3's six panels, one line per predictor.
    func figure() throws -> Figure {
        let device = results.first.map { $0.device.aliases.first ?? $0.device.name } ?? ""
        let panels: [(String, String, (OracleNAS.Row) -> Double?)] = [
            ("False positives", "models", { Double($0.falsePositives) }),
            ("False negatives", "models", { Double($0.falseNegatives) }),
            ("Missed accuracy", "accuracy (%)", { $0.missedAccuracy }),
            ("Latency error of the missed model", "pred − true (ms)", { $0.missedError.map { $0 * 1000 } }),
            ("Over-claimed accuracy", "accuracy (%)", { $0.overclaimedAccuracy }),
            ("Latency error of the over-claimed model", "pred − true (ms)", { $0.overclaimedError.map { $0 * 1000 } }),
        ]
        let fig = panels.map { title, ylabel, f in
            Figure.Panel(
                title: title, xlabel: "latency limit on \(device) (ms)", ylabel: ylabel,
                series: results.map { res in
                    Figure.Series(
                        label: res.name, kind: .line, x: res.rows.map { $0.threshold * 1000 },
                        y: res.rows.map { f($0) ?? .nan })
                })
        }
        return Figure(panels: fig, columns: 3, title: "Oracle NAS on \(device) (\(accuracy) accuracy)")
    }
}
