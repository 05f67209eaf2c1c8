import Interpreter
import NASLib

extension DataBuiltins {
    /// Table S4 of the paper (Pearson), by pairs of paper device aliases: all 15 pairs of the six devices.
    static let paperTableS4: [String: Double] = [
        "d-cpu/d-gpu": 0.997, "d-cpu/e-gpu": 0.700, "d-cpu/e-tpu": 0.844, "d-cpu/m-gpu": 0.751, "d-cpu/m-dsp": 0.727,
        "d-gpu/e-gpu": 0.702, "d-gpu/e-tpu": 0.844, "d-gpu/m-gpu": 0.752, "d-gpu/m-dsp": 0.728,
        "e-gpu/e-tpu": 0.574, "e-gpu/m-gpu": 0.866, "e-gpu/m-dsp": 0.821, "e-tpu/m-gpu": 0.548, "e-tpu/m-dsp": 0.690,
        "m-gpu/m-dsp": 0.821,
    ]

    static func paperValue(_ a: Device, _ b: Device) -> Double? {
        for x in a.aliases {
            for y in b.aliases {
                if let v = paperTableS4["\(x)/\(y)"] ?? paperTableS4["\(y)/\(x)"] { return v }
            }
        }
        return nil
    }

    static let correlation = BuiltinFunction(
        "correlation",
        [
            BuiltinParameter(
                "devices", .list,
                default: .list(["d-cpu", "d-gpu", "e-gpu", "e-tpu", "m-gpu", "m-dsp"].map(Value.string)),
                "device names or aliases")
        ],
        doc:
            "Latency correlation between devices (Pearson and Spearman over the archs all of them measured), next to the paper's Table S4.",
        category: "Data"
    ) { c in
        let items = try c.list("devices")
        guard items.count >= 2 else { throw c.fail("devices", "needs at least two devices") }
        let b = try nas { try NASContext.of(c).benchmark() }
        let devices = try items.map { try NASContext.of(c).device($0, c, "devices") }
        let names = zip(items, devices).map { v, d in
            if case .string(let s) = v { return s }
            return d.name
        }
        let tables = try nas { try devices.map { try b.table($0) } }
        let shared = NB201Arch.all.filter { a in tables.allSatisfy { $0[a] != nil } }
        let columns = tables.map { t in shared.map { t[$0]! } }
        var rows: [Value] = []
        for i in 0..<devices.count {
            for j in (i + 1)..<devices.count {
                rows.append(
                    .record(
                        Record([
                            ("a", .string(names[i])), ("b", .string(names[j])), ("n", .int(shared.count)),
                            ("pearson", .number(Statistics.pearson(columns[i], columns[j]))),
                            ("spearman", .number(Statistics.spearman(columns[i], columns[j]))),
                            ("paper", paperValue(devices[i], devices[j]).map(Value.number) ?? .nil),
                        ])))
            }
        }
        return .object(TableObject(rows))
    }
}
