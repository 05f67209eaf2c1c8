import Foundation
import NASLib

/// The baselines on CIFAR-100 test accuracy (mean over seeds), 20 runs each, and their speed.
func benchBaselines() throws {
    let b = Benchmark(directory: try DataLocation.resolve(environment: ProcessInfo.processInfo.environment))
    let acc = try b.accuracy(.cifar100, .test)
    let problem = SearchProblem(report: acc)
    let space = Baselines.Space(acc.measured)
    let f = Baselines.Fitness(acc)
    print(
        "== NAS baselines (CIFAR-100 test, mean best over 20 runs; optimum \(String(format: "%.2f", problem.optimum!)))"
    )
    func report(_ name: String, _ run: (Int) -> SearchTrace) {
        var traces: [SearchTrace] = []
        let t = seconds { traces = (1...20).map(run) }
        let at = { (k: Int) -> Double in traces.map { $0.curve[k - 1]! }.reduce(0, +) / Double(traces.count) }
        print(
            String(format: "  %@: best@100 %.2f, best@300 %.2f; %.3f s per run of 300", name, at(100), at(300), t / 20))
    }
    report("random search") { Baselines.random(space, f, problem, budget: 300, seed: $0) }
    report("aging evolution") {
        Baselines.evolution(space, f, problem, budget: 300, population: 64, sample: 16, cached: false, seed: $0)
    }
    report("aging evolution (cached)") {
        Baselines.evolution(space, f, problem, budget: 300, population: 64, sample: 16, cached: true, seed: $0)
    }
    let lr = Double(ProcessInfo.processInfo.environment["RL_LR"] ?? "") ?? 0.001
    report("REINFORCE (lr \(lr))") {
        Baselines.reinforce(space, f, problem, budget: 300, learningRate: lr, hidden: 32, baselineDecay: 0.9, seed: $0)
    }
}
