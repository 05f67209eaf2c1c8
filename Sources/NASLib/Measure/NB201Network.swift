/// The NAS-Bench-201 CIFAR network of one cell, built for timing batch-1 inference on this CPU (the native
/// backend of `measure`): a 3×3 stem convolution with batch norm, 3 stacks of `cellsPerStack` cells at
/// C, 2C, 4C channels with a residual reduction block between stacks, a final batch norm and ReLU, global
/// average pooling and a linear classifier. Weights are random (seeded); latency does not depend on them.
///
/// Layers follow NAS-Bench-201's definitions: a cell's conv edge is ReLU → conv (no bias) → BN; its pool edge
/// a 3×3 average pool (stride 1, padding 1, padding not counted); `none` contributes zeros, `skip` the input;
/// a node is the sum of its incoming edges. The reduction block is ReLU-conv3×3(stride 2)-BN, ReLU-conv3×3-BN,
/// plus a shortcut of a 2×2 average pool and a 1×1 conv. Every BN that follows a conv is folded into the conv
/// (scaled weights and a bias), as inference engines do; the final BN, which follows a sum, is applied as a
/// per-channel scale and shift.
///
/// Feature maps are channel-major (C×H×W) float32; a convolution is an im2col gather (with the preceding ReLU
/// fused in) and one GEMM through BLAS.
public final class NB201Network: @unchecked Sendable {
    public struct Shape: Hashable, Sendable {
        public var channels: Int
        public var cellsPerStack: Int
        public var inputSize: Int
        public var classes: Int

        /// The NB201 network for a dataset: 16 channels, 5 cells per stack, its input size and class count.
        public init(dataset: Benchmark.Dataset) {
            self.init(channels: 16, cellsPerStack: 5, inputSize: dataset.inputSize, classes: dataset.classes)
        }

        public init(channels: Int, cellsPerStack: Int, inputSize: Int, classes: Int) {
            self.channels = channels
            self.cellsPerStack = cellsPerStack
            self.inputSize = inputSize
            self.classes = classes
        }
    }

    /// One cell edge as built: its op and, for a conv, the layer.
    public struct Edge: Sendable {
        public let from: Int
        public let to: Int
        public let op: NB201Op
        public let conv: Conv2D?
    }

    public enum Block: Sendable {
        case cell([Edge])
        case reduction(a: Conv2D, b: Conv2D, shortcut: Conv2D)
    }

    public let arch: NB201Arch
    public let shape: Shape
    public let stem: Conv2D
    public let blocks: [Block]
    /// The final BN as a per-channel scale and shift.
    public let finalScale: [Float]
    public let finalShift: [Float]
    /// Classifier weights (classes × channels) and biases.
    public let classifier: [Float]
    public let classifierBias: [Float]

    public init(_ arch: NB201Arch, shape: Shape, seed: Int = 0) {
        precondition(
            shape.channels > 0 && shape.cellsPerStack >= 0 && shape.inputSize >= 4 && shape.inputSize % 4 == 0
                && shape.classes > 0,
            "NB201Network: bad shape \(shape)")
        var rng = SeededRandom(seed: seed)
        self.arch = arch
        self.shape = shape
        var c = shape.channels
        stem = Conv2D(cin: 3, cout: c, k: 3, stride: 1, relu: false, bn: true, rng: &rng)
        var blocks: [Block] = []
        for stage in 0..<3 {
            if stage > 0 {
                let next = 2 * c
                blocks.append(
                    .reduction(
                        a: Conv2D(cin: c, cout: next, k: 3, stride: 2, relu: true, bn: true, rng: &rng),
                        b: Conv2D(cin: next, cout: next, k: 3, stride: 1, relu: true, bn: true, rng: &rng),
                        shortcut: Conv2D(cin: c, cout: next, k: 1, stride: 1, relu: false, bn: false, rng: &rng)))
                c = next
            }
            for _ in 0..<shape.cellsPerStack {
                let edges = arch.ops.enumerated().map { e, op -> Edge in
                    let (from, to) = NB201Arch.edges[e]
                    let k = op == .conv3x3 ? 3 : 1
                    let conv =
                        op == .conv1x1 || op == .conv3x3
                        ? Conv2D(cin: c, cout: c, k: k, stride: 1, relu: true, bn: true, rng: &rng) : nil
                    return Edge(from: from, to: to, op: op, conv: conv)
                }
                blocks.append(.cell(edges))
            }
        }
        self.blocks = blocks
        let bn = BatchNorm(channels: c, rng: &rng)
        finalScale = bn.scale
        finalShift = bn.shift
        let bound = 1 / Double(c).squareRoot()
        classifier = (0..<(shape.classes * c)).map { _ in Float(rng.uniform(-bound, bound)) }
        classifierBias = (0..<shape.classes).map { _ in Float(rng.uniform(-bound, bound)) }
    }

