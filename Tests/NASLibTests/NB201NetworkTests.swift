import NASLib
import Testing

/// The native NB201 network against naive references: every op on odd shapes in double precision with the BN
/// unfolded, the whole network (small shape) against a naive forward pass, and the executed FLOPs against
/// `NB201Cost` for the real shapes.
@Suite struct NB201NetworkTests {
    /// Direct convolution in Double: ReLU on the input, unfolded BN after.
    static func naiveConv(_ conv: Conv2D, _ x: FeatureMap) -> [Double] {
        let pad = conv.k / 2
        let oh = conv.outputSize(x.h)
        let ow = conv.outputSize(x.w)
        var out = [Double](repeating: 0, count: conv.cout * oh * ow)
        for o in 0..<conv.cout {
            for y in 0..<oh {
                for xx in 0..<ow {
                    var s = 0.0
                    for c in 0..<conv.cin {
                        for ky in 0..<conv.k {
                            for kx in 0..<conv.k {
                                let iy = y * conv.stride - pad + ky
                                let ix = xx * conv.stride - pad + kx
                                guard iy >= 0, iy < x.h, ix >= 0, ix < x.w else { continue }
                                var v = Double(x[c, iy, ix])
                                if conv.relu { v = max(0, v) }
                                s += Double(conv.weight[((o * conv.cin + c) * conv.k + ky) * conv.k + kx]) * v
                            }
                        }
                    }
                    if let bn = conv.bn {
                        s =
                            (s - Double(bn.mean[o])) / (Double(bn.variance[o]) + BatchNorm.epsilon).squareRoot()
                            * Double(bn.gamma[o]) + Double(bn.beta[o])
                    }
                    out[(o * oh + y) * ow + xx] = s
                }
            }
        }
        return out
    }

    static func random(_ c: Int, _ h: Int, _ w: Int, seed: Int) -> FeatureMap {
        var rng = SeededRandom(seed: seed)
        return FeatureMap(c: c, h: h, w: w, data: (0..<(c * h * w)).map { _ in Float(rng.uniform(-1, 1)) })
    }

    static func worst(_ a: [Float], _ b: [Double]) -> Double {
        #expect(a.count == b.count)
        let scale = max(1, b.map(abs).max() ?? 1)
        return zip(a, b).map { abs(Double($0) - $1) / scale }.max() ?? 0
    }

    @Test(arguments: [
        (3, 5, 3, 2, true, true), (4, 3, 3, 1, true, true), (5, 7, 1, 1, true, true), (3, 6, 1, 1, false, false),
        (2, 3, 3, 3, false, true),
    ])
    func convolutionMatchesNaive(cin: Int, cout: Int, k: Int, stride: Int, relu: Bool, bn: Bool) {
        var rng = SeededRandom(seed: cin * 100 + cout)
        let weight = (0..<(cout * cin * k * k)).map { _ in Float(rng.normal()) }
        let norm =
            bn
            ? BatchNorm(
                gamma: (0..<cout).map { _ in Float(rng.uniform(0.5, 1.5)) },
                beta: (0..<cout).map { _ in Float(rng.normal()) },
                mean: (0..<cout).map { _ in Float(rng.normal()) },
                variance: (0..<cout).map { _ in Float(rng.uniform(0.2, 2)) }) : nil
        let conv = Conv2D(cin: cin, cout: cout, k: k, stride: stride, relu: relu, weight: weight, bn: norm)
        for (h, w) in [(7, 9), (1, 1), (5, 2)] {
            let x = Self.random(cin, h, w, seed: h * w)
            var scratch: [Float] = []
            var flops = 0
            let y = conv.apply(x, scratch: &scratch, flops: &flops)
            #expect(y.c == cout && y.h == conv.outputSize(h) && y.w == conv.outputSize(w))
            #expect(Self.worst(y.data, Self.naiveConv(conv, x)) < 1e-5)
            #expect(flops == k * k * cin * cout * y.h * y.w + (bn ? 2 * cout * y.h * y.w : 0))
        }
    }

    @Test func poolsMatchNaive() {
        let x = Self.random(2, 5, 7, seed: 3)
        var three = [Double]()
        var two = [Double]()
        for c in 0..<2 {
            for y in 0..<5 {
                for xx in 0..<7 {
                    var s = 0.0
                    var n = 0.0
                    for dy in -1...1 {
                        for dx in -1...1 where (0..<5).contains(y + dy) && (0..<7).contains(xx + dx) {
                            s += Double(x[c, y + dy, xx + dx])
                            n += 1
                        }
                    }
                    three.append(s / n)
                }
            }
            for y in 0..<2 {
                for xx in 0..<3 {
                    two.append(
                        (Double(x[c, 2 * y, 2 * xx]) + Double(x[c, 2 * y + 1, 2 * xx]) + Double(x[c, 2 * y, 2 * xx + 1])
                            + Double(x[c, 2 * y + 1, 2 * xx + 1])) / 4)
                }
            }
        }
        #expect(Self.worst(x.averagePool3x3().data, three) < 1e-6)
        let p = x.averagePool2x2()
        #expect(p.h == 2 && p.w == 3)
        #expect(Self.worst(p.data, two) < 1e-6)
    }

