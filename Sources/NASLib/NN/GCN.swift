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
        var convs: [GraphConvolution<T>] = [], norms: [LayerNorm<T>] = []
        for l in 0..<config.layers {
            let inputs = l == 0 ? config.features : config.hidden
            let w = store.add("gc\(l).weight", inputs, config.hidden), b = store.add("gc\(l).bias", 1, config.hidden)
            convs.append(GraphConvolution(inputs: inputs, outputs: config.hidden, weight: w, bias: b))
            let g = store.add("ln\(l).gamma", 1, config.hidden), be = store.add("ln\(l).beta", 1, config.hidden)
            norms.append(LayerNorm(features: config.hidden, gamma: g, beta: be))
        }
        let headInputs = head == .regression ? config.hidden : 2 * config.hidden
        let headOutputs = head == .pairwise ? 2 : 1
        let hw = store.add("head.weight", headInputs, headOutputs), hb = store.add("head.bias", 1, headOutputs)
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
    func backwardBody(_ dEmbedding: Matrix<T>, _ cache: BodyCache, _ g: GraphBatch, accumulate: Bool = false,
                      layerDone: ((Range<Int>) -> Void)? = nil) {
        var dx = dEmbedding
        let p = UnsafePointer(store.values), grad = store.grads
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
    public func regressionStep(_ g: GraphBatch, targets: [T], mse: Bool = false, _ rng: inout SeededRandom,
                               update: ((Range<Int>) -> Void)? = nil) -> T {
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
