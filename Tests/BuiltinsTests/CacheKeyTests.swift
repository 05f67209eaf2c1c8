import Foundation
import Interpreter
import Lang
import NASLib
import PropertyBased
import TestSupport
import Testing

@testable import Builtins

/// Cache keys must include every input that can change a result.
@Suite struct CacheKeyTests {
    /// The builtins whose results are cached, with their parameters.
    static var cachedBuiltins: [BuiltinFunction] {
        let names: Set<String> = ["gcn", "brp", "evolve", "reinforce", "random_search"]
        return Builtins.all().filter { names.contains($0.name) }
    }

    /// A value of the same type that differs from `v`.
    static func changed(_ v: Value, _ k: Int) -> Value {
        switch v {
        case .nil: return .int(k)
        case .bool(let b): return .bool(!b)
        case .int(let i): return .int(i &+ k)
        case .number(let d): return .number(d + Double(k) * 0.5)
        case .quantity(let q): return .quantity(Quantity(q.value + Double(k), q.unit))
        case .string(let s): return .string(s + "\(k)")
        default: return .string("changed \(k)")
        }
    }

    /// For every cached builtin and every parameter: changing that argument alone changes the key.
    @Test func changingAnyArgumentChangesTheKey() async {
        let builtins = Self.cachedBuiltins
        #expect(builtins.count == 5)
        await propertyCheck(count: 200, input: Gen.int(in: 0...10_000), Gen.int(in: 1...1_000)) { pick, k in
            let b = builtins[pick % builtins.count]
            let pairs = b.parameters.map { ($0.name, $0.defaultValue ?? .int(1)) }
            let i = (pick / builtins.count) % pairs.count
            var other = pairs
            other[i].1 = Self.changed(pairs[i].1, k)
            let hashes = ["aa", "bb"]
            let a = ResultCache.key(b.name, .record(Record(pairs)), dataHashes: hashes)
            let c = ResultCache.key(b.name, .record(Record(other)), dataHashes: hashes)
            #expect(a != c, "\(b.name): changing '\(pairs[i].0)' kept the key")
            #expect(
                a != ResultCache.key(b.name, .record(Record(pairs)), dataHashes: ["aa", "bc"]),
                "data hash not in the key")
            #expect(a != ResultCache.key(b.name + "x", .record(Record(pairs)), dataHashes: hashes))
            #expect(
                a == ResultCache.key(b.name, .record(Record(pairs)), dataHashes: hashes, numerics: ResultCache.numerics)
            )
            #expect(
                a
                    != ResultCache.key(
                        b.name, .record(Record(pairs)), dataHashes: hashes, numerics: ResultCache.numerics + "x"),
                "the BLAS build and kernel are not in the key")
        }
    }

    /// Objects enter keys by their full identity: every device's truth table is a different key, and so are two
    /// predictors trained differently; the same training twice is the same key.
    @Test(.needsData) func objectIdentities() throws {
        let interpreter = Builtins.makeInterpreter(
            output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        RunContext.of(interpreter).useCache = false
        let script = """
            ts = map(devices()) { d -> truth(d.name) }
            p1 = gcn(device: "d-cpu", n: 30, valid: 10, epochs: 2, hidden: 16, seed: 1)
            p2 = gcn(device: "d-cpu", n: 30, valid: 10, epochs: 2, hidden: 16, seed: 2)
            p3 = gcn(device: "d-cpu", n: 30, valid: 10, epochs: 2, hidden: 16, seed: 1)
            l1 = layerwise(device: "d-cpu", n: 200, seed: 1)
            l2 = layerwise(device: "d-gpu", n: 200, seed: 1)
            """
        let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "ids", text: script))
        #expect(failure == nil, "\(failure?.description ?? "")")
        func id(_ name: String) -> String? {
            interpreter.globals.lookup(name).flatMap(Caching.identity).flatMap { try? JSON.encode($0) }
        }
        guard case .list(let truths)? = interpreter.globals.lookup("ts") else {
            Issue.record("no truth tables")
            return
        }
        let keys = Set(truths.compactMap { Caching.identity($0).map { try? JSON.encode($0) } ?? nil })
        #expect(
            truths.count > 40 && keys.count == truths.count,
            "\(keys.count) distinct identities for \(truths.count) tables")
        #expect(id("p1") != nil && id("p1") == id("p3"))
        #expect(id("p1") != id("p2"))
        #expect(id("l1") != nil && id("l1") != id("l2"))
        // A function argument has no identity: the call is not cached.
        #expect(Caching.identity(.list([.int(1), .function(UserFunctionFixture.make(interpreter))])) == nil)
        #expect(Caching.identity(.record(Record([("f", .function(UserFunctionFixture.make(interpreter)))]))) == nil)
    }
}

enum UserFunctionFixture {
    static func make(_ interpreter: Interpreter) -> UserFunction {
        _ = Pipeline(interpreter: interpreter).run(SourceFile(name: "f", text: "fn fixture(x) { x }"))
        guard case .function(let f)? = interpreter.globals.lookup("fixture") else { fatalError("no fixture") }
        return f
    }
}

/// The epoch-cap warning: only when every allowed epoch ran and the best validation loss is among the last ones.
@Suite struct EpochCapTests {
    static func history(_ losses: [Double]) -> [EpochRecord] {
        losses.enumerated().map {
            EpochRecord(epoch: $0.offset, trainLoss: $0.element, validLoss: $0.element, learningRate: 1e-3)
        }
    }

