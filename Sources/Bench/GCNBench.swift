import Foundation
import Infra
import NASLib

/// Peak resident memory of this process (MiB).
func peakMemoryMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

/// One training of `epochs` epochs (Table S1's settings otherwise): the mean over epochs after the first of an epoch's
/// seconds, its GEMMs' seconds and their flops.
func epochSeconds(
    _ table: MetricTable, _ precision: AnyGCN.Precision, epochs: Int
) throws -> (perEpoch: Double, gemmSeconds: Double, gemmFlops: Double) {
    var spec = GCNPredictorSpec(device: table.name)
    spec.precision = precision
    spec.options.epochs = epochs
    var times: [Double] = []
    var last = DispatchTime.now().uptimeNanoseconds
    BLAS.Profile.reset()
    BLAS.Profile.enabled.store(true, ordering: .relaxed)
    defer { BLAS.Profile.enabled.store(false, ordering: .relaxed) }
    var gemmSeconds: [Double] = []
    var gemmFlops: [Double] = []
    _ = try LatencyPredictor.train(table, spec: spec) { _ in
        let now = DispatchTime.now().uptimeNanoseconds
        times.append(Double(now - last) / 1e9)
        gemmSeconds.append(Double(BLAS.Profile.nanoseconds.load(ordering: .relaxed)) / 1e9)
        gemmFlops.append(Double(BLAS.Profile.flops.load(ordering: .relaxed)))
        BLAS.Profile.reset()
        last = now
    }
    let n = Double(times.count - 1)
    return (
        times.dropFirst().reduce(0, +) / n, gemmSeconds.dropFirst().reduce(0, +) / n,
        gemmFlops.dropFirst().reduce(0, +) / n
    )
}

/// Seconds per training epoch (900 models, batch 10) and the GEMM rate inside it, next to the
/// GEMM peak measured in the same run; with `full`, a whole d-cpu training per precision, its
/// accuracy, and predicting all 15625 models.
func benchGCN(full: Bool) throws {
    let directory = try DataLocation.resolve(environment: ProcessInfo.processInfo.environment)
    let bench = Benchmark(directory: directory)
    let table = try bench.table(named: "d-cpu")
    let threads = Parallel.concurrent ? Parallel.parts : 1
    print(
        "== GCN latency predictor (d-cpu, 900 training models, batch 10; \(threads) core(s); GEMM: \(BLAS.kernel.rawValue))"
    )
    for precision in [AnyGCN.Precision.float64, .float32] {
        let peak = precision == .float64 ? machinePeak(Double.self) : machinePeak(Float.self)
        let (perEpoch, gs, gf) = try epochSeconds(table, precision, epochs: 6)
        print(
            String(
                format:
                    "  %@: %.3f s per epoch; GEMMs %.1f GFLOP in %.3f s = %.1f GFLOP/s (%.0f%% of this run's GEMM peak %.1f GFLOP/s), %.0f%% of the epoch",
                precision.rawValue, perEpoch, gf / 1e9, gs, gf / gs / 1e9, 100 * gf / gs / 1e9 / peak, peak,
                100 * gs / perEpoch))
        let on = threads == 1 ? " on one core" : ""
        let name = precision.rawValue
        Figures.add("GEMM peak\(on)", name, peak, "GFLOP/s", String(format: "%.1f GFLOP/s", peak))
        Figures.add(
            "one training epoch, 900 models, batch 10\(on)", name, perEpoch, "s", String(format: "%.3f s", perEpoch))
        Figures.add(
            "its GEMMs\(on)", name, gs, "s",
            String(
                format: "%.1f GFLOP in %.3f s, %.1f GFLOP/s (%.0f %% of peak)", gf / 1e9, gs, gf / gs / 1e9,
                100 * gf / gs / 1e9 / peak))
    }
    guard full else { return }
    print("== full d-cpu training (Table S1 settings, seed 1)")
    for precision in [AnyGCN.Precision.float64, .float32] {
        var spec = GCNPredictorSpec(device: table.name)
        spec.precision = precision
        let p = try LatencyPredictor.train(table, spec: spec)
        let m = p.testMetrics(table)
        let predictAll = seconds { _ = LatencyPredictor.predictAllFresh(p) }
        print(
            String(
                format:
                    "  %@: %.1f s, %d epochs (%.2f s/epoch); test within 1/5/10%%: %.1f / %.1f / %.1f (n=%d); predicting all 15625 models %.3f s",
                precision.rawValue, p.trainingSeconds, p.history.count, p.trainingSeconds / Double(p.history.count),
                m.within1, m.within5, m.within10, m.n, predictAll))
        Figures.add(
            "whole d-cpu training (Table S1, seed 1)", precision.rawValue, p.trainingSeconds, "s",
            String(format: "%.1f s, %d epochs, %.1f %% within 5 %%", p.trainingSeconds, p.history.count, m.within5))
    }
    print(String(format: "  peak memory %.0f MiB", peakMemoryMiB()))
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
        print(
            String(
                format:
                    "  AdamW %@ step over %d parameters (isolated, warm): %.2f ms (%.2f ns/parameter); 90 steps per epoch = %.2f s",
                name, n, t * 1e3, t / Double(n) * 1e9, 90 * t))
        Figures.add(
            String(format: "an AdamW step over %.2f M parameters (alone)", Double(n) / 1e6), name, t * 1e3, "ms",
            String(format: "%.2f ms (%.2f s per epoch of 90 steps)", t * 1e3, 90 * t))
    }
}

