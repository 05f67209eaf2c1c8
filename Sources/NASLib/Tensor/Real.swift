#if canImport(Glibc)
    import Glibc
#endif

/// The element types of NASLib's tensors: Float and Double, each with its BLAS GEMM.
public protocol Real: BinaryFloatingPoint, SIMDScalar, Sendable, Codable where Self.RawSignificand: FixedWidthInteger {
    /// The precision's name (`float32`, `float64`).
    static var precisionName: String { get }
    static func gemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self, _ a: UnsafePointer<Self>,
        _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int, _ beta: Self, _ c: UnsafeMutablePointer<Self>,
        _ ldc: Int)
    /// The same product through brpsh's exact GEMM (alpha 1, beta 0 or 1) with the micro-kernels of `path`.
    static func exactGemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self, _ a: UnsafePointer<Self>,
        _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int, _ beta: Self, _ c: UnsafeMutablePointer<Self>,
        _ ldc: Int, path: ExactGEMM.Path)
    static func exp(_ x: Self) -> Self
    /// `value` where x > 0, else 0, per lane (a NaN in x gives 0). Written for each concrete type: the generic SIMD
    /// select is not inlined and costs a call per vector.
    static func positive(_ x: SIMD8<Self>, _ value: SIMD8<Self>) -> SIMD8<Self>
    static func log(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
}

extension Float: Real {
    public static var precisionName: String { "float32" }
    @inline(__always)
    public static func gemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
        _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        BLAS.sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    @inline(__always)
    public static func exactGemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
        _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, path: ExactGEMM.Path
    ) {
        ExactGEMM.sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, path: path)
    }
    @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) public static func positive(_ x: SIMD8<Float>, _ value: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8<Float>().replacing(with: value, where: x .> 0)
    }
    @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) public static func cos(_ x: Float) -> Float { cosf(x) }
}

extension Double: Real {
    public static var precisionName: String { "float64" }
    @inline(__always)
    public static func gemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
        _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int
    ) {
        BLAS.dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    @inline(__always)
    public static func exactGemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
        _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int, path: ExactGEMM.Path
    ) {
        ExactGEMM.dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, path: path)
    }
    @inline(__always) public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) public static func positive(_ x: SIMD8<Double>, _ value: SIMD8<Double>) -> SIMD8<Double> {
        SIMD8<Double>().replacing(with: value, where: x .> 0)
    }
    @inline(__always) public static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) public static func cos(_ x: Double) -> Double { Glibc.cos(x) }
}
