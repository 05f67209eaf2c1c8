/// Trains a binary relation predictor (a pair-head GCN) on models with known accuracies.
///
/// - `faithful` (eagle): every ordered pair (m1 ≠ m2) of the training models, shuffled, in
///   batches of `batch` pairs; each pair's two models get their own forward passes.
/// - `fast`: batches of `batch` distinct models; every model is embedded once per step and all
///   ordered pairs among the batch's models feed the loss (the embeddings' gradients are summed).
///
/// After every epoch the loss over all training pairs in evaluation mode is the validation loss
/// (as eagle does when training iteratively); the best weights are kept, cosine annealing runs
/// over the epochs, early stopping starts after the warm-up epochs.
public struct PairwiseTrainer<T: Real> {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        case faithful
        case fast
    }

    /// The batch when none is given: pairs in the faithful mode (eagle: 64/32/32 for 100/50/25
    /// training models), models in the fast mode (20).
    public static func defaultBatch(_ mode: Mode, models: Int) -> Int {
        mode == .faithful ? (models >= 100 ? 64 : 32) : 20
    }

    public let options: TrainingOptions
    public let mode: Mode
    public let loss: GCN<T>.PairLoss

    public init(options: TrainingOptions, mode: Mode, loss: GCN<T>.PairLoss) {
        self.options = options
        self.mode = mode
        self.loss = loss
    }

    /// Trains in place; `accuracies` are the models' (normalised) training targets.
    public func train(
        _ gcn: GCN<T>, models: [CellGraph], accuracies: [Double], seed: Int,
        observe: (EpochRecord) throws -> Void = { _ in }
    ) throws -> [EpochRecord] {
        let n = models.count
        precondition(n >= 2, "pair training needs at least two models")
        var rng = SeededRandom(seed: seed)
        var optimizer = AdamW<T>(
            parameters: gcn.store.count, learningRate: options.learningRate, weightDecay: options.weightDecay)
        var stopping = EarlyStopping(patience: options.patience)
        let cosine = CosineAnnealing(base: options.learningRate, periods: options.epochs)
        let plan = EvaluationPlan(models, layers: gcn.config.layers)
        let allPairs = (0..<n).flatMap { i in (0..<n).filter { $0 != i }.map { (i, $0) } }
        var best = (loss: Double.infinity, values: gcn.store.snapshot())
        var history: [EpochRecord] = []
        for epoch in 0..<options.epochs {
            let lr = optimizer.learningRate
            var sum = 0.0
            for (graphs, pairs, acc) in batches(models, accuracies, allPairs, &rng) {
                optimizer.beginStep()
                sum += Double(
                    gcn.pairStep(GraphBatch(graphs), pairs: pairs, accuracies: acc, loss: loss, &rng) {
                        optimizer.update(gcn.store, range: $0)
                    })
            }
            let valid = evaluationLoss(gcn, plan, accuracies, allPairs)
            if valid < best.loss { best = (valid, gcn.store.snapshot()) }
            let record = EpochRecord(
                epoch: epoch, trainLoss: sum / Double(allPairs.count), validLoss: valid, learningRate: lr)
            try record.checkFinite()
            history.append(record)
            try observe(record)
            switch options.schedule {
            case .cosine: optimizer.learningRate = cosine.learningRate(after: epoch + 1)
            case .plateau, .constant: break
            }
            if options.patience > 0, epoch > options.warmup, stopping.step(valid) { break }
        }
        if options.restoreBest && best.loss.isFinite { gcn.store.restore(best.values) }
        return history
    }

    /// The epoch's steps: graphs to embed, pairs among them, and their accuracies.
    func batches(
        _ models: [CellGraph], _ acc: [Double], _ allPairs: [(Int, Int)],
        _ rng: inout SeededRandom
    ) -> [([CellGraph], [(Int, Int)], [Double])] {
        switch mode {
        case .faithful:
            var order = allPairs
            if options.shuffle { rng.shuffle(&order) }
            return stride(from: 0, to: order.count, by: options.batch).map { start in
                let chunk = order[start..<min(start + options.batch, order.count)]
                // Two forward passes per pair: rows 0..<b are first members, b..<2b second.
                let b = chunk.count
                let graphs = chunk.map { models[$0.0] } + chunk.map { models[$0.1] }
                let a = chunk.map { acc[$0.0] } + chunk.map { acc[$0.1] }
                return (graphs, (0..<b).map { ($0, b + $0) }, a)
            }
        case .fast:
            var order = Array(models.indices)
            if options.shuffle { rng.shuffle(&order) }
            let size = max(2, options.batch)
            return stride(from: 0, to: order.count, by: size).compactMap { start in
                var idx = Array(order[start..<min(start + size, order.count)])
                // A lone last model joins the previous batch's first model so it has a pair.
                if idx.count == 1 { idx.append(order[0]) }
                let pairs = idx.indices.flatMap { i in idx.indices.filter { $0 != i }.map { (i, $0) } }
                return (idx.map { models[$0] }, pairs, idx.map { acc[$0] })
            }
        }
    }

    /// Mean loss over all ordered pairs, evaluation mode (embeddings computed once).
    func evaluationLoss(_ gcn: GCN<T>, _ plan: EvaluationPlan, _ acc: [Double], _ pairs: [(Int, Int)]) -> Double {
        let e = gcn.embed(plan)
        var total = 0.0
        for start in stride(from: 0, to: pairs.count, by: 4096) {
            let chunk = Array(pairs[start..<min(start + 4096, pairs.count)])
            total += Double(gcn.pairHead(gcn.pairInputs(e, chunk), GCN.pairTargets(acc, chunk, loss), loss).0)
        }
        return total / Double(pairs.count)
    }
}
