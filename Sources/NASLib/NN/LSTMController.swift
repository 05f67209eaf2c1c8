#if canImport(Glibc)
    import Glibc
#endif

/// A single-cell LSTM controller that emits a sequence of categorical decisions (the 6 ops of an
/// NB201 cell), as in REINFORCE-based NAS: at step t it reads the embedding of the previous
/// decision (a start token first), updates (h, c), and samples from softmax(V·h + b).
///
/// Cell (gates in the order i, f, g, o): z = W·[x; h] + b; i, f, o = σ(z_i, z_f, z_o);
/// g = tanh(z_g); c′ = f·c + i·g; h′ = o·tanh(c′). Parameters live in one flat array so that the
/// optimiser updates them in one pass.
public struct LSTMController: Sendable {
    public let steps: Int
    public let choices: Int
    public let hidden: Int
    /// embedding (choices+1)×H, W 4H×2H, b 4H, V choices×H, bv choices.
    public var params: [Double]

    var embOff: Int { 0 }
    var wOff: Int { (choices + 1) * hidden }
    var bOff: Int { wOff + 4 * hidden * 2 * hidden }
    var vOff: Int { bOff + 4 * hidden }
    var bvOff: Int { vOff + choices * hidden }
    public var count: Int { bvOff + choices }

    public init(steps: Int = 6, choices: Int = 5, hidden: Int = 32, seed: Int) {
        self.steps = steps
        self.choices = choices
        self.hidden = hidden
        params = []
        var rng = SeededRandom(seed: seed)
        let bound = 1 / Double(hidden).squareRoot()
        params = (0..<count).map { _ in rng.uniform(-bound, bound) }
    }

    /// What a forward pass remembers for backpropagation.
    public struct Tape: Sendable {
        var xs: [[Double]] = []
        var hs: [[Double]] = []
        var cs: [[Double]] = []
        var gates: [[Double]] = []
        var probs: [[Double]] = []
        public var actions: [Int] = []
        public var logProb = 0.0
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Samples a sequence (or, with `forced`, scores a given one).
    public func forward(_ rng: inout SeededRandom, forced: [Int]? = nil) -> Tape {
        let H = hidden
        var tape = Tape()
        var h = [Double](repeating: 0, count: H)
        var c = [Double](repeating: 0, count: H)
        tape.hs.append(h)
        tape.cs.append(c)
        var prev = choices  // start token
        for t in 0..<steps {
            let x = Array(params[(embOff + prev * H)..<(embOff + (prev + 1) * H)])
            var z = Array(params[bOff..<(bOff + 4 * H)])
            for r in 0..<(4 * H) {
                let row = wOff + r * 2 * H
                var s = 0.0
                for k in 0..<H { s += params[row + k] * x[k] + params[row + H + k] * h[k] }
                z[r] += s
            }
            var gate = [Double](repeating: 0, count: 4 * H)
            for k in 0..<H {
                gate[k] = LSTMController.sigmoid(z[k])
                gate[H + k] = LSTMController.sigmoid(z[H + k])
                gate[2 * H + k] = tanh(z[2 * H + k])
                gate[3 * H + k] = LSTMController.sigmoid(z[3 * H + k])
            }
            for k in 0..<H {
                c[k] = gate[H + k] * c[k] + gate[k] * gate[2 * H + k]
                h[k] = gate[3 * H + k] * tanh(c[k])
            }
            var logits = Array(params[bvOff..<(bvOff + choices)])
            for a in 0..<choices {
                for k in 0..<H { logits[a] += params[vOff + a * H + k] * h[k] }
            }
            let m = logits.max()!
            let e = logits.map { exp($0 - m) }
            let s = e.reduce(0, +)
            let p = e.map { $0 / s }
            var action = forced?[t] ?? 0
            if forced == nil {
                let u = rng.uniform()
                var acc = 0.0
                action = choices - 1
                for a in 0..<choices {
                    acc += p[a]
                    if u < acc {
                        action = a
                        break
                    }
                }
            }
            tape.xs.append(x)
            tape.gates.append(gate)
            tape.hs.append(h)
            tape.cs.append(c)
            tape.probs.append(p)
            tape.actions.append(action)
            tape.logProb += log(p[action])
            prev = action
        }
        return tape
    }

    /// Gradient of Σ_t log π(a_t) with respect to the parameters (backpropagation through time).
    public func gradLogProb(_ tape: Tape) -> [Double] {
        let H = hidden
        var g = [Double](repeating: 0, count: count)
        var dh = [Double](repeating: 0, count: H)
        var dc = [Double](repeating: 0, count: H)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let h = tape.hs[t + 1]
            let cPrev = tape.cs[t]
            let c = tape.cs[t + 1]
            let hPrev = tape.hs[t]
            let x = tape.xs[t]
            let gate = tape.gates[t]
            let p = tape.probs[t]
            let a = tape.actions[t]
            // d log p_a / d logits = onehot(a) − p
            for j in 0..<choices {
                let dl = (j == a ? 1 : 0) - p[j]
                g[bvOff + j] += dl
                for k in 0..<H {
                    g[vOff + j * H + k] += dl * h[k]
                    dh[k] += dl * params[vOff + j * H + k]
                }
            }
            // h = o·tanh(c); c = f·c_prev + i·g
            var dz = [Double](repeating: 0, count: 4 * H)
            var dcPrev = [Double](repeating: 0, count: H)
            for k in 0..<H {
                let tc = tanh(c[k])
                let i = gate[k]
                let f = gate[H + k]
                let gg = gate[2 * H + k]
                let o = gate[3 * H + k]
                let dct = dc[k] + dh[k] * o * (1 - tc * tc)
                dz[3 * H + k] = dh[k] * tc * o * (1 - o)
                dz[k] = dct * gg * i * (1 - i)
                dz[H + k] = dct * cPrev[k] * f * (1 - f)
                dz[2 * H + k] = dct * i * (1 - gg * gg)
                dcPrev[k] = dct * f
            }
            // z = W·[x; h_prev] + b
            var dx = [Double](repeating: 0, count: H)
            var dhPrev = [Double](repeating: 0, count: H)
            for r in 0..<(4 * H) {
                g[bOff + r] += dz[r]
                let row = wOff + r * 2 * H
                for k in 0..<H {
                    g[row + k] += dz[r] * x[k]
                    g[row + H + k] += dz[r] * hPrev[k]
                    dx[k] += dz[r] * params[row + k]
                    dhPrev[k] += dz[r] * params[row + H + k]
                }
            }
            let prev = t == 0 ? choices : tape.actions[t - 1]
            for k in 0..<H { g[embOff + prev * H + k] += dx[k] }
            dh = dhPrev
            dc = dcPrev
        }
        return g
    }
}
