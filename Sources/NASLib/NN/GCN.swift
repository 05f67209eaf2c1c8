import Foundation

public struct GCNConfig: Sendable, Equatable, Codable {
    public var features = 6
    public var layers = 4
    public var hidden = 600
    public var dropout = 0.002
    public init(features: Int = 6, layers: Int = 4, hidden: Int = 600, dropout: Double = 0.002) {
        self.features = features
        self.layers = layers
        self.hidden = hidden
        self.dropout = dropout
    }
}

/// What the readout feeds: a regression (1 output), the binary relation predictor
/// (two embeddings → 2 logits → log-softmax), or its one-way ablation (→ 1 logit → sigmoid).
public enum GCNHead: String, Sendable, Codable {
    case regression
    case pairwise
    case oneway
}

/// The GCN of BRP-NAS (seed S1.2; eagle's `GCN`): `layers` graph convolutions of `hidden` units,
/// each followed by LayerNorm, ReLU and dropout; the readout is the global node's row of the
/// last layer; a head maps it to the output.
///
/// Initialisation ("thomas", as eagle): every graph-convolution weight (in × out) and bias drawn
/// from U(±1/√out) — eagle uses the tensor's last dimension; LayerNorm γ = 1, β = 0; the head
/// keeps PyTorch's Linear default, U(±1/√in).
// Sendable, unchecked: parallel parts of a pass read shared weights and write disjoint rows of their own outputs.
public final class GCN<T: Real>: @unchecked Sendable {
    public typealias Config = GCNConfig
    public typealias Head = GCNHead

    public let config: Config
    public let head: Head
    public let store = ParameterStore<T>()
    let convs: [GraphConvolution<T>]
    let blocks: [NormReLUDropout<T>]
    let linear: Linear<T>

    public init(config: Config, head: Head = .regression, seed: Int) {
        self.config = config
        self.head = head
        var convs: [GraphConvolution<T>] = []
        var norms: [LayerNorm<T>] = []
        for l in 0..<config.layers {
            let inputs = l == 0 ? config.features : config.hidden
            let w = store.add("gc\(l).weight", inputs, config.hidden)
            let b = store.add("gc\(l).bias", 1, config.hidden)
            convs.append(GraphConvolution(inputs: inputs, outputs: config.hidden, weight: w, bias: b))
            let g = store.add("ln\(l).gamma", 1, config.hidden)
            let be = store.add("ln\(l).beta", 1, config.hidden)
            norms.append(LayerNorm(features: config.hidden, gamma: g, beta: be))
        }
        let headInputs = head == .regression ? config.hidden : 2 * config.hidden
        let headOutputs = head == .pairwise ? 2 : 1
        let hw = store.add("head.weight", headInputs, headOutputs)
        let hb = store.add("head.bias", 1, headOutputs)
        linear = Linear(inputs: headInputs, outputs: headOutputs, weight: hw, bias: hb)
        self.convs = convs
        blocks = norms.map { NormReLUDropout(norm: $0, p: config.dropout) }
        var rng = SeededRandom(seed: seed)
        resetParameters(&rng)
    }

    func resetParameters(_ rng: inout SeededRandom) {
        let thomas = T(1 / Double(config.hidden).squareRoot())
        for (c, block) in zip(convs, blocks) {
            store.uniform(c.weight, bound: thomas, &rng)
            store.uniform(c.bias, bound: thomas, &rng)
            store.fill(block.norm.gamma, 1)
        }
        resetHead(&rng)
    }

    /// Re-draws the head (transfer learning keeps the body).
    public func resetHead(_ rng: inout SeededRandom) {
        let bound = T(1 / Double(linear.inputs).squareRoot())
        store.uniform(linear.weight, bound: bound, &rng)
        store.uniform(linear.bias, bound: bound, &rng)
    }

    /// The body's parameters (everything but the head), for transfer between predictors.
    public var bodyCount: Int { linear.weight.offset }

    // MARK: Training passes

    struct BodyCache {
        var convs: [GraphConvolution<T>.Cache] = []
        var blocks: [NormReLUDropout<T>.Cache] = []
    }

