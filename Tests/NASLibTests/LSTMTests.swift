import Testing

@testable import NASLib

/// The LSTM controller's hand-written backpropagation through time, against finite differences.
@Suite struct LSTMTests {
    @Test func gradientOfLogProbability() {
        var ctl = LSTMController(hidden: 5, seed: 3)
        var rng = SeededRandom(seed: 9)
        let tape = ctl.forward(&rng)
        let analytic = ctl.gradLogProb(tape)
        let h = 1e-6
        var worst = 0.0
        for i in stride(from: 0, to: ctl.count, by: 3) {
            let saved = ctl.params[i]
            ctl.params[i] = saved + h
            var r1 = SeededRandom(seed: 0)
            let up = ctl.forward(&r1, forced: tape.actions).logProb
            ctl.params[i] = saved - h
            var r2 = SeededRandom(seed: 0)
            let down = ctl.forward(&r2, forced: tape.actions).logProb
            ctl.params[i] = saved
            let numeric = (up - down) / (2 * h)
            worst = max(worst, abs(numeric - analytic[i]) / max(1e-4, abs(numeric) + abs(analytic[i])))
        }
        #expect(worst < 1e-4)  // finite differences of sigmoids and tanhs at h = 1e-6
    }

    @Test func searchesAreReproducible() {
        let table = MetricTable(name: "t", values: (0..<NB201Arch.count).map { Double($0 % 997) / 10 })
        let problem = SearchProblem(report: table)
        let space = Baselines.Space(NB201Arch.all)
        let f = Baselines.Fitness(table)
        let a = Baselines.reinforce(
            space, f, problem, budget: 30, learningRate: 0.01, hidden: 8, baselineDecay: 0.9, seed: 4)
        let b = Baselines.reinforce(
            space, f, problem, budget: 30, learningRate: 0.01, hidden: 8, baselineDecay: 0.9, seed: 4)
        #expect(a.steps == b.steps && a.steps.count == 30)
        let e = Baselines.evolution(space, f, problem, budget: 100, population: 10, sample: 3, cached: true, seed: 1)
        #expect(Set(e.steps.map(\.arch)).count == 100)  // cached: never trains a model twice
        let r = Baselines.random(space, f, problem, budget: 50, seed: 2)
        #expect(r.steps.count == 50 && r.curve.last! != nil)
    }
}
