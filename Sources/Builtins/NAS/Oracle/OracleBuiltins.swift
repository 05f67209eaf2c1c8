import Interpreter
import Lang
import NASLib

/// A latency predictor usable by `oracle`: its device and its predictions (seconds).
protocol LatencyModel: AnyObject {
    var device: Device { get }
    /// The legend name (`gcn`, `layerwise`, `truth`, `flops`).
    var modelName: String { get }
    func latencies(_ archs: [NB201Arch]) throws -> [Double]
}

extension GCNObject: LatencyModel {
    var modelName: String { "gcn" }
    func latencies(_ archs: [NB201Arch]) throws -> [Double] { predictor.predict(archs) }
}

extension LayerwiseObject: LatencyModel {
    var modelName: String { "layerwise" }
    func latencies(_ archs: [NB201Arch]) throws -> [Double] { archs.map(predictor.predict) }
}

/// `truth(device)`: the measured latency, as a predictor (the oracle's reference: no error).
final class TruthObject: HostObject, MemberTable, LatencyModel {
    let device: Device
    let context: NASContext
    init(_ d: Device, _ c: NASContext) {
        device = d
        context = c
    }
    var modelName: String { "truth" }
    var typeName: String { "truth" }

    static let members: [Member<TruthObject>] = [
        Member("device", "the device") { o in .string(o.device.name) },
        Member("predict", "t.predict(archs): the measured latencies") { o in
            latencyPredictMethod(o.context, "The measured latency.", o.latencies)
        },
    ]
    func latencies(_ archs: [NB201Arch]) throws -> [Double] {
        let t = try nas { try context.benchmark().table(device) }
        return archs.map { t[$0] ?? .nan }
    }
    func display() -> String { "truth(\(device.aliases.first ?? device.name))" }
    /// The table it reads (the file's hash is part of the key through the call's data files).
    var cacheIdentity: Value? {
        .record(
            Record([
                ("kind", .string("truth")), ("device", .string(device.name)), ("file", .string(device.file.path)),
                ("column", device.column.map(Value.string) ?? .nil), ("measure", .string(device.measure.rawValue)),
            ]))
    }
}

/// A user function arch → latency, for one device.
final class FunctionModel: LatencyModel {
    let device: Device
    let function: Value
    let call: BuiltinCall
    let context: NASContext
    init(_ f: Value, _ d: Device, _ c: BuiltinCall) {
        function = f
        device = d
        call = c
        context = NASContext.of(c)
    }
    var modelName: String {
        if case .function(let f) = function { return f.name }
        return "function"
    }
    func latencies(_ archs: [NB201Arch]) throws -> [Double] {
        try archs.map { a in
            let v = try call.call(function, [.object(ArchObject(a, context))])
            switch v {
            case .quantity(let q) where q.unit.dimension == .time: return q.base
            default:
                throw call.fail(
                    "predictors", "the function must return a time (like 5ms) for every arch, got \(v.describeForError)"
                )
            }
        }
    }
}

extension DataBuiltins {
    static let truth = BuiltinFunction(
        "truth",
        [
            BuiltinParameter(
                "device", .oneOf([.string, .object("latency table")]), "device name or alias, or a latency table")
        ],
        doc: "The device's measured latency as a latency predictor (for oracle comparisons).", category: "Oracle NAS"
    ) { c in
        let d = try NASContext.of(c).device(c, "device")
        return .object(TruthObject(d, NASContext.of(c)))
    }

    static let oracle = BuiltinFunction(
        "oracle",
        [
            BuiltinParameter(
                "predictors", .any,
                "a latency predictor (gcn, layerwise, truth(device), a function arch → latency) or a list of them"),
            BuiltinParameter("thresholds", .any, "latency limits, e.g. 1ms..7ms step 0.1"),
            BuiltinParameter(
                "accuracy", .string, default: .string("cifar100"),
                "dataset of the accuracy: cifar10, cifar100, imagenet16-120"),
            BuiltinParameter("split", .string, default: .string("test"), "test (mean over seeds) or valid"),
            BuiltinParameter(
                "space", .optional(.list), default: .nil, "archs to search (default: all the device measured)"),
            BuiltinParameter(
                "device", .optional(.oneOf([.string, .object("latency table")])), default: .nil,
                "the device (or latency table), for predictors given as functions"),
        ],
        doc:
            "Oracle NAS under each latency limit (seed S1.3): false positives/negatives, missed and over-claimed accuracy.",
        category: "Oracle NAS"
    ) { c in
        let context = NASContext.of(c)
        let b = try nas { try context.benchmark() }
        let models = try latencyModels(c)
        let thresholds = try c.list("thresholds").map { v -> Double in
            guard case .quantity(let q) = v, q.unit.dimension == .time else {
                throw c.fail("thresholds", "times expected (like 1ms..7ms step 0.1), found \(v.describeForError)")
            }
            return q.base
        }
        guard !thresholds.isEmpty else { throw c.fail("thresholds", "no thresholds") }
        let (dataset, split) = try datasetAndSplit(c, datasetName: "accuracy")
        let acc = try nas { try b.accuracy(dataset, split) }
        var results: [OracleObject.Result] = []
        for m in models {
            let truth = try nas { try b.table(m.device) }
            var space = truth.measured
            if !c.isNil("space") { space = try archList(c["space"], context, c, "space").archs }
            space = space.filter { truth[$0] != nil && acc[$0] != nil }
            guard !space.isEmpty else {
                throw c.fail("space", "no arch of the space has both a latency and an accuracy")
            }
            let predicted = try m.latencies(space)
            let rows = OracleNAS.run(
                archs: space, predicted: predicted, measured: space.map { truth[$0]! },
                accuracy: space.map { acc[$0]! }, thresholds: thresholds)
            results.append(OracleObject.Result(name: m.modelName, device: m.device, space: space.count, rows: rows))
        }
        return .object(OracleObject(results, accuracy: "\(dataset.rawValue) \(split.rawValue)", context: context))
    }

    static func latencyModels(_ c: BuiltinCall) throws -> [LatencyModel] {
        let items: [Value]
        if case .list(let xs) = c["predictors"] { items = xs } else { items = [c["predictors"]] }
        return try items.map { v in
            switch v {
            case .object(let o as LatencyModel): return o
            case .function, .builtin:
                guard !c.isNil("device") else {
                    throw c.fail(
                        "device", "a predictor given as a function needs device: (whose measurements are the truth)")
                }
                return FunctionModel(v, try NASContext.of(c).device(c, "device"), c)
            default:
                throw c.fail(
                    "predictors",
                    "a latency predictor expected (gcn, layerwise, truth(device) or a function), got \(v.describeForError)"
                )
            }
        }
    }
}

func datasetAndSplit(_ c: BuiltinCall, datasetName: String) throws -> (Benchmark.Dataset, Benchmark.Split) {
    let dataset = try datasetArgument(c, datasetName)
    let s = try c.string("split")
    guard let split = Benchmark.Split(rawValue: s) else {
        throw c.fail("split", "use \"test\" or \"valid\", got \"\(s)\"")
    }
    return (dataset, split)
}