    /// Training-mode forward of the body: the global-node embeddings (graphs × hidden).
    func embedTraining(_ g: GraphBatch, _ rng: inout SeededRandom) -> (Matrix<T>, BodyCache) {
        var cache = BodyCache()
        var x = g.featureMatrix(T.self)
        var dropRNG: SeededRandom? = rng
        let p = UnsafePointer(store.values)
        for l in 0..<config.layers {
            let (y, cc) = convs[l].forward(x, g, p, globalOnly: l == config.layers - 1)
            let (z, bc) = blocks[l].forward(y, p, &dropRNG)
            cache.convs.append(cc)
            cache.blocks.append(bc)
            x = z
        }
        rng = dropRNG!
        return (x, cache)
    }

    /// The parameters of layer l (convolution and LayerNorm), one contiguous range.
    func layerRange(_ l: Int) -> Range<Int> { convs[l].weight.offset..<(blocks[l].norm.beta.range.upperBound) }
    var headRange: Range<Int> { linear.weight.offset..<linear.bias.range.upperBound }

    /// Backward through the body from the embeddings' gradient. Weight gradients are written
    /// (or added, with `accumulate`); bias and LayerNorm gradients are always added, so a step
    /// starts with `beginStep()`. `layerDone(range)` is called as soon as a layer's gradients are
    /// final and its weights are no longer needed by the pass (an optimiser may update it then,
    /// while its data is still in cache).
    func backwardBody(
        _ dEmbedding: Matrix<T>, _ cache: BodyCache, _ g: GraphBatch, accumulate: Bool = false,
        layerDone: ((Range<Int>) -> Void)? = nil
    ) {
        var dx = dEmbedding
        let p = UnsafePointer(store.values)
        let grad = store.grads
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            let dy = blocks[l].backward(dx, cache.blocks[l], p, grad)
            let next = convs[l].backward(dy, cache.convs[l], g, p, grad, needInput: l > 0, accumulate: accumulate)
            layerDone?(layerRange(l))
            guard let n = next else { break }
            dx = n
        }
    }

    /// Zeroes the gradients that backward passes add to (biases, LayerNorm); weight gradients
    /// are overwritten by the first backward pass of a step.
    public func beginStep() {
        for s in store.slices where !s.name.hasSuffix(".weight") { store.zeroGrads(s.range) }
    }

    /// Head forward (training and evaluation alike; the head has no dropout).
    func headForward(_ input: Matrix<T>) -> (Matrix<T>, Linear<T>.Cache) {
        linear.forward(input, UnsafePointer(store.values))
    }

    func headBackward(_ dy: Matrix<T>, _ cache: Linear<T>.Cache, accumulate: Bool = false) -> Matrix<T> {
        linear.backward(dy, cache, UnsafePointer(store.values), store.grads, accumulate: accumulate)
    }

    /// One regression step: loss and gradients (the step's own, from `beginStep()`): L1 (sum) or
    /// MSE (sum). With `update`, each part of the model is handed to it as soon as its gradients
    /// are final (head first, then layers from the last).
    public func regressionStep(
        _ g: GraphBatch, targets: [T], mse: Bool = false, _ rng: inout SeededRandom,
        update: ((Range<Int>) -> Void)? = nil
    ) -> T {
        precondition(head == .regression, "regression step on a \(head) GCN")
        beginStep()
        let (emb, bc) = embedTraining(g, &rng)
        let (out, hc) = headForward(emb)
        let (loss, dout) = mse ? Loss.mse(out, targets) : Loss.l1(out, targets)
        let demb = headBackward(dout, hc)
        update?(headRange)
        backwardBody(demb, bc, g, layerDone: update)
        return loss
    }
}

extension GCN {
    /// How a pair predictor is trained (Figure S8): the binary relation predictor (2 logits,
    /// log-softmax, KL divergence to softmax([a1, a2])), or a 1-way sigmoid with soft labels
    /// (a1 − a2 + 1)/2 or hard 0/1 labels (binary cross-entropy).
    public enum PairLoss: String, Sendable, Codable, CaseIterable {
        case pairwise
        case soft
        case hard
    }

    /// The head's input for pairs: rows [e_i, e_j] of the embeddings (pairs.count × 2·hidden).
    func pairInputs(_ e: Matrix<T>, _ pairs: [(Int, Int)]) -> Matrix<T> {
        let h = config.hidden
        var c = Matrix<T>(uninitialized: pairs.count, 2 * h)
        e.data.withUnsafeBufferPointer { ep in
            c.data.withUnsafeMutableBufferPointer { cp in
                for (p, (i, j)) in pairs.enumerated() {
                    (cp.baseAddress! + p * 2 * h).update(from: ep.baseAddress! + i * h, count: h)
                    (cp.baseAddress! + p * 2 * h + h).update(from: ep.baseAddress! + j * h, count: h)
                }
            }
        }
        return c
    }

