/// LayerNorm's parameters (PyTorch's `LayerNorm(features)`: eps 1e-5, elementwise γ and β,
/// biased variance). The computation is fused with ReLU and dropout in `NormReLUDropout`.
struct LayerNorm<T: Real> {
    let features: Int
    let gamma: ParameterStore<T>.Slice
    let beta: ParameterStore<T>.Slice
    static var eps: T { T(1e-5) }
}