    /// A deterministic input image (3 × size × size, uniform in [-1, 1)).
    public func input(seed: Int = 1) -> FeatureMap {
        var rng = SeededRandom(seed: seed)
        let n = shape.inputSize
        return FeatureMap(c: 3, h: n, w: n, data: (0..<(3 * n * n)).map { _ in Float(rng.uniform(-1, 1)) })
    }

    /// The logits for one image; `flops` counts the work executed, layer by layer, by fvcore's conventions (the
    /// ones `NB201Cost` uses): a conv k·k·C_in·C_out per output position, a BN 2 per element (a folded BN
    /// included), global pooling 1 per input element, the classifier in·out.
    public func forward(_ x: FeatureMap, flops: inout Int) -> [Float] {
        precondition(
            x.c == 3 && x.h == shape.inputSize && x.w == shape.inputSize, "NB201Network: input \(x.c)×\(x.h)×\(x.w)")
        var scratch: [Float] = []
        var h = stem.apply(x, scratch: &scratch, flops: &flops)
        for block in blocks {
            switch block {
            case .cell(let edges):
                h = Self.cell(edges, h, scratch: &scratch, flops: &flops)
            case .reduction(let a, let b, let shortcut):
                let main = b.apply(a.apply(h, scratch: &scratch, flops: &flops), scratch: &scratch, flops: &flops)
                var side = shortcut.apply(h.averagePool2x2(), scratch: &scratch, flops: &flops)
                side.add(main)
                h = side
            }
        }
        let c = h.c
        let hw = h.h * h.w
        var pooled = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            let (s, t) = (finalScale[ch], finalShift[ch])
            var sum: Float = 0
            for i in (ch * hw)..<((ch + 1) * hw) { sum += max(0, h.data[i] * s + t) }
            pooled[ch] = sum / Float(hw)
        }
        flops += 2 * c * hw + c * hw
        var logits = classifierBias
        for k in 0..<shape.classes {
            var sum: Float = 0
            for ch in 0..<c { sum += classifier[k * c + ch] * pooled[ch] }
            logits[k] += sum
        }
        flops += c * shape.classes
        return logits
    }

    public func forward(_ x: FeatureMap) -> [Float] {
        var flops = 0
        return forward(x, flops: &flops)
    }

    static func cell(_ edges: [Edge], _ x: FeatureMap, scratch: inout [Float], flops: inout Int) -> FeatureMap {
        var nodes: [FeatureMap] = [x]
        for j in 1...3 {
            var node = FeatureMap(c: x.c, h: x.h, w: x.w, data: [Float](repeating: 0, count: x.data.count))
            for edge in edges where edge.to == j {
                switch edge.op {
                case .none: break
                case .skip: node.add(nodes[edge.from])
                case .avgpool: node.add(nodes[edge.from].averagePool3x3())
                case .conv1x1, .conv3x3: node.add(edge.conv!.apply(nodes[edge.from], scratch: &scratch, flops: &flops))
                }
            }
            nodes.append(node)
        }
        return nodes[3]
    }
}

/// A C×H×W float32 feature map (one image).
public struct FeatureMap: Equatable, Sendable {
    public let c: Int
    public let h: Int
    public let w: Int
    public var data: [Float]

    public init(c: Int, h: Int, w: Int, data: [Float]) {
        precondition(data.count == c * h * w, "FeatureMap: \(data.count) values for \(c)×\(h)×\(w)")
        self.c = c
        self.h = h
        self.w = w
        self.data = data
    }

    public subscript(ch: Int, y: Int, x: Int) -> Float { data[(ch * h + y) * w + x] }

    public mutating func add(_ other: FeatureMap) {
        precondition(other.c == c && other.h == h && other.w == w, "FeatureMap.add: shapes differ")
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }

    /// 3×3 average pool, stride 1, padding 1, padding not counted (PyTorch's `count_include_pad=False`).
    public func averagePool3x3() -> FeatureMap {
        var out = [Float](repeating: 0, count: data.count)
        for ch in 0..<c {
            for y in 0..<h {
                let y0 = max(0, y - 1)
                let y1 = min(h - 1, y + 1)
                for x in 0..<w {
                    let x0 = max(0, x - 1)
                    let x1 = min(w - 1, x + 1)
                    var sum: Float = 0
                    for yy in y0...y1 { for xx in x0...x1 { sum += data[(ch * h + yy) * w + xx] } }
                    out[(ch * h + y) * w + x] = sum / Float((y1 - y0 + 1) * (x1 - x0 + 1))
                }
            }
        }
        return FeatureMap(c: c, h: h, w: w, data: out)
    }

    /// 2×2 average pool, stride 2 (odd trailing rows and columns dropped, as PyTorch does).
    public func averagePool2x2() -> FeatureMap {
        let oh = h / 2
        let ow = w / 2
        var out = [Float](repeating: 0, count: c * oh * ow)
        for ch in 0..<c {
            for y in 0..<oh {
                for x in 0..<ow {
                    let base = (ch * h + 2 * y) * w + 2 * x
                    out[(ch * oh + y) * ow + x] =
                        (data[base] + data[base + 1] + data[base + w] + data[base + w + 1]) / 4
                }
            }
        }
        return FeatureMap(c: c, h: oh, w: ow, data: out)
    }
}

