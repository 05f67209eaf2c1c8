import Testing

@testable import NASLib

/// Finite-difference gradient checks (central differences in float64) for every layer and for
/// the whole GCN; and a deliberately wrong backward pass that the check must catch.
@Suite struct GradientCheckTests {
    static let cells: [CellGraph] = [
        [3, 3, 3, 3, 3, 3], [4, 2, 1, 2, 1, 1], [1, 0, 1, 0, 0, 1], [2, 3, 0, 0, 0, 3], [0, 0, 0, 0, 0, 0],
    ]
    .map { try! NB201Arch(vector: $0).graph }

    /// max over checked entries of |analytic − numeric| / max(floor, |analytic| + |numeric|)
    /// (the floor keeps finite-difference noise on tiny gradients from counting as error).
    static func worst(_ analytic: [Double], _ numeric: [Double], floor: Double = 1e-6) -> Double {
        zip(analytic, numeric).map { abs($0 - $1) / max(floor, abs($0) + abs($1)) }.max() ?? 0
    }

    static func random(_ rows: Int, _ cols: Int, _ rng: inout SeededRandom) -> Matrix<Double> {
        Matrix(rows: rows, cols: cols, data: (0..<(rows * cols)).map { _ in rng.uniform(-1, 1) })
    }

    /// Numeric gradient of `f` with respect to `x` at the given indices.
    static func numeric(_ x: [Double], at indices: [Int], _ f: ([Double]) -> Double) -> [Double] {
        let h = 1e-6
        return indices.map { i in
            var plus = x
            var minus = x
            plus[i] += h
            minus[i] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    static func dot(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
        zip(a.data, b.data).reduce(0) { $0 + $1.0 * $1.1 }
    }

    // MARK: Layers

    @Test(arguments: [false, true]) func graphConvolution(globalOnly: Bool) {
        var rng = SeededRandom(seed: 1)
        let store = ParameterStore<Double>()
        let w = store.add("w", 4, 3)
        let b = store.add("b", 1, 3)
        store.uniform(w, bound: 1, &rng)
        store.uniform(b, bound: 1, &rng)
        let layer = GraphConvolution<Double>(inputs: 4, outputs: 3, weight: w, bias: b)
        let g = GraphBatch(Self.cells)
        let x = Self.random(g.rows, 4, &rng)
        let r = Self.random(globalOnly ? g.graphs : g.rows, 3, &rng)
        let values = store.snapshot()
        func loss(_ params: [Double], _ input: Matrix<Double>) -> Double {
            params.withUnsafeBufferPointer {
                Self.dot(layer.forward(input, g, $0.baseAddress!, globalOnly: globalOnly).0, r)
            }
        }
        let (_, cache) = layer.forward(x, g, store.values, globalOnly: globalOnly)
        let dx = layer.backward(r, cache, g, store.values, store.grads, needInput: true)!
        let pIdx = Array(0..<store.count)
        #expect(Self.worst(pIdx.map { store.grads[$0] }, Self.numeric(values, at: pIdx) { loss($0, x) }) < 1e-6)
        let xIdx = Array(stride(from: 0, to: x.data.count, by: 7))
        let numX = Self.numeric(x.data, at: xIdx) { loss(values, Matrix(rows: x.rows, cols: 4, data: $0)) }
        #expect(Self.worst(xIdx.map { dx.data[$0] }, numX) < 1e-6)
    }

    func normBlock(_ p: Double) -> (ParameterStore<Double>, NormReLUDropout<Double>) {
        var rng = SeededRandom(seed: 2)
        let store = ParameterStore<Double>()
        let gm = store.add("g", 1, 13)
        let bt = store.add("b", 1, 13)
        store.uniform(gm, bound: 2, &rng)
        store.uniform(bt, bound: 1, &rng)
        return (store, NormReLUDropout(norm: LayerNorm(features: 13, gamma: gm, beta: bt), p: p))
    }

    /// LayerNorm → ReLU → dropout; the dropout mask is redrawn from the same seed in every
    /// evaluation, so it is fixed.
    @Test(arguments: [0.0, 0.3]) func normReLUDropout(p: Double) {
        let (store, block) = normBlock(p)
        var rng = SeededRandom(seed: 3)
        let x = Self.random(5, 13, &rng)
        let r = Self.random(5, 13, &rng)
        func forward(_ params: UnsafePointer<Double>, _ x: Matrix<Double>) -> (
            Matrix<Double>, NormReLUDropout<Double>.Cache
        ) {
            var mask: SeededRandom? = SeededRandom(seed: 99)
            return block.forward(x, params, &mask)
        }
        let err = Self.check(
            store, x, r, forward: { forward($0, $1).0 },
            backward: { params, g, x in
                block.backward(r, forward(params, x).1, params, g)
            })
        #expect(err < 1e-6)
    }

    /// The same block's backward with the x̂·Σ(dx̂·x̂) term left out: the check must reject it.
    @Test func wrongBackwardIsCaught() {
        let (store, block) = normBlock(0)
        var rng = SeededRandom(seed: 3)
        let x = Self.random(5, 13, &rng)
        let r = Self.random(5, 13, &rng)
        let gamma = block.norm.gamma.offset
        let err = Self.check(
            store, x, r,
            forward: { params, x in
                var none: SeededRandom? = nil
                return block.forward(x, params, &none).0
            },
            backward: { params, g, x in
                var none: SeededRandom? = nil
                let cache = block.forward(x, params, &none).1
                var dx = r
                for row in 0..<5 {
                    var sum = 0.0
                    for k in 0..<13 { sum += r[row, k] * cache.gate(row, k) * params[gamma + k] }
                    for k in 0..<13 {
                        dx[row, k] =
                            cache.rstd[row] / 13 * (13 * r[row, k] * cache.gate(row, k) * params[gamma + k] - sum)
                    }
                }
                return dx
            })
        #expect(err > 1e-2)
    }

    @Test func linear() {
        var rng = SeededRandom(seed: 3)
        let store = ParameterStore<Double>()
        let w = store.add("w", 6, 4)
        let b = store.add("b", 1, 4)
        store.uniform(w, bound: 1, &rng)
        store.uniform(b, bound: 1, &rng)
        let lin = Linear<Double>(inputs: 6, outputs: 4, weight: w, bias: b)
        let x = Self.random(5, 6, &rng)
        let r = Self.random(5, 4, &rng)
        let err = Self.check(
            store, x, r, forward: { lin.forward($1, $0).0 },
            backward: { p, g, x in
                lin.backward(r, lin.forward(x, p).1, p, g)
            })
        #expect(err < 1e-6)
    }

    @Test func losses() {
        var rng = SeededRandom(seed: 4)
        let p = Self.random(6, 2, &rng)
        let t = (0..<12).map { _ in rng.uniform(-1, 1) }
        let probs = (0..<12).map { _ in rng.uniform(0.05, 0.95) }
        let idx = Array(0..<12)
        func softTargets() -> [Double] {  // each row a distribution
            var out = [Double]()
            for r in 0..<6 {
                let a = probs[2 * r]
                let s = a + probs[2 * r + 1]
                out += [a / s, probs[2 * r + 1] / s]
            }
            return out
        }
        let soft = softTargets()
        let checks: [(Matrix<Double>) -> (Double, Matrix<Double>)] = [
            { Loss.l1($0, t) }, { Loss.mse($0, t) },
            { x in
                let y = Softmax.logSoftmax(x)
                let (l, g) = Loss.kl(y, soft)
                return (l, Softmax.logSoftmaxBackward(g, y))
            },
            { Loss.bceWithLogits($0, probs) },
        ]
        for f in checks {
            let analytic = f(p).1.data
            let numeric = Self.numeric(p.data, at: idx) { f(Matrix(rows: 6, cols: 2, data: $0)).0 }
            #expect(Self.worst(analytic, numeric) < 1e-6)
        }
    }

    /// Hard 0/1 labels push the logits far out; in float32 σ(x) is exactly 1 from x ≈ 17, and
    /// BCE through the probability was 0/0 there (the weights became NaN in Figure S8's runs).
    @Test func bceStaysFiniteWhenTheSigmoidSaturates() {
        let x = Matrix<Float>(rows: 4, cols: 1, data: [40, 40, -40, -40])
        let (l, g) = Loss.bceWithLogits(x, [1, 0, 1, 0])
        #expect(l.isFinite && abs(l - 80) < 1e-3)
        #expect(zip(g.data, [0, 1, -1, 0] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    /// Checks parameter and input gradients of a layer with loss Σ forward(x) ⊙ r.
    static func check(
        _ store: ParameterStore<Double>, _ x: Matrix<Double>, _ r: Matrix<Double>,
        forward: (UnsafePointer<Double>, Matrix<Double>) -> Matrix<Double>,
        backward: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Matrix<Double>) -> Matrix<Double>
    ) -> Double {
        store.zeroGrads()
        let dx = backward(store.values, store.grads, x)
        let grads = store.gradients
        let values = store.snapshot()
        func loss(_ params: [Double], _ input: Matrix<Double>) -> Double {
            params.withUnsafeBufferPointer { dot(forward($0.baseAddress!, input), r) }
        }
        let pIdx = Array(0..<store.count)
        let e1 = worst(grads, numeric(values, at: pIdx) { loss($0, x) })
        let xIdx = Array(0..<x.data.count)
        let e2 = worst(
            dx.data, numeric(x.data, at: xIdx) { loss(values, Matrix(rows: x.rows, cols: x.cols, data: $0)) })
        return max(e1, e2)
    }

    // MARK: The whole GCN

    @Test(arguments: [0.0, 0.2]) func wholeGCN(dropout: Double) {
        let gcn = GCN<Double>(config: .init(layers: 3, hidden: 8, dropout: dropout), seed: 5)
        let g = GraphBatch(Self.cells)
        let targets = [0.3, -0.2, 0.9, 0.1, -0.5]
        let saved = gcn.store.snapshot()
        func loss(_ params: [Double]) -> Double {
            gcn.store.restore(params)
            defer { gcn.store.restore(saved) }
            var rng = SeededRandom(seed: 11)
            let (emb, _) = gcn.embedTraining(g, &rng)
            return Loss.mse(gcn.headForward(emb).0, targets).0
        }
        var rng = SeededRandom(seed: 11)
        _ = gcn.regressionStep(g, targets: targets, mse: true, &rng)
        let idx = Array(stride(from: 0, to: gcn.store.count, by: 3))
        let analytic = idx.map { gcn.store.grads[$0] }
        let numeric = Self.numeric(saved, at: idx, loss)
        #expect(Self.worst(analytic, numeric, floor: 1e-4) < 1e-5)
    }

    /// The evaluation plan (distinct rows only) computes the same function as the plain pass.
    @Test func evaluationPlanMatchesThePlainForward() {
        let gcn = GCN<Double>(config: .init(layers: 4, hidden: 16, dropout: 0), seed: 6)
        let cells = NB201Arch.all.filter { $0.code % 53 == 0 }.map(\.graph)
        var rng = SeededRandom(seed: 0)
        let plain = gcn.headForward(gcn.embedTraining(GraphBatch(cells), &rng).0).0.data
        let plan = EvaluationPlan(cells, layers: 4)
        let fast = gcn.predict(plan)
        #expect(zip(plain, fast).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($0)) })
        #expect(plan.distinctRows[0] < cells.count * 9)
    }
}

/// Predicting the whole NB201 space from its plan, at the predictors' real size and precision.
@Suite struct SpacePredictionTests {
    /// The plan's float32 predictions of all 15625 models (distinct rows only, in scratch buffers) are within 1e-6
    /// relative of the same function computed in float64, as the plain float32 pass (every row, the path training
    /// uses) is; checked on a sample of 625 models. (The two float32 paths sum in different orders, so each differs
    /// from the exact value by its own rounding: about 5e-7 and 9e-7 here.)
    @Test func wholeSpaceInFloat32IsAsExactAsThePlainPass() {
        let gcn = GCN<Float>(config: .init(dropout: 0), seed: 4)
        let all = gcn.predict(EvaluationPlan.nb201(layers: 4))
        #expect(all.count == 15625)
        let sample = Array(stride(from: 0, to: 15625, by: 25))
        let batch = GraphBatch(sample.map { NB201Arch.all[$0].graph })
        var rng = SeededRandom(seed: 0)
        let plain = gcn.headForward(gcn.embedTraining(batch, &rng).0).0.data
        let exact = GCN<Double>(config: .init(dropout: 0), seed: 4)
        exact.store.restore(gcn.store.snapshot().map(Double.init))
        let truth = exact.headForward(exact.embedTraining(batch, &rng).0).0.data
        // Relative to each output; outputs within 1 % of zero are measured against 1 % of the largest (an untrained
        // head's outputs straddle zero; a trained latency predictor's do not).
        let scale = truth.map(abs).max()!
        func worst(_ values: [Float]) -> Double {
            zip(values, truth).map { abs(Double($0) - $1) / max(abs($1), 0.01 * scale) }.max()!
        }
        #expect(worst(sample.map { all[$0] }) <= 1e-6)
        #expect(worst(plain) <= 1e-6)
        // Graphs the encoding makes identical share their rows: fewer distinct graphs than models.
        #expect(EvaluationPlan.nb201(layers: 4).distinctRows.last! < 15625)
    }
}

/// The pair step (binary relation predictor): its loss and gradients, for every pair loss.
@Suite struct PairGradientCheckTests {
    @Test(arguments: GCN<Double>.PairLoss.allCases) func pairStep(loss: GCN<Double>.PairLoss) {
        let gcn = GCN<Double>(
            config: .init(layers: 2, hidden: 6, dropout: 0.1), head: loss == .pairwise ? .pairwise : .oneway, seed: 5)
        let g = GraphBatch(GradientCheckTests.cells)
        let pairs = [(0, 1), (1, 0), (2, 4), (3, 1), (4, 2)]
        let acc = [0.7, 0.2, 0.9, 0.4, 0.55]
        let saved = gcn.store.snapshot()
        func lossAt(_ params: [Double]) -> Double {
            gcn.store.restore(params)
            defer { gcn.store.restore(saved) }
            var rng = SeededRandom(seed: 3)
            let (e, _) = gcn.embedTraining(g, &rng)
            return gcn.pairHead(gcn.pairInputs(e, pairs), GCN.pairTargets(acc, pairs, loss), loss).0
        }
        var rng = SeededRandom(seed: 3)
        let l = gcn.pairStep(g, pairs: pairs, accuracies: acc, loss: loss, &rng)
        #expect(l.isFinite)
        let idx = Array(stride(from: 0, to: gcn.store.count, by: 2))
        let analytic = idx.map { gcn.store.grads[$0] }
        #expect(
            GradientCheckTests.worst(analytic, GradientCheckTests.numeric(saved, at: idx, lossAt), floor: 1e-4) < 1e-5)
    }
}