/// Oracle NAS over all thresholds once predictions exist.
func benchOracle() throws {
    let b = Benchmark(directory: try DataLocation.resolve(environment: ProcessInfo.processInfo.environment))
    let lat = try b.table(named: "d-gpu")
    let acc = try b.accuracy(.cifar100, .test)
    let archs = lat.measured.filter { acc[$0] != nil }
    var rng = SeededRandom(seed: 1)
    let predicted = archs.map { lat[$0]! * (1 + 0.05 * rng.normal()) }
    let measured = archs.map { lat[$0]! }
    let accuracy = archs.map { acc[$0]! }
    let thresholds = (0...60).map { 0.001 + Double($0) * 0.0001 }
    _ = OracleNAS.run(
        archs: archs, predicted: predicted, measured: measured, accuracy: accuracy, thresholds: thresholds)
    let t = seconds {
        _ = OracleNAS.run(
            archs: archs, predicted: predicted, measured: measured, accuracy: accuracy, thresholds: thresholds)
    }
    print(String(format: "== oracle NAS: 61 thresholds over %d archs in %.1f ms", archs.count, t * 1e3))
}

/// Predicting all 15625 NB201 models with an (untrained) latency GCN, split into its parts: encoding the cells as
/// graphs, building the evaluation plan (the distinct rows per layer), and the GEMMs and head over the plan.
func benchPredict() {
    print("== predicting all 15625 NB201 models (4 layers × 600; minimum of 5 runs)")
    func best(_ body: () -> Void) -> Double { (0..<5).map { _ in seconds(body) }.min()! }
    var graphs: [CellGraph] = []
    let encode = best { graphs = NB201Arch.all.map(\.graph) }
    var plan = EvaluationPlan(graphs, layers: 4)
    let build = best { plan = EvaluationPlan(graphs, layers: 4) }
    print(
        String(
            format: "  encoding %.1f ms; plan %.1f ms (distinct rows per layer %@, the last = distinct graphs)",
            encode * 1e3, build * 1e3, plan.distinctRows.map(String.init).joined(separator: "/")))
    for precision in [AnyGCN.Precision.float32, .float64] {
        let model = AnyGCN(precision: precision, config: GCNConfig(), seed: 1)
        // Every run counts its GEMMs (a clock read per GEMM call, a handful per pass); the fastest run's are shown,
        // so the GEMM time is a part of the time beside it.
        BLAS.Profile.enabled.store(true, ordering: .relaxed)
        let runs = (0..<5).map { _ in
            BLAS.Profile.reset()
            let t = seconds { _ = model.predict(plan) }
            return (
                t, Double(BLAS.Profile.nanoseconds.load(ordering: .relaxed)) / 1e9,
                Double(BLAS.Profile.flops.load(ordering: .relaxed))
            )
        }
        BLAS.Profile.enabled.store(false, ordering: .relaxed)
        let (run, gemm, flops) = runs.min { $0.0 < $1.0 }!
        print(
            String(
                format: "  %@: predicting from the plan %.1f ms, of which GEMMs %.1f GFLOP in %.1f ms (%.0f GFLOP/s)",
                precision.rawValue, run * 1e3, flops / 1e9, gemm * 1e3, flops / gemm / 1e9))
        Figures.add(
            "predicting all 15625 models from the space's plan", precision.rawValue, run * 1e3, "ms",
            String(format: "%.1f ms, GEMMs %.1f GFLOP in %.1f ms", run * 1e3, flops / 1e9, gemm * 1e3))
    }
    for precision in ["float64", "float32"] {
        Figures.add(
            "making the space's plan (once per process)", precision, build * 1e3, "ms",
            String(format: "%.1f ms", build * 1e3))
    }
}
