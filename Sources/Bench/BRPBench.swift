import Foundation
import NASLib

/// One default BRP-NAS search (K = M = 100, CIFAR-100 test accuracy, no latency limit) and the
/// time to rank every model.
func benchBRP(mode: PairwiseTrainer<Float>.Mode, seeds: [Int], batch: Int?) throws {
    let b = Benchmark(directory: try DataLocation.resolve(environment: ProcessInfo.processInfo.environment))
    let acc = try b.accuracy(.cifar100, .test)
    let signal = AccuracySignal(acc)
    let problem = SearchProblem(report: acc)
    var options = BRPNAS.Options()
    options.predictor.mode = mode
    options.batch = batch ?? PairwiseTrainer<Float>.defaultBatch(mode, models: options.K)
    print("== BRP-NAS (K = M = 100, \(mode.rawValue) mode, batch \(options.batch), CIFAR-100 test)")
    for seed in seeds {
        var epochs = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let verbose = ProcessInfo.processInfo.environment["BRP_VERBOSE"] != nil
        let trace = try BRPNAS(options: options).run(
            candidates: signal.models, signal: signal, problem: problem, seed: seed
        ) { i, e in
            epochs += 1
            if verbose && e.epoch % 10 == 0 {
                print(
                    "    iteration \(i) epoch \(e.epoch): train \(e.trainLoss) valid \(e.validLoss) lr \(e.learningRate)"
                )
            }
        }
        let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(
            String(
                format: "  seed %d: best %.2f (rank %d), spearman %.3f, %d epochs, %.1f s", seed, trace.best!.accuracy,
                trace.rank(in: problem)!, trace.extras["spearman"]!, epochs, t))
        Figures.add(
            "one BRP-NAS search, K = M = 100 (seed \(seed))", "float32", t, "s",
            String(format: "%.1f s (best %.2f)", t, trace.best!.accuracy))
    }
    // Where a search's time goes: the same search (seed of the first run) driven through its session with the
    // predictor's retraining and ranking timed; the rest is the session's own bookkeeping (selection, lookups).
    if let seed = seeds.first {
        let inner = SessionRanker<NB201Arch>(
            PairPredictor(spec: options.predictor, seed: SeededRandom.subseed(seed, 1)))
        var training = 0.0
        var ranking = 0.0
        // The trainings' GEMM work and time, counted by the GEMM itself (only while a retraining runs).
        var trainingFlops = 0.0
        var trainingGemm = 0.0
        var trainingEpochs = 0
        let timed = SessionRanker<NB201Arch>(
            retrain: { models, targets, o, s, observe in
                let t0 = DispatchTime.now().uptimeNanoseconds
                BLAS.Profile.reset()
                BLAS.Profile.enabled.store(true, ordering: .relaxed)
                defer {
                    BLAS.Profile.enabled.store(false, ordering: .relaxed)
                    trainingFlops += Double(BLAS.Profile.flops.load(ordering: .relaxed))
                    trainingGemm += Double(BLAS.Profile.nanoseconds.load(ordering: .relaxed)) / 1e9
                    training += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                }
                try inner.retrain(models, targets, o, s) { e in
                    trainingEpochs += 1
                    try observe(e)
                }
            },
            rank: { models in
                let t0 = DispatchTime.now().uptimeNanoseconds
                defer { ranking += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
                return inner.rank(models)
            }, minimumModels: inner.minimumModels)
        let start = DispatchTime.now().uptimeNanoseconds
        let session = try BRPNASSession(
            options: options, ranker: timed, base: options.predictor.options, candidates: signal.models, seed: seed,
            normalizeBy: (signal.low, signal.high))
        var best = -Double.infinity
        while !session.finished {
            for a in session.ask(options.M) {
                best = max(best, acc[a]!)
                try session.tell(a, signal.table[a]!)
            }
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(
            String(
                format:
                    "  where seed %d's search goes (best %.2f): %.1f s = predictor training %.1f s (%.0f%%) + ranking %.2f s (%.0f%%) + bookkeeping %.2f s (%.0f%%)",
                seed, best, total, training, 100 * training / total, ranking, 100 * ranking / total,
                total - training - ranking, 100 * (total - training - ranking) / total))
        Figures.add(
            "its predictor training", "float32", training, "s",
            String(format: "%.1f s (%.0f %%)", training, 100 * training / total))
        // What bounds the training: its GEMM work at this machine's GEMM peak (measured now, as `gemm` measures it).
        let peak = machinePeak(Float.self)
        let floor = trainingFlops / peak / 1e9
        print(
            String(
                format:
                    "  its predictor training: %d epochs, GEMMs %.0f GFLOP in %.1f s (%.0f GFLOP/s); at this run's GEMM peak %.1f GFLOP/s they alone take %.1f s",
                trainingEpochs, trainingFlops / 1e9, trainingGemm, trainingFlops / trainingGemm / 1e9, peak, floor))
        Figures.add(
            "its predictor training's GEMMs", "float32", trainingFlops / 1e9, "GFLOP",
            String(
                format: "%.0f GFLOP in %.1f s over %d epochs (%.0f GFLOP/s)", trainingFlops / 1e9, trainingGemm,
                trainingEpochs, trainingFlops / trainingGemm / 1e9))
        Figures.add(
            "its GEMMs at the GEMM peak", "float32", floor, "s",
            String(format: "%.1f s (peak %.1f GFLOP/s)", floor, peak))
        Figures.add(
            "its ranking and bookkeeping", "float32", total - training, "s",
            String(
                format: "%.2f s + %.2f s (%.0f %%)", ranking, total - training - ranking,
                100 * (total - training) / total))
    }
    let p = PairPredictor(spec: options.predictor, seed: 1)
    let all = NB201Arch.all
    let rankTime = seconds { _ = p.rank(all) }
    print(String(format: "  ranking all 15625 models: %.2f s", rankTime))
    Figures.add(
        "ranking all 15625 models (pairwise predictor)", "float32", rankTime, "s", String(format: "%.2f s", rankTime))
}
