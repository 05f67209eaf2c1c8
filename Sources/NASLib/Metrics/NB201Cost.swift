/// FLOPs and parameter counts of the real NAS-Bench-201 network for a cell: a 3×3 stem conv
/// (16 channels) + BN, 3 stacks of 5 cells (16, 32, 64 channels) with a residual reduction block
/// (3×3 stride-2 conv + BN, 3×3 conv + BN, and a 2×2 average pool + 1×1 conv shortcut) between
/// stacks, a final BN + ReLU, global average pooling and a linear classifier.
///
/// Parameters: conv weights (no biases), BN scale and shift (2 per channel), classifier weights
/// and biases. They equal NAS-Bench-201's counts (index 0: 129,306 on CIFAR-10).
///
/// FLOPs are counted as fvcore's FlopCountAnalysis counts them, which is how the reference
/// totals were produced (index 0: 16,315,008 on CIFAR-10): a convolution counts
/// k·k·C_in·C_out multiply-accumulates per output position; a batch norm 2 per element; global
/// average pooling 1 per input element; the classifier in·out (no bias). ReLU, the cells' 3×3
/// average pools and the shortcut's 2×2 pool count nothing, and neither do `none` and skip edges.
public struct NB201Cost: Equatable, Sendable {
    public let flops: Int
    public let params: Int

    public init(flops: Int, params: Int) {
        self.flops = flops
        self.params = params
    }

    public init(_ arch: NB201Arch, dataset: Benchmark.Dataset) {
        var flops = 0
        var params = 0
        func conv(_ cin: Int, _ cout: Int, _ k: Int, _ hw: Int) {
            params += cin * cout * k * k
            flops += k * k * cin * cout * hw * hw
        }
        func bn(_ c: Int, _ hw: Int) {
            params += 2 * c
            flops += 2 * c * hw * hw
        }
        var hw = dataset.inputSize
        var c = 16
        conv(3, c, 3, hw)
        bn(c, hw)
        let ops = arch.ops
        for stage in 0..<3 {
            if stage > 0 {
                let next = c * 2
                hw /= 2
                conv(c, next, 3, hw)
                bn(next, hw)
                conv(next, next, 3, hw)
                bn(next, hw)
                conv(c, next, 1, hw)
                c = next
            }
            for _ in 0..<5 {
                for op in ops {
                    switch op {
                    case .conv1x1:
                        conv(c, c, 1, hw)
                        bn(c, hw)
                    case .conv3x3:
                        conv(c, c, 3, hw)
                        bn(c, hw)
                    case .none, .skip, .avgpool:
                        break
                    }
                }
            }
        }
        bn(c, hw)
        flops += c * hw * hw
        params += c * dataset.classes + dataset.classes
        flops += c * dataset.classes
        self.flops = flops
        self.params = params
    }
}
