import Figures
import Interpreter
import Lang
import NASLib

/// A training history as records (epoch, train_loss, valid_loss, lr).
func historyValue(_ h: [EpochRecord]) -> Value {
    .list(
        h.map { e in
            var fields: [(String, Value)] = [
                ("epoch", .int(e.epoch)), ("train_loss", .number(e.trainLoss)),
                ("valid_loss", .number(e.validLoss)), ("lr", .number(e.learningRate)),
            ]
            // Accuracy predictors: the share of validation models within 1 / 5 / 10 % of their accuracy (Figure S4).
            if let w = e.validWithin, w.count == 3 {
                fields += zip(["valid_within1", "valid_within5", "valid_within10"], w).map {
                    ($0.0, .quantity(Quantity($0.1, .percent)))
                }
            }
            return .record(Record(fields))
        })
}

/// `p.predict(x)` of a latency model: a time, or a list of them (nil where unknown).
func latencyPredictMethod(_ context: NASContext, _ doc: String, _ latencies: @escaping ([NB201Arch]) throws -> [Double])
    -> Value
{
    .builtin(
        BuiltinFunction(
            "predict", [BuiltinParameter("x", .any, "an arch, a list of archs or indices, or a space")], doc: doc
        ) { c in
            let (archs, single) = try archList(c["x"], context, c, "x")
            let v = try latencies(archs).map { $0.isNaN ? Value.nil : .quantity(Quantity.seconds($0)) }
            return single ? v[0] : .list(v)
        })
}

/// Prediction metrics as a record: within-x as % quantities (`p.test.within5 > 80%`), errors as time quantities.
func metricsRecord(_ m: PredictionMetrics) -> Value {
    .record(
        Record([
            ("within1", .quantity(Quantity(m.within1, .percent))),
            ("within5", .quantity(Quantity(m.within5, .percent))),
            ("within10", .quantity(Quantity(m.within10, .percent))),
            ("within20", .quantity(Quantity(m.within20, .percent))),
            ("mae", .quantity(Quantity.seconds(m.mae))),
            ("rmse", .quantity(Quantity.seconds(m.rmse))), ("spearman", .number(m.spearman)),
            ("kendall", .number(m.kendall)), ("n", .int(m.n)),
        ]))
}

/// `rule:` of a metrics call: "eagle" (default) or "paper".
func ruleArgument(_ c: BuiltinCall) throws -> PredictionMetrics.Rule {
    let s = try c.string("rule")
    guard let r = PredictionMetrics.Rule(rawValue: s) else {
        throw c.fail("rule", "use \"eagle\" or \"paper\", got \"\(s)\"")
    }
    return r
}

/// Archs from a value: an arch, a list of archs or indices, a space.
func archList(_ v: Value, _ context: NASContext, _ c: BuiltinCall, _ name: String) throws -> (
    archs: [NB201Arch], single: Bool
) {
    func one(_ x: Value) throws -> NB201Arch {
        switch x {
        case .object(let a as ArchObject): return a.arch
        case .int(let i): return try nas { try context.benchmark().index().arch(index: i) }
        case .string(let s): return try nas { try NB201Arch(string: s) }
        default: throw c.fail(name, "arch, index or arch string expected, got \(x.describeForError)")
        }
    }
    switch v {
    case .list(let xs): return (try xs.map(one), false)
    case .range(let r): return (try r.elements().map(one), false)
    case .object(let o as SpaceObject): return (try o.archs(), false)
    default: return ([try one(v)], true)
    }
}

/// A trained GCN latency predictor in the language (`p = gcn(device: "d-cpu")`).