    /// Targets for pairs of (normalised) accuracies, per loss.
    static func pairTargets(_ a: [Double], _ pairs: [(Int, Int)], _ loss: PairLoss) -> [T] {
        var t: [T] = []
        for (i, j) in pairs {
            switch loss {
            case .pairwise:
                let m = max(a[i], a[j])
                let e1 = Foundation.exp(a[i] - m)
                let e2 = Foundation.exp(a[j] - m)
                t += [T(e1 / (e1 + e2)), T(e2 / (e1 + e2))]
            case .soft: t.append(T((a[i] - a[j] + 1) / 2))
            case .hard: t.append(a[i] > a[j] ? 1 : 0)
            }
        }
        return t
    }

    /// Loss of the head on pair inputs, its cache, and the loss gradient with respect to the
    /// head's outputs (logits).
    func pairHead(_ c: Matrix<T>, _ targets: [T], _ loss: PairLoss) -> (T, Linear<T>.Cache, Matrix<T>) {
        precondition(head != .regression, "pair training on a regression GCN")
        let (logits, hc) = headForward(c)
        switch loss {
        case .pairwise:
            let y = Softmax.logSoftmax(logits)
            let (l, g) = Loss.kl(y, targets)
            return (l, hc, Softmax.logSoftmaxBackward(g, y))
        case .soft, .hard:
            let (l, g) = Loss.bceWithLogits(logits, targets)
            return (l, hc, g)
        }
    }

    /// One step on pairs of graphs of a batch: the batch's graphs are embedded once (each row its
    /// own forward pass and dropout), every pair (i, j) feeds [e_i, e_j] to the head, and the
    /// gradients of the shared embeddings are summed. `accuracies` are aligned with the batch.
    public func pairStep(
        _ g: GraphBatch, pairs: [(Int, Int)], accuracies: [Double], loss: PairLoss,
        _ rng: inout SeededRandom, update: ((Range<Int>) -> Void)? = nil
    ) -> T {
        beginStep()
        let (emb, bc) = embedTraining(g, &rng)
        let (l, hc, dlogits) = pairHead(pairInputs(emb, pairs), GCN.pairTargets(accuracies, pairs, loss), loss)
        let h = config.hidden
        let dc = headBackward(dlogits, hc)
        update?(headRange)
        var de = Matrix<T>(zeros: emb.rows, h)
        dc.data.withUnsafeBufferPointer { dp in
            de.data.withUnsafeMutableBufferPointer { ep in
                for (p, (i, j)) in pairs.enumerated() {
                    let src = dp.baseAddress! + p * 2 * h
                    let a = ep.baseAddress! + i * h
                    let b = ep.baseAddress! + j * h
                    for k in 0..<h {
                        a[k] += src[k]
                        b[k] += src[h + k]
                    }
                }
            }
        }
        backwardBody(de, bc, g, layerDone: update)
        return l
    }

    /// The pair scores of the head as two per-model parts: for the pairwise head,
    /// logit0 − logit1 of (i, j) = first[i] + second[j] + bias (positive: i is better); for the
    /// one-way head, the logit itself. Linear in the embeddings, so ranking needs no pair forward.
    public func pairScoreParts(_ e: Matrix<T>) -> (first: [Double], second: [Double], bias: Double) {
        let h = config.hidden
        let w = store.values + linear.weight.offset
        let b = store.values + linear.bias.offset
        let outs = linear.outputs
        // The score's coefficient per embedding column of the first and the second model.
        let coef = (0..<(2 * h)).map { k in
            outs == 2 ? Double(w[k * outs]) - Double(w[k * outs + 1]) : Double(w[k * outs])
        }
        var first = [Double](repeating: 0, count: e.rows)
        var second = [Double](repeating: 0, count: e.rows)
        e.data.withUnsafeBufferPointer { ep in
            for r in 0..<e.rows {
                let row = ep.baseAddress! + r * h
                var s1 = 0.0
                var s2 = 0.0
                for k in 0..<h {
                    s1 += Double(row[k]) * coef[k]
                    s2 += Double(row[k]) * coef[h + k]
                }
                first[r] = s1
                second[r] = s2
            }
        }
        let bias = outs == 2 ? Double(b[0]) - Double(b[1]) : Double(b[0])
        return (first, second, bias)
    }
}
