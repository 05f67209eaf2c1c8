/// The one source of randomness in NASLib: a seeded generator (xoshiro256**, seeded through
/// SplitMix64). The same seed gives the same numbers on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// A generator for a signed seed (negative seeds are distinct from positive ones).
    public init(seed: Int) { self.init(seed: UInt64(bitPattern: Int64(seed))) }

    /// A child generator for stream `k` (independent runs, layers, repeats).
    public func derived(_ k: Int) -> SeededRandom {
        var copy = self
        let a = copy.next()
        return SeededRandom(seed: a ^ (UInt64(bitPattern: Int64(k)) &* 0xD1B5_4A32_D192_ED03))
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// An independent seed for stream k of a run seeded with `seed` (split, initialisation,
    /// training, iteration i, ...).
    public static func subseed(_ seed: Int, _ k: Int) -> Int {
        var r = SeededRandom(seed: seed).derived(k)
        return Int(truncatingIfNeeded: r.next())
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Uniform integer in 0..<n (unbiased).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0")
        return Int(next(upperBound: UInt64(n)))
    }

    /// The number of successes before the first failure in Bernoulli trials that fail with
    /// probability p: P(k) = (1 − p)^k · p (inverse transform of one uniform).
    public mutating func geometricGap(_ p: Double) -> Int {
        if p >= 1 { return 0 }
        var u = uniform()
        while u == 0 { u = uniform() }
        let k = (_log(u) / _log1p(-p)).rounded(.down)
        return k >= Double(Int.max / 2) ? Int.max / 2 : Int(k)
    }

    /// A standard normal variate (Box–Muller).
    public mutating func normal() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        let v = uniform()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// Fisher–Yates shuffle, deterministic for a seed.
    public mutating func shuffle<T>(_ xs: inout [T]) {
        guard xs.count > 1 else { return }
        for i in stride(from: xs.count - 1, to: 0, by: -1) {
            xs.swapAt(i, int(below: i + 1))
        }
    }

    /// A random permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// k distinct elements of `xs`, in random order.
    public mutating func sample<T>(_ xs: [T], _ k: Int) -> [T] {
        precondition(k <= xs.count, "sample: \(k) from \(xs.count)")
        var pool = xs
        for i in 0..<k { pool.swapAt(i, i + int(below: pool.count - i)) }
        return Array(pool[..<k])
    }
}

#if canImport(Glibc)
    import Glibc
    private func _log(_ x: Double) -> Double { Glibc.log(x) }
    private func _log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
    import Darwin
    private func _log(_ x: Double) -> Double { Darwin.log(x) }
    private func _log1p(_ x: Double) -> Double { Darwin.log1p(x) }
    private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
