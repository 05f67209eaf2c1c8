import NASLib
import Testing

/// Optimisers and schedules against values worked out by hand from PyTorch's definitions.
@Suite struct OptimTests {
    /// Two AdamW steps on one parameter, against torch.optim.AdamW's update written out.
    @Test func adamwMatchesPyTorch() {
        let store = ParameterStore<Double>()
        let s = store.add("w", 1, 3)
        store.restore([1.0, -2.0, 0.5])
        var opt = AdamW<Double>(parameters: 3, learningRate: 0.1, weightDecay: 0.01)
        var p = [1.0, -2.0, 0.5]
        var m = [0.0, 0.0, 0.0]
        var v = [0.0, 0.0, 0.0]
        for (t, g) in [[0.3, -0.1, 2.0], [-0.2, 0.4, 1.0]].enumerated() {
            for i in 0..<3 { store.grads[s.offset + i] = g[i] }
            opt.beginStep()
            opt.update(store)
            // torch: p *= 1 − lr·wd; m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
            // p −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)
            let step = Double(t + 1)
            for i in 0..<3 {
                p[i] *= 1 - 0.1 * 0.01
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let bc1 = 1 - pow(0.9, step)
                let bc2 = 1 - pow(0.999, step)
                p[i] -= 0.1 / bc1 * m[i] / (v[i].squareRoot() / bc2.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(store.values[i] - p[i]) < 1e-14) }
    }

    /// The fused update on 40 003 parameters (over the 2¹⁵ threshold, so it is cut into `Parallel`'s parts and
    /// runs 8 or 4 vector lanes with a scalar tail) equals, element for element, the scalar update written out in the
    /// same precision, through each path this CPU runs (AVX2, portable); a step that updates two sub-ranges
    /// separately gives the same result.
    @Test(arguments: ExactGEMM.Path.allCases.filter { $0 != .best && $0.available })
    func adamwFusedParallelMatchesScalar(path: ExactGEMM.Path) {
        func check<T: Real>(_: T.Type) {
            let n = 40_003
            var rng = SeededRandom(seed: 7)
            let store = ParameterStore<T>()
            let whole = ParameterStore<T>()
            _ = store.add("w", 1, n)
            _ = whole.add("w", 1, n)
            let initial = (0..<n).map { _ in T(Double.random(in: -1...1, using: &rng)) }
            store.restore(initial)
            whole.restore(initial)
            let lr = 0.01
            let wd = 0.05
            var split = AdamW<T>(parameters: n, learningRate: lr, weightDecay: wd)
            var fused = AdamW<T>(parameters: n, learningRate: lr, weightDecay: wd)
            split.path = path
            fused.path = path
            var p = initial
            var m = [T](repeating: 0, count: n)
            var v = [T](repeating: 0, count: n)
            for step in 1...3 {
                let g = (0..<n).map { _ in T(Double.random(in: -2...2, using: &rng)) }
                for i in 0..<n {
                    store.grads[i] = g[i]
                    whole.grads[i] = g[i]
                }
                fused.beginStep()
                fused.update(whole)
                split.beginStep()
                split.update(store, range: 0..<12_345)
                split.update(store, range: 12_345..<n)
                let t = Double(step)
                let decay = T(1 - lr * wd)
                let b1 = T(0.9)
                let b2 = T(0.999)
                let c1 = 1 - b1
                let c2 = 1 - b2
                let stepSize = T(lr / (1 - pow(0.9, t)))
                let inv = T(1 / (1 - pow(0.999, t)).squareRoot())
                let e = T(1e-8)
                for i in 0..<n {
                    m[i] = b1 * m[i] + c1 * g[i]
                    v[i] = b2 * v[i] + c2 * g[i] * g[i]
                    p[i] = p[i] * decay - stepSize * m[i] / (v[i].squareRoot() * inv + e)
                }
            }
            let fusedDiffers = (0..<n).filter { whole.values[$0] != p[$0] }
            let splitDiffers = (0..<n).filter { store.values[$0] != p[$0] }
            #expect(
                fusedDiffers.isEmpty,
                "\(T.precisionName) \(path): \(fusedDiffers.count) parameters differ, first \(fusedDiffers.prefix(3))")
            #expect(
                splitDiffers.isEmpty,
                "\(T.precisionName) \(path): \(splitDiffers.count) parameters differ (split update)")
        }
        check(Float.self)
        check(Double.self)
    }

    /// ReduceLROnPlateau(mode min, factor 0.5, patience 2, threshold 0.1 rel): the rate halves
    /// after more than 2 steps without a 10 % improvement.
    @Test func plateau() {
        var s = ReduceLROnPlateau(factor: 0.5, patience: 2, threshold: 0.1)
        var lr = 1.0
        var rates: [Double] = []
        for metric in [10.0, 9.5, 9.4, 9.3, 8.0, 7.9, 7.8, 7.7, 7.6] {
            s.step(metric, learningRate: &lr)
            rates.append(lr)
        }
        // 10 best; 9.5, 9.4 not < 9.0 (bad 1, 2); 9.3 bad 3 > 2 → 0.5; 8.0 < 9.0 best; 7.9, 7.8 bad; 7.7 bad 3 → 0.25.
        #expect(rates == [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25])
    }

    @Test func cosineAndEarlyStopping() {
        let c = CosineAnnealing(base: 2, periods: 4)
        #expect(
            c.learningRate(after: 0) == 2 && abs(c.learningRate(after: 2) - 1) < 1e-15
                && abs(c.learningRate(after: 4)) < 1e-15)
        var e = EarlyStopping(patience: 2)
        #expect(!e.step(5) && !e.step(4) && !e.step(4.5) && e.step(4.2))
        var n = EarlyStopping(patience: 10)
        #expect(!n.step(1) && n.step(.nan))
    }

    /// The same seed trains bit-identical weights; restore-best really restores.
    @Test func trainingIsDeterministicAndRestoresTheBest() {
        let cells = NB201Arch.all.filter { $0.code % 211 == 0 }.map(\.graph)
        let targets = cells.indices.map { Double($0 % 7) / 100 }
        var o = TrainingOptions()
        o.epochs = 5
        o.warmup = 0
        func train() -> (GCN<Double>, [EpochRecord]) {
            let g = GCN<Double>(config: .init(layers: 2, hidden: 16), seed: 3)
            let h = try! RegressionTrainer<Double>(options: o).train(
                g, train: cells, trainTargets: targets, valid: cells,
                validTargets: targets, seed: 9)
            return (g, h)
        }
        let (a, ha) = train()
        let (b, _) = train()
        #expect(a.store.snapshot() == b.store.snapshot())
        let plan = EvaluationPlan(cells, layers: 2)
        let best = ha.map(\.validLoss).min()!
        let loss = zip(a.predict(plan), targets).reduce(0.0) { $0 + abs($1.0 - $1.1) } / Double(cells.count)
        #expect(abs(loss - best) < 1e-12)
    }

    /// A training whose loss stops being a number is an error, not a predictor of NaNs.
    @Test func divergenceIsAnError() {
        let cells = NB201Arch.all.filter { $0.code % 499 == 0 }.map(\.graph)
        let targets = cells.indices.map { Double($0 % 5) }
        var o = TrainingOptions()
        o.epochs = 20
        o.warmup = 0
        o.learningRate = 1e30
        let g = GCN<Float>(config: .init(layers: 2, hidden: 16), seed: 3)
        #expect {
            _ = try RegressionTrainer<Float>(options: o).train(
                g, train: cells, trainTargets: targets, valid: cells,
                validTargets: targets, seed: 9)
        } throws: { error in
            "\(error)".contains("training diverged at epoch")
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// The per-epoch share of validation models within 1 / 5 / 10 % of their actual value (Figure S4's y-axis).
@Suite struct ValidWithinTests {
    @Test func sharesUseTheActualScale() {
        // Normalised targets 0.5 and 1.0 on a 50–100 scale: actual 75 and 100.
        let actual: (Double) -> Double = { 50 + $0 * 50 }
        // Predictions 0.51 (75.5: 0.67 % off) and 0.9 (95: 5 % off).
        let w = RegressionTrainer<Double>.within([0.51, 0.9], [0.5, 1.0], actual)
        #expect(w == [50, 100, 100])
    }
}
