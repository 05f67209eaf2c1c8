import Foundation
import NASLib

/// Seconds per training epoch (900 models, batch 10), a full d-cpu training, predicting every
/// model, and the GEMM throughput the training achieves, per precision.
func benchGCN(full: Bool) throws {
    let directory = try DataDirectory.fromEnvironment()
    let bench = Benchmark(directory: directory)
    let table = try bench.table(named: "d-cpu")
    print("== GCN latency predictor (d-cpu, 900 training models, batch 10; \(Parallel.concurrent ? Parallel.parts : 1) threads)")
    for precision in [AnyGCN.Precision.float64, .float32] {
        var spec = GCNPredictorSpec(device: table.name)
        spec.precision = precision
        spec.options.epochs = 6
        var epochs: [Double] = []
        var last = DispatchTime.now().uptimeNanoseconds
        _ = try LatencyPredictor.train(table, spec: spec) { _ in
            let now = DispatchTime.now().uptimeNanoseconds
            epochs.append(Double(now - last) / 1e9)
            last = now
        }
        let perEpoch = epochs.dropFirst().reduce(0, +) / Double(max(1, epochs.count - 1))
        // Per training batch of B=10 graphs (90 rows): layers 2–3 run 3 GEMMs of 90×600×600, the
        // last layer 2 GEMMs of 10×600×600 plus one for its input gradient; 90 batches an epoch.
        let perBatch: Double = 6.0 * 90 * 600 * 600 + 3.0 * 10 * 600 * 600
        let gemmFlops: Double = 90 * 2 * perBatch
        print(String(format: "  %@: %.3f s per epoch; GCN GEMMs %.1f GFLOP per epoch → %.1f GFLOP/s over the whole epoch",
                     precision.rawValue, perEpoch, gemmFlops / 1e9, gemmFlops / perEpoch / 1e9))
    }
    guard full else { return }
    print("== full d-cpu training (Table S1 settings, seed 1)")
    for precision in [AnyGCN.Precision.float64, .float32] {
        var spec = GCNPredictorSpec(device: table.name)
        spec.precision = precision
        let p = try LatencyPredictor.train(table, spec: spec)
        let m = p.testMetrics(table)
        let predictAll = seconds { _ = LatencyPredictor.predictAllFresh(p) }
        print(String(format: "  %@: %.1f s, %d epochs; test within 1/5/10%%: %.1f / %.1f / %.1f (n=%d); predicting all 15625 models %.3f s",
                     precision.rawValue, p.trainingSeconds, p.history.count, m.within1, m.within5, m.within10, m.n, predictAll))
    }
}

/// Time of one fused AdamW step over the GCN's parameters.
func benchAdamW() {
    func run<T: Real>(_: T.Type) -> Double {
        let gcn = GCN<T>(config: GCNConfig(), seed: 1)
        var opt = AdamW<T>(parameters: gcn.store.count, learningRate: 1e-3, weightDecay: 5e-4)
        opt.beginStep()
        opt.update(gcn.store)
        return seconds {
            for _ in 0..<90 {
                opt.beginStep()
                opt.update(gcn.store)
            }
        } / 90
    }
    let n = GCN<Double>(config: GCNConfig(), seed: 1).store.count
    for (name, t) in [("float64", run(Double.self)), ("float32", run(Float.self))] {
        print(String(format: "  AdamW %@ step over %d parameters (isolated, warm): %.2f ms (%.2f ns/parameter)", name, n, t * 1e3,
                     t / Double(n) * 1e9))
    }
}
