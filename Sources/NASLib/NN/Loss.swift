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

    /// Binary cross-entropy on probabilities q: −Σ [t log q + (1−t) log(1−q)] (PyTorch's BCELoss,
    /// whose log is clamped at −100); gradient with respect to q.
    public static func bce<T: Real>(_ q: Matrix<T>, _ t: [T]) -> (T, Matrix<T>) {
        precondition(q.data.count == t.count, "bce: \(q.data.count) probabilities, \(t.count) targets")
        var loss: T = 0
        var g = q
        for i in t.indices {
            let lq = max(T.log(q.data[i]), -100), l1q = max(T.log(1 - q.data[i]), -100)
            loss -= t[i] * lq + (1 - t[i]) * l1q
            let qc = min(max(q.data[i], T(1e-12)), 1 - T(1e-12))
            g.data[i] = (qc - t[i]) / (qc * (1 - qc))
        }
        return (loss, g)
    }
}

/// Row-wise log-softmax and sigmoid, with their backward passes.
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

    static func sigmoid<T: Real>(_ x: Matrix<T>) -> Matrix<T> {
        var y = x
        for i in y.data.indices { y.data[i] = 1 / (1 + T.exp(-x.data[i])) }
        return y
    }

    // dx = dy · σ (1 − σ).
    static func sigmoidBackward<T: Real>(_ dy: Matrix<T>, _ y: Matrix<T>) -> Matrix<T> {
        var dx = dy
        for i in dx.data.indices { dx.data[i] = dy.data[i] * y.data[i] * (1 - y.data[i]) }
        return dx
    }
}