    /// A naive forward pass over the network's own parameters (unfolded BN, Double).
    static func naiveForward(_ net: NB201Network, _ x: FeatureMap) -> [Double] {
        func map(_ d: [Double], _ like: FeatureMap) -> FeatureMap {
            FeatureMap(c: like.c, h: like.h, w: like.w, data: d.map { Float($0) })
        }
        func conv(_ c: Conv2D, _ x: [Double], _ shape: (Int, Int, Int)) -> ([Double], (Int, Int, Int)) {
            let fm = FeatureMap(c: shape.0, h: shape.1, w: shape.2, data: x.map { Float($0) })
            return (naiveConv(c, fm), (c.cout, c.outputSize(shape.1), c.outputSize(shape.2)))
        }
        var shape = (3, x.h, x.w)
        var h: [Double]
        (h, shape) = conv(net.stem, x.data.map(Double.init), shape)
        for block in net.blocks {
            switch block {
            case .cell(let edges):
                var nodes = [h]
                for j in 1...3 {
                    var node = [Double](repeating: 0, count: h.count)
                    for e in edges where e.to == j {
                        let input = nodes[e.from]
                        var add: [Double]
                        switch e.op {
                        case .none: add = node.map { _ in 0 }
                        case .skip: add = input
                        case .avgpool:
                            add = FeatureMap(c: shape.0, h: shape.1, w: shape.2, data: input.map { Float($0) })
                                .averagePool3x3().data.map(Double.init)
                        case .conv1x1, .conv3x3: add = conv(e.conv!, input, shape).0
                        }
                        for i in 0..<node.count { node[i] += add[i] }
                    }
                    nodes.append(node)
                }
                h = nodes[3]
            case .reduction(let a, let b, let shortcut):
                let (ya, sa) = conv(a, h, shape)
                let (yb, sb) = conv(b, ya, sa)
                let pooled = FeatureMap(c: shape.0, h: shape.1, w: shape.2, data: h.map { Float($0) }).averagePool2x2()
                let (ys, _) = conv(shortcut, pooled.data.map(Double.init), (pooled.c, pooled.h, pooled.w))
                h = zip(yb, ys).map { $0 + $1 }
                shape = sb
            }
        }
        let (c, hw) = (shape.0, shape.1 * shape.2)
        var pooled = [Double](repeating: 0, count: c)
        for ch in 0..<c {
            for i in 0..<hw {
                pooled[ch] += max(0, h[ch * hw + i] * Double(net.finalScale[ch]) + Double(net.finalShift[ch]))
            }
            pooled[ch] /= Double(hw)
        }
        return (0..<net.shape.classes).map { k in
            Double(net.classifierBias[k]) + (0..<c).reduce(0.0) { $0 + Double(net.classifier[k * c + $1]) * pooled[$1] }
        }
    }

    @Test func wholeNetworkMatchesNaive() throws {
        let shape = NB201Network.Shape(channels: 3, cellsPerStack: 2, inputSize: 12, classes: 7)
        for ops in [
            [NB201Op.conv3x3, .conv1x1, .avgpool, .skip, .none, .conv3x3], [.none, .none, .none, .none, .none, .none],
            [.avgpool, .skip, .conv1x1, .none, .conv3x3, .skip],
        ] {
            let net = NB201Network(NB201Arch(ops: ops), shape: shape, seed: 5)
            let x = net.input()
            #expect(Self.worst(net.forward(x), Self.naiveForward(net, x)) < 1e-4, "\(ops)")
        }
    }

    /// The real network's executed work equals the FLOPs brpsh counts (and NB201 reports) for the arch.
    @Test func executedFlopsEqualTheCountedFlops() {
        var rng = SeededRandom(seed: 11)
        var archs = [NB201Arch(code: 0), NB201Arch(ops: Array(repeating: .conv3x3, count: 6))]
        archs += (0..<3).map { _ in NB201Arch(code: rng.int(below: NB201Arch.count)) }
        for (arch, dataset) in archs.map({ ($0, Benchmark.Dataset.cifar10) }) + [
            (archs[1], .imagenet16), (archs[2], .cifar100),
        ] {
            let net = NB201Network(arch, shape: .init(dataset: dataset))
            var flops = 0
            let logits = net.forward(net.input(), flops: &flops)
            #expect(logits.count == dataset.classes && logits.allSatisfy(\.isFinite))
            #expect(flops == NB201Cost(arch, dataset: dataset).flops, "\(arch) \(dataset)")
        }
    }
}
