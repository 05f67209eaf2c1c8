import CVector

/// NASLib's vector routines in C (CVector.h gives each one's arithmetic): the AdamW step, compressed-row sums and
/// the evaluation pass's LayerNorm + ReLU. Swift builds for the baseline x86-64 instruction set; these run eight
/// floats (four doubles) per AVX2 instruction where the CPU has it, with the same operations in the same order as
/// the portable loops beside them, so the path changes the speed and never a bit. The only file that imports the C
/// target.
enum VectorKernels {
    /// 1 when `path` may use AVX2 on this CPU (the exact GEMM's choice: `best` and `avx2` do where the CPU has it).
    @inline(__always)
    static func avx2(_ path: ExactGEMM.Path) -> Int32 {
        path != .portable && ExactGEMM.Path.avx2.available ? 1 : 0
    }

    @inline(__always)
    static func float<T: Real>(_ x: T) -> Float { unsafeBitCast(x, to: Float.self) }
    @inline(__always)
    static func double<T: Real>(_ x: T) -> Double { unsafeBitCast(x, to: Double.self) }
    @inline(__always)
    static func cast<T: Real, U>(_ p: UnsafeMutablePointer<T>, _: U.Type) -> UnsafeMutablePointer<U> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
    }
    @inline(__always)
    static func cast<T: Real, U>(_ p: UnsafePointer<T>, _: U.Type) -> UnsafePointer<U> {
        UnsafeRawPointer(p).assumingMemoryBound(to: U.self)
    }
    @inline(__always)
    static func cast<T: Real, U>(_ p: UnsafePointer<T>?, _: U.Type) -> UnsafePointer<U>? {
        p.map { cast($0, U.self) }
    }

    /// One AdamW step over `count` parameters (CVector.h).
    static func adamw<T: Real>(
        _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>,
        _ v: UnsafeMutablePointer<T>, _ count: Int, b1: T, c1: T, b2: T, c2: T, decay: T, step: T, inv: T, eps: T,
        path: ExactGEMM.Path
    ) {
        if T.self == Float.self {
            brpsh_adamw_f32(
                cast(p, Float.self), cast(g, Float.self), cast(m, Float.self), cast(v, Float.self), count, float(b1),
                float(c1), float(b2), float(c2), float(decay), float(step), float(inv), float(eps), avx2(path))
        } else {
            brpsh_adamw_f64(
                cast(p, Double.self), cast(g, Double.self), cast(m, Double.self), cast(v, Double.self), count,
                double(b1), double(c1), double(b2), double(c2), double(decay), double(step), double(inv),
                double(eps), avx2(path))
        }
    }

    /// Compressed-row sums of output rows `rows` (CVector.h): out[o] = (bias or +0) + Σ x[members[e]], members in
    /// order, e in start[o·stride] ..< start[o·stride + 1].
    static func rowSums<T: Real>(
        _ x: UnsafePointer<T>, width: Int, rows: Range<Int>, stride: Int, start: UnsafePointer<Int32>,
        members: UnsafePointer<Int32>, bias: UnsafePointer<T>?, into out: UnsafeMutablePointer<T>,
        path: ExactGEMM.Path = .best
    ) {
        if T.self == Float.self {
            brpsh_row_sums_f32(
                cast(x, Float.self), width, rows.lowerBound, rows.upperBound, stride, start, members,
                cast(bias, Float.self), cast(out, Float.self), avx2(path))
        } else {
            brpsh_row_sums_f64(
                cast(x, Double.self), width, rows.lowerBound, rows.upperBound, stride, start, members,
                cast(bias, Double.self), cast(out, Double.self), avx2(path))
        }
    }

    /// LayerNorm then ReLU in place on `rows` rows of `width` (CVector.h).
    static func normReLU<T: Real>(
        _ x: UnsafeMutablePointer<T>, width: Int, rows: Int, gamma: UnsafePointer<T>, beta: UnsafePointer<T>,
        eps: T, path: ExactGEMM.Path = .best
    ) {
        if T.self == Float.self {
            brpsh_norm_relu_f32(
                cast(x, Float.self), width, rows, cast(gamma, Float.self), cast(beta, Float.self), float(eps),
                avx2(path))
        } else {
            brpsh_norm_relu_f64(
                cast(x, Double.self), width, rows, cast(gamma, Double.self), cast(beta, Double.self), double(eps),
                avx2(path))
        }
    }
}