    @Test func warnsOnlyWhenStillImprovingAtTheCap() {
        let falling = Self.history((0..<100).map { 1.0 / Double($0 + 1) })
        #expect(EpochCap.message(falling, cap: 100, what: "gcn")?.contains("best 0.01 at epoch 100") == true)
        #expect(EpochCap.message(falling, cap: 200, what: "gcn") == nil)  // stopped early: converged by its own rule
        let flat = Self.history((0..<100).map { $0 < 50 ? 1.0 / Double($0 + 1) : 0.5 })
        #expect(EpochCap.message(flat, cap: 100, what: "gcn") == nil)  // best long before the end
        var lateLosses = [Double](repeating: 1.0, count: 100)
        for i in 96..<100 { lateLosses[i] = 0.001 * (1 + Double(99 - i) * 0.01) }
        // best in the last 5 %, ending near it
        #expect(EpochCap.message(Self.history(lateLosses), cap: 100, what: "gcn") != nil)
        // A best near the end followed by a jump back up is noise, not a fall ("best 0.00437 at epoch 29, last 0.0362").
        var bounced: [Double] = (0..<30).map { (i: Int) -> Double in 1.0 / Double(i + 1) }
        bounced[28] = 0.00437
        bounced[29] = 0.0362
        #expect(EpochCap.message(Self.history(bounced), cap: 30, what: "gcn") == nil)
        // A learning rate a plateau schedule cut 10,000-fold: more epochs would not help.
        var decayed: [EpochRecord] = []
        for i in 0..<100 {
            let loss = 1.0 / Double(i + 1)
            decayed.append(
                EpochRecord(epoch: i, trainLoss: loss, validLoss: loss, learningRate: i < 50 ? 1e-3 : 2.4e-8))
        }
        #expect(EpochCap.message(decayed, cap: 100, what: "gcn") == nil)
    }
}

/// The failed-training warning: a latency predictor that ranks its validation models poorly is reported as failed.
@Suite struct FailedTrainingTests {
    @Test func warnsBelowTheThresholdOnly() {
        func m(_ rho: Double, mae: Double = 0.1, epochs: Int = 71, precision: String = "float32") -> String? {
            let fit = LatencyPredictor.ValidationFit(count: 100, spearman: rho, mae: mae, constantMAE: 0.5)
            return FailedTraining.message(fit, epochs: epochs, cap: 250, precision: precision, what: "gcn(x)")
        }
        let failed = m(-0.74)
        #expect(
            failed?.contains("Spearman ρ -0.74") == true
                && failed?.contains("stopped early, at epoch 71 of 250") == true)
        #expect(failed?.contains("precision: \"float64\"") == true)
        #expect(m(0.2, epochs: 250, precision: "float64")?.contains("ran all 250 epochs") == true)
        #expect(m(0.2, precision: "float64")?.contains("precision: \"float32\"") == true)
        #expect(m(0.5) == nil && m(0.93) == nil && m(.nan) == nil)
        #expect(FailedTraining.message(nil, epochs: 71, cap: 250, precision: "float32", what: "gcn(x)") == nil)
    }

    /// A predictor that ranks well but errs more than the constant training median (an offset) has failed too.
    @Test func warnsWhenWorseThanTheConstantMedian() {
        func m(mae: Double) -> String? {
            let fit = LatencyPredictor.ValidationFit(count: 100, spearman: 0.9, mae: mae, constantMAE: 0.000514)
            return FailedTraining.message(fit, epochs: 60, cap: 250, precision: "float32", what: "gcn(x)")
        }
        let offset = m(mae: 0.00117)
        #expect(
            offset?.contains("no better than a constant (mean absolute error 1.17 ms against 0.514 ms") == true,
            "\(offset ?? "nil")")
        #expect(m(mae: 0.000514) != nil && m(mae: 0.0005) == nil && m(mae: .nan) == nil)
    }

    /// `validationFit` is the rank correlation and error of the predictor's own predictions on its validation models.
    @Test(.needsData) func validationFitOfAPredictor() throws {
        let interpreter = Builtins.makeInterpreter(
            output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        RunContext.of(interpreter).useCache = false
        let failure = Pipeline(interpreter: interpreter).run(
            SourceFile(
                name: "v",
                text: """
                    p = gcn(device: "d-cpu", n: 60, valid: 40, epochs: 30, hidden: 32, seed: 3)
                    """))
        #expect(failure == nil, "\(failure?.description ?? "")")
        guard case .object(let o)? = interpreter.globals.lookup("p"), let g = o as? GCNObject else {
            Issue.record("no predictor")
            return
        }
        let table = try NASContext.of(interpreter).benchmark().table(g.device)
        let rho = try #require(g.predictor.validationFit(table)).spearman
        let expected = Statistics.spearman(
            g.predictor.predict(g.predictor.validArchs), g.predictor.validArchs.map { table[$0]! })
        #expect(abs(rho - expected) < 1e-9 && abs(rho) <= 1, "\(rho) vs \(expected)")
        #expect(g.predictor.validArchs.count == 40)
        // Its error beside the constant training median, recomputed here from the predictions and the table.
        let fit = try #require(g.predictor.validationFit(table))
        let truth = g.predictor.validArchs.map { table[$0]! }
        let predicted = g.predictor.predict(g.predictor.validArchs)
        let mae = zip(predicted, truth).map { abs($0 - $1) }.reduce(0, +) / 40
        let train = g.predictor.trainArchs.map { table[$0]! }.sorted()
        let median = (train[29] + train[30]) / 2  // 60 training models
        let constant = truth.map { abs($0 - median) }.reduce(0, +) / 40
        #expect(train.count == 60 && fit.count == 40)
        #expect(
            abs(fit.mae - mae) <= 1e-5 * mae && abs(fit.constantMAE - constant) <= 1e-12,
            "\(fit) vs \(mae), \(constant)")
    }
}
