/// The Cholesky factor of A + shift·I (A symmetric, row-major n × n).
struct Cholesky {
    let n: Int
    var l: [Double]

    init(_ a: [Double], _ n: Int, shift: Double) throws {
        self.n = n
        l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j] + (i == j ? shift : 0)
                for t in 0..<j { s -= l[i * n + t] * l[j * n + t] }
                if i == j {
                    guard s > 0 else {
                        throw NASLibError("ridge: the system is not positive definite (penalty \(shift))")
                    }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
    }

    func solve(_ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            for t in 0..<i { y[i] -= l[i * n + t] * y[t] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for t in (i + 1)..<n { y[i] -= l[t * n + i] * y[t] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}
