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
    }
    let p = PairPredictor(spec: options.predictor, seed: 1)
    let all = NB201Arch.all
    let rankTime = seconds { _ = p.rank(all) }
    print(String(format: "  ranking all 15625 models: %.2f s", rankTime))
}
