import Builtins
import Foundation
import Interpreter
import Lang
import NASLib
import TestSupport
import Testing

/// `pareto(...)` against the definition, checked over every model of the data: no model dominates a front model,
/// and every other model is dominated by a front model (ties: equal models are all on the front).
@Suite struct ParetoBuiltinTests {
    static func run(_ script: String) throws -> Interpreter {
        let interpreter = Builtins.makeInterpreter(
            output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        RunContext.of(interpreter).useCache = false
        let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "pareto", text: script))
        if let failure { throw BuiltinError(failure.description) }
        return interpreter
    }

    static func number(_ v: Value?) -> Double? { v?.asDouble }

    @Test(
        .needsData,
        arguments: [
            "d-gpu", "m-dsp", "help-pixel2", "help-raspi4", "hwnas-edgegpu-energy-cifar100", "hwnas-edgetpu-cifar10",
        ])
    func frontEqualsTheDefinitionOverEveryModel(device: String) throws {
        let interpreter = try Self.run(
            "f = pareto(\"\(device)\")\nrows = f.rows\nn = f.models\nstrs = map(rows) { r -> r.arch.str }")
        guard case .list(let rows)? = interpreter.globals.lookup("rows"),
            case .int(let n)? = interpreter.globals.lookup("n"),
            case .list(let strs)? = interpreter.globals.lookup("strs")
        else {
            Issue.record("no rows")
            return
        }
        let b = try #require(TestData.benchmark)
        let d = try DeviceCatalog.resolve(device)
        let cost = try b.table(d)
        let acc = try b.accuracy(.cifar100, .test)
        let models = NB201Arch.all.filter { cost[$0] != nil && acc[$0] != nil }
        #expect(models.count == n)
        let front: [NB201Arch] = try strs.map { v in
            guard case .string(let s) = v else { throw BuiltinError("not a string") }
            return try NB201Arch(string: s)
        }
        #expect(front.count == rows.count && !front.isEmpty)
        // Rows as shown: accuracy, and cost in ms or mJ.
        for (v, a) in zip(rows, front) {
            guard case .record(let r) = v else { continue }
            #expect(Self.number(r["accuracy"]) == acc[a]!)
            #expect(abs(Self.number(r["cost"])! - cost[a]! * 1000) < 1e-9)
        }
        func dominates(_ x: NB201Arch, _ y: NB201Arch) -> Bool {
            acc[x]! >= acc[y]! && cost[x]! <= cost[y]! && (acc[x]! > acc[y]! || cost[x]! < cost[y]!)
        }
        let onFront = Set(front)
        for a in front { #expect(!models.contains { dominates($0, a) }, "\(a) on the front is dominated") }
        for a in models where !onFront.contains(a) {
            if !front.contains(where: { dominates($0, a) }) {
                Issue.record("\(a) is not dominated by the front but is not on it")
            }
        }
        // Sorted by cost, then accuracy descending.
        #expect(
            zip(front, front.dropFirst()).allSatisfy {
                cost[$0]! < cost[$1]! || (cost[$0]! == cost[$1]! && acc[$0]! >= acc[$1]!)
            })
    }
}
