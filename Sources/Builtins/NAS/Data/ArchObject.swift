import Interpreter
import Lang
import NASLib

/// An NB201 architecture in the language: `arch(6111)`, `arch("|...|")`, `arch([3,3,3,3,3,3])`.
final class ArchObject: HostObject, MemberTable {
    let arch: NB201Arch
    let context: NASContext

    init(_ arch: NB201Arch, _ context: NASContext) {
        self.arch = arch
        self.context = context
    }

    var typeName: String { "arch" }

    static let members: [Member<ArchObject>] = [
        Member("index", "the NB201 index (0...15624)") { o in .int(try o.index()) },
        Member("str", "the NB201 arch string") { o in .string(o.arch.string) },
        Member("vector", "the six op codes, eagle's order") { o in .list(o.arch.vector.map(Value.int)) },
        Member("naslib", "the six op codes, NASLib's order") { o in .list(o.arch.naslib.map(Value.int)) },
        Member("ops", "the six op names") { o in .list(o.arch.ops.map { .string($0.name) }) },
        Member("connected", "whether input reaches output") { o in .bool(o.arch.connected) },
        Member("flops", "multiply-adds of the CIFAR-10 network") { o in .int(NB201Cost(o.arch, dataset: .cifar10).flops)
        },
        Member("params", "parameters of the CIFAR-10 network") { o in .int(NB201Cost(o.arch, dataset: .cifar10).params)
        },
        Member("unique", "the string of its isomorphism class") { o in .string(o.arch.uniqueString) },
        Member("graph", "the cell as nodes and edges") { o in ArchObject.graphValue(o.arch.graph) },
        Member("neighbors", "the archs one op away") { o in
            .list(o.arch.neighbors.map { .object(ArchObject($0, o.context)) })
        },
        Member("latency", "a.latency(device): its latency on a device") { o in .builtin(o.latencyMethod) },
        Member("accuracy", "a.accuracy(dataset): its benchmark accuracy") { o in .builtin(o.accuracyMethod) },
        Member("cost", "a.cost(dataset): FLOPs and params on a dataset") { o in .builtin(o.costMethod) },
    ]

    func index() throws -> Int { try nas { try context.benchmark().index().index(of: arch) } }

    static func graphValue(_ g: CellGraph) -> Value {
        .record(
            Record([
                ("adjacency", .list(g.adjacencyRows.map { .list($0.map(Value.int)) })),
                ("features", .list(g.featureRows.map { .list($0.map(Value.int)) })),
            ]))
    }

    var latencyMethod: BuiltinFunction {
        BuiltinFunction(
            "latency",
            [
                BuiltinParameter(
                    "device", .oneOf([.string, .object("latency table")]),
                    "a device name or alias, e.g. \"m-gpu\", or a latency table")
            ],
            doc: "The measured latency of this arch on a device (nil if not measured)."
        ) { c in
            let d = try self.context.device(c, "device")
            return try nas {
                let t = try self.context.benchmark().table(d)
                return measureValue(t[self.arch], d)
            }
        }
    }

    var accuracyMethod: BuiltinFunction {
        BuiltinFunction(
            "accuracy",
            [
                BuiltinParameter(
                    "dataset", .string, default: .string("cifar100"), "cifar10, cifar100 or imagenet16-120"),
                BuiltinParameter("split", .string, default: .string("test"), "test (mean over seeds) or valid"),
            ],
            doc: "The benchmark accuracy (%) of this arch (nil where the table has none)."
        ) { c in
            let (dataset, split) = try datasetAndSplit(c)
            return try nas {
                let t = try self.context.benchmark().accuracy(dataset, split)
                return t[self.arch].map(Value.number) ?? .nil
            }
        }
    }

    var costMethod: BuiltinFunction {
        BuiltinFunction(
            "cost", [BuiltinParameter("dataset", .string, default: .string("cifar10"))],
            doc: "FLOPs and parameters of the network for a dataset's input size and classes."
        ) { c in
            let dataset = try datasetArgument(c, "dataset")
            let cost = NB201Cost(self.arch, dataset: dataset)
            return .record(Record([("flops", .int(cost.flops)), ("params", .int(cost.params))]))
        }
    }

    func display() -> String {
        let idx = (try? index()).map { "\($0): " } ?? ""
        return "arch(\(idx)\(arch.string))"
    }

    func inlineDisplay() -> String { "arch(\((try? index()).map(String.init) ?? Format.quoted(arch.string)))" }

    /// JSON and CSV see an arch as its NB201 index (its string when no data is loaded).
    func plainValue() -> Value? {
        if let i = try? index() { return .int(i) }
        return .string(arch.string)
    }

    var cacheIdentity: Value? { .string(arch.string) }

    func isEqual(to other: any HostObject) -> Bool {
        guard let o = other as? ArchObject else { return false }
        return o.arch == arch
    }
}

/// A latency as a time quantity in ms, an energy in mJ, nil when missing.
func measureValue(_ v: Double?, _ d: Device) -> Value {
    guard let v = v else { return .nil }
    switch d.measure {
    case .latency: return .quantity(Quantity.seconds(v))
    case .energy: return .quantity(Quantity(v * 1000, .mJ))
    }
}

func datasetArgument(_ c: BuiltinCall, _ name: String) throws -> Benchmark.Dataset {
    let s = try c.string(name)
    guard let d = Benchmark.Dataset(name: s) else {
        let names = ["cifar10", "cifar100", "imagenet16-120"]
        throw c.fail(
            name,
            "unknown dataset \"\(s)\"\(Suggest.didYouMean(s, names, quote: "\"")); use cifar10, cifar100 or imagenet16-120"
        )
    }
    return d
}

func datasetAndSplit(_ c: BuiltinCall) throws -> (Benchmark.Dataset, Benchmark.Split) {
    try datasetAndSplit(c, datasetName: "dataset")
}
