import Foundation
import Infra

/// AdamW with PyTorch's semantics (`torch.optim.AdamW`, decoupled weight decay, bias
/// correction), fused into one pass over all parameters. Defaults: β1 0.9, β2 0.999, ε 1e-8.
///
/// For step t with learning rate η and weight decay λ, for every parameter θ with gradient g:
///
///     θ ← θ · (1 − η λ)
///     m ← β1 m + (1 − β1) g
///     v ← β2 v + (1 − β2) g²
///     θ ← θ − (η / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
public struct AdamW<T: Real>: Sendable {
    public var learningRate: Double
    public var weightDecay: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    var stepCount = 0
    public var step: Int { stepCount }
    var m: [T]
    var v: [T]
    /// The vector routines the step runs (the exact GEMM's choice: AVX2 where the CPU has it, else portable); every
    /// path gives the same bits.
    public var path: ExactGEMM.Path = .best

    public init(
        parameters: Int, learningRate: Double, weightDecay: Double, beta1: Double = 0.9, beta2: Double = 0.999,
        eps: Double = 1e-8
    ) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        m = [T](repeating: 0, count: parameters)
        v = [T](repeating: 0, count: parameters)
    }

    /// Starts a step: the bias corrections use the new step count.
    public mutating func beginStep() { stepCount += 1 }

    /// Updates the parameters in `range` from their gradients (call after `beginStep()`; a step
    /// may update its ranges separately, e.g. layer by layer while their gradients are fresh).
    @_specialize(exported:true,where T == Double)
    @_specialize(exported:true,where T == Float)
    public mutating func update(_ store: ParameterStore<T>, range: Range<Int>? = nil) {
        let r = range ?? 0..<store.count
        precondition(
            r.upperBound <= m.count && stepCount > 0,
            "AdamW: update of \(r) with state for \(m.count), step \(stepCount)")
        let t = Double(stepCount)
        let decay = T(1 - learningRate * weightDecay)
        let b1 = T(beta1)
        let b2 = T(beta2)
        let c1 = 1 - b1
        let c2 = 1 - b2
        let stepSize = T(learningRate / (1 - pow(beta1, t)))
        let invSqrtBC2 = T(1 / (1 - pow(beta2, t)).squareRoot())
        let e = T(eps)
        let p = store.values
        let g = UnsafePointer(store.grads)
        let path = path
        m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
                let (mm, vv) = (mp.baseAddress!, vp.baseAddress!)
                // Large ranges are cut in the fixed parts of `Parallel`. Elementwise, so the split cannot change
                // the result.
                let update = { (lo: Int, hi: Int) in
                    VectorKernels.adamw(
                        p + lo, g + lo, mm + lo, vv + lo, hi - lo, b1: b1, c1: c1, b2: b2, c2: c2, decay: decay,
                        step: stepSize, inv: invSqrtBC2, eps: e, path: path)
                }
                if r.count >= 1 << 15 {
                    Parallel.forEachPart { part in
                        let sub = Parallel.range(part, of: r.count, align: 8)
                        update(r.lowerBound + sub.lowerBound, r.lowerBound + sub.upperBound)
                    }
                } else {
                    update(r.lowerBound, r.upperBound)
                }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
