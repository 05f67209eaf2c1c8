import Builtins
import Foundation
import Interpreter
import Lang
import TestSupport
import Testing

/// Every member an object advertises (for completion and error messages) must exist: one
/// object of each kind, at toy sizes, asked for each of its member names.
@Suite struct MemberTests {
    static let script = """
        load latbench, nb201
        a = arch(0)
        s = space()
        p = gcn(device: "d-cpu", n: 30, valid: 10, epochs: 2, hidden: 16, seed: 1)
        lw = layerwise(device: "d-cpu", n: 200, seed: 1)
        t = truth("d-gpu")
        o = oracle([p, lw], 2ms..3ms step 0.5)
        acc = gcn_acc(n: 20, valid: 10, epochs: 2, hidden: 16, seed: 1)
        bp = brp_predictor(n: 10, epochs: 2, hidden: 16, seed: 1)
        b = brp(K: 10, M: 12, iters: 2, epochs: 2, hidden: 16, seed: 1)
        e = evolve(budget: 20, pool: 5, sample: 2, seed: 1)
        c = compare(b, e)                 # b and e are both "search"
        tab = table([{x: 1}])
        f = plot(x: [1, 2], y: [3, 4])
        r = repeat(2, seed: 1) { s -> {v: s} }
        pf = pareto(gcn(device: "d-cpu", n: 30, valid: 10, epochs: 2, hidden: 16, seed: 1))
        mo = evolve(objectives: ["accuracy", "d-gpu"], budget: 20, pool: 5, sample: 2, seed: 1)
        mc = compare(mo, random_search(objectives: ["accuracy", "d-gpu"], budget: 20, seed: 1))
        fs = fewshot("help-fpga", sources: ["help-pixel3"], n: 5, seed: 1)
        ds = space(cell: "inputs", nodes: 2, inputs: 2, ops: ["x", "y"], cells: ["normal", "reduce"])
        da = ds.sample(1, seed: 1)[0]
        """

    @Test(.needsData)
    func everyAdvertisedMemberExists() throws {
        let interpreter = Builtins.makeInterpreter(
            output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        RunContext.of(interpreter).useCache = false
        let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "members", text: Self.script))
        #expect(failure == nil, "\(failure?.description ?? "")")
        var kinds = Set<String>()
        for name in [
            "a", "s", "p", "lw", "t", "o", "acc", "bp", "b", "e", "c", "tab", "f", "r", "pf", "mo", "mc", "fs", "ds",
            "da",
        ] {
            guard case .object(let object)? = interpreter.globals.lookup(name) else {
                Issue.record("\(name) is not an object")
                continue
            }
            kinds.insert(object.typeName)
            for member in object.memberNames {
                #expect(try object.member(member) != nil, "\(object.typeName).\(member) is advertised but missing")
            }
        }
        #expect(kinds.count == 19, "\(kinds.sorted())")
    }
}
