/// Losses with reduction 'sum' (as eagle trains): the loss and its gradient with respect to
/// the prediction.
public enum Loss {
    /// Σ |p − t|; gradient sign(p − t) (0 where equal, as PyTorch).
    public static func l1<T: Real>(_ p: Matrix<T>, _ t: [T]) -> (T, Matrix<T>) {
        precondition(p.data.count == t.count, "l1: \(p.data.count) predictions, \(t.count) targets")
        var loss: T = 0
        var g = p
        for i in t.indices {
            let d = p.data[i] - t[i]
            loss += abs(d)
            g.data[i] = d > 0 ? 1 : (d < 0 ? -1 : 0)
        }
        return (loss, g)
    }

    /// Σ (p − t)²; gradient 2(p − t).
    public static func mse<T: Real>(_ p: Matrix<T>, _ t: [T]) -> (T, Matrix<T>) {
        precondition(p.data.count == t.count, "mse: \(p.data.count) predictions, \(t.count) targets")
        var loss: T = 0
        var g = p
        for i in t.indices {
            let d = p.data[i] - t[i]
            loss += d * d
            g.data[i] = 2 * d
        }
        return (loss, g)
    }

    /// KL(t ‖ softmax) = Σ t (log t − log q) given log-probabilities `logq` (PyTorch's
    /// KLDivLoss(reduction='sum') on log-softmax outputs); gradient −t with respect to log q.
    public static func kl<T: Real>(_ logq: Matrix<T>, _ t: [T]) -> (T, Matrix<T>) {
        precondition(logq.data.count == t.count, "kl: \(logq.data.count) log-probabilities, \(t.count) targets")
        var loss: T = 0
        var g = logq
        for i in t.indices {
            if t[i] > 0 { loss += t[i] * (T.log(t[i]) - logq.data[i]) }
            g.data[i] = -t[i]
        }
        return (loss, g)
    }

    /// Binary cross-entropy of sigmoid outputs, from the logits x:
    /// −Σ [t log σ(x) + (1−t) log(1−σ(x))] = Σ [max(x, 0) − x t + log(1 + e^(−|x|))]
    /// (PyTorch's BCEWithLogitsLoss, reduction sum); gradient σ(x) − t with respect to x.
    ///
    /// Sigmoid then BCE on probabilities is the same function, but in float32 σ(x) rounds to
    /// exactly 1 from x ≈ 17, where the probability gradient (q − t)/(q(1 − q)) is 0/0 or ∞:
    /// hard 0/1 labels drive the logits there and the weights became NaN. From the logits the
    /// loss and gradient stay finite for every x.
    public static func bceWithLogits<T: Real>(_ x: Matrix<T>, _ t: [T]) -> (T, Matrix<T>) {
        precondition(x.data.count == t.count, "bce: \(x.data.count) logits, \(t.count) targets")
        var loss: T = 0
        var g = x
        for i in t.indices {
            let v = x.data[i]
            loss += max(v, 0) - v * t[i] + T.log(1 + T.exp(-abs(v)))
            let q = v >= 0 ? 1 / (1 + T.exp(-v)) : T.exp(v) / (1 + T.exp(v))
            g.data[i] = q - t[i]
        }
        return (loss, g)
    }
}

/// Row-wise log-softmax, with its backward pass.
enum Softmax {
    static func logSoftmax<T: Real>(_ x: Matrix<T>) -> Matrix<T> {
        var y = x
        for r in 0..<x.rows {
            var m = -T.infinity
            for k in 0..<x.cols { m = max(m, x[r, k]) }
            var s: T = 0
            for k in 0..<x.cols { s += T.exp(x[r, k] - m) }
            let lse = m + T.log(s)
            for k in 0..<x.cols { y[r, k] = x[r, k] - lse }
        }
        return y
    }

    // dx = dy − softmax · Σ dy (per row), from the log-softmax output y.
    static func logSoftmaxBackward<T: Real>(_ dy: Matrix<T>, _ y: Matrix<T>) -> Matrix<T> {
        var dx = dy
        for r in 0..<dy.rows {
            var s: T = 0
            for k in 0..<dy.cols { s += dy[r, k] }
            for k in 0..<dy.cols { dx[r, k] = dy[r, k] - T.exp(y[r, k]) * s }
        }
        return dx
    }
}
