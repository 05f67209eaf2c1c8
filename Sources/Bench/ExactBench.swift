import Foundation
import Infra
import NASLib

/// What the exact GEMM costs a training: an epoch with it and with OpenBLAS, measured alternately in one process so
/// both see the same machine state (the GEMM rates of both are `benchGEMM`'s).
func benchExact() throws {
    let directory = try DataLocation.resolve(environment: ProcessInfo.processInfo.environment)
    let table = try Benchmark(directory: directory).table(named: "d-cpu")
    print(
        "== a training epoch (d-cpu, 900 models, batch 10) with OpenBLAS (\(BLAS.coreName)) and the exact GEMM "
            + "(\(ExactGEMM.path)) alternately; the minimum of 3 trainings each")
    for precision in [AnyGCN.Precision.float64, .float32] {
        var best: [BLAS.GEMMKernel: Double] = [:]
        for _ in 0..<3 {
            for kernel in [BLAS.GEMMKernel.openblas, .exact] {
                let t = try with(kernel) { try epochSeconds(table, precision, epochs: 4).perEpoch }
                best[kernel] = min(best[kernel] ?? .infinity, t)
            }
        }
        let (o, e) = (best[.openblas]!, best[.exact]!)
        print(
            String(
                format: "  %@: OpenBLAS %.3f s, exact %.3f s per epoch (exact/OpenBLAS %.2f×, %+.0f %%)",
                precision.rawValue, o, e, e / o, 100 * (e / o - 1)))
        Figures.add(
            "one training epoch, OpenBLAS", precision.rawValue, o, "s", String(format: "%.3f s", o))
        Figures.add(
            "one training epoch, exact GEMM", precision.rawValue, e, "s",
            String(format: "%.3f s (%+.0f %% against OpenBLAS in the same run)", e, 100 * (e / o - 1)))
    }
}