/// A batch norm's inference parameters and its per-channel affine form (scale = γ/√(var+ε), shift = β − mean·scale).
public struct BatchNorm: Sendable {
    public static let epsilon = 1e-5
    public let gamma: [Float]
    public let beta: [Float]
    public let mean: [Float]
    public let variance: [Float]

    public init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float]) {
        precondition(
            Set([gamma.count, beta.count, mean.count, variance.count]).count == 1, "BatchNorm: parameter counts differ")
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
    }

    init(channels: Int, rng: inout SeededRandom) {
        gamma = (0..<channels).map { _ in Float(rng.uniform(0.5, 1.5)) }
        beta = (0..<channels).map { _ in Float(0.1 * rng.normal()) }
        mean = (0..<channels).map { _ in Float(0.1 * rng.normal()) }
        variance = (0..<channels).map { _ in Float(rng.uniform(0.5, 1.5)) }
    }

    public var scale: [Float] {
        zip(gamma, variance).map { g, v in Float(Double(g) / (Double(v) + Self.epsilon).squareRoot()) }
    }

    public var shift: [Float] { zip(zip(beta, mean), scale).map { bm, s in bm.0 - bm.1 * s } }
}

/// A square convolution (padding k/2, no bias of its own) with an optional ReLU before it and an optional batch
/// norm after it, the BN folded into the weights and a bias.
public struct Conv2D: Sendable {
    public let cin: Int
    public let cout: Int
    public let k: Int
    public let stride: Int
    public let relu: Bool
    /// The unfolded parameters: weights (cout × cin·k·k, PyTorch's order) and the BN, if any.
    public let weight: [Float]
    public let bn: BatchNorm?
    /// What runs: the BN-folded weights and bias.
    let folded: [Float]
    let bias: [Float]?

    init(cin: Int, cout: Int, k: Int, stride: Int, relu: Bool, bn: Bool, rng: inout SeededRandom) {
        let fanIn = cin * k * k
        let std = (2 / Double(fanIn)).squareRoot()
        let weight = (0..<(cout * fanIn)).map { _ in Float(std * rng.normal()) }
        self.init(
            cin: cin, cout: cout, k: k, stride: stride, relu: relu, weight: weight,
            bn: bn ? BatchNorm(channels: cout, rng: &rng) : nil)
    }

    public init(cin: Int, cout: Int, k: Int, stride: Int, relu: Bool, weight: [Float], bn: BatchNorm?) {
        precondition(weight.count == cout * cin * k * k && k % 2 == 1 && stride >= 1, "Conv2D: bad parameters")
        self.cin = cin
        self.cout = cout
        self.k = k
        self.stride = stride
        self.relu = relu
        self.weight = weight
        self.bn = bn
        if let bn {
            let scale = bn.scale
            let fanIn = cin * k * k
            folded = weight.enumerated().map { i, w in w * scale[i / fanIn] }
            bias = bn.shift
        } else {
            folded = weight
            bias = nil
        }
    }

    public func outputSize(_ n: Int) -> Int { (n + 2 * (k / 2) - k) / stride + 1 }

    /// The layer on one feature map; `scratch` is reused for the im2col matrix.
    public func apply(_ x: FeatureMap, scratch: inout [Float], flops: inout Int) -> FeatureMap {
        precondition(x.c == cin, "Conv2D: \(x.c) input channels, expected \(cin)")
        let oh = outputSize(x.h)
        let ow = outputSize(x.w)
        let p = oh * ow
        let rows = cin * k * k
        if scratch.count < rows * p { scratch = [Float](repeating: 0, count: rows * p) }
        let pad = k / 2
        x.data.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { cols in
                for ch in 0..<cin {
                    for ky in 0..<k {
                        for kx in 0..<k {
                            let row = (ch * k + ky) * k + kx
                            var o = row * p
                            for oy in 0..<oh {
                                let iy = oy * stride - pad + ky
                                for ox in 0..<ow {
                                    let ix = ox * stride - pad + kx
                                    var v: Float = 0
                                    if iy >= 0 && iy < x.h && ix >= 0 && ix < x.w {
                                        v = src[(ch * x.h + iy) * x.w + ix]
                                        if relu && v < 0 { v = 0 }
                                    }
                                    cols[o] = v
                                    o += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: cout * p)
        folded.withUnsafeBufferPointer { a in
            scratch.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    Float.gemm(
                        false, false, cout, p, rows, 1, a.baseAddress!, rows, b.baseAddress!, p, 0, c.baseAddress!, p)
                }
            }
        }
        if let bias {
            for o in 0..<cout { for i in (o * p)..<((o + 1) * p) { out[i] += bias[o] } }
        }
        flops += rows * cout * p + (bn == nil ? 0 : 2 * cout * p)
        return FeatureMap(c: cout, h: oh, w: ow, data: out)
    }
}
