/// Trains a regression GCN as eagle's `train` does: per epoch, shuffled mini-batches with one
/// AdamW step each; then the validation loss in evaluation mode (mean L1 per model); the lowest
/// validation loss's weights are kept; after the warm-up epochs the plateau schedule and early
/// stopping look at the validation loss.
public struct RegressionTrainer<T: Real> {
    public let options: TrainingOptions
    /// Maps a target to the actual value (an accuracy from its normalised form); when set, each epoch also records
    /// the share of validation models predicted within 1 / 5 / 10 % of their actual value.
    public var actual: ((Double) -> Double)?

    public init(options: TrainingOptions, actual: ((Double) -> Double)? = nil) {
        self.options = options
        self.actual = actual
    }

    /// Shares (%) of predictions within 1, 5 and 10 % (relative) of the actual values.
    public static func within(_ predictions: [Double], _ targets: [Double], _ actual: (Double) -> Double) -> [Double] {
        [0.01, 0.05, 0.10].map { bound in
            let hits = zip(predictions, targets).filter { p, t in
                let a = actual(t)
                return abs(actual(p) - a) <= bound * abs(a)
            }.count
            return 100 * Double(hits) / Double(max(1, targets.count))
        }
    }

    /// Trains `gcn` in place. `observe` sees every epoch and may throw to stop (Ctrl-C).
    public func train(
        _ gcn: GCN<T>, train: [CellGraph], trainTargets: [Double], valid: [CellGraph],
        validTargets: [Double], seed: Int, observe: (EpochRecord) throws -> Void = { _ in }
    ) throws -> [EpochRecord] {
        precondition(
            train.count == trainTargets.count && valid.count == validTargets.count, "targets do not match graphs")
        precondition(!train.isEmpty, "no training graphs")
        var rng = SeededRandom(seed: seed)
        var optimizer = AdamW<T>(
            parameters: gcn.store.count, learningRate: options.learningRate,
            weightDecay: options.weightDecay)
        var plateau = ReduceLROnPlateau(patience: options.lrPatience)
        var stopping = EarlyStopping(patience: options.patience)
        let cosine = CosineAnnealing(base: options.learningRate, periods: options.epochs)
        let validPlan = valid.isEmpty ? nil : EvaluationPlan(valid, layers: gcn.config.layers)
        let targets = trainTargets.map { T($0) }
        var best = (loss: Double.infinity, values: gcn.store.snapshot())
        var history: [EpochRecord] = []
        for epoch in 0..<options.epochs {
            let lr = optimizer.learningRate
            var order = Array(train.indices)
            if options.shuffle { rng.shuffle(&order) }
            var lossSum = 0.0
            for start in stride(from: 0, to: order.count, by: options.batch) {
                let idx = order[start..<min(start + options.batch, order.count)]
                optimizer.beginStep()
                // AdamW updates each layer as soon as its gradients are final (same result as one
                // update after the whole backward pass; cheaper, the data is still in cache).
                lossSum += Double(
                    gcn.regressionStep(
                        GraphBatch(idx.map { train[$0] }), targets: idx.map { targets[$0] },
                        mse: options.loss == .mse, &rng
                    ) { optimizer.update(gcn.store, range: $0) })
            }
            // The epoch's mean mini-batch loss (training mode). eagle evaluates the training set
            // again after the epoch; that pass informs nothing, so it is not repeated here.
            let trainLoss = lossSum / Double(train.count)
            let validPredictions = validPlan.map { gcn.predict($0) }
            let validLoss = validPredictions.map { meanLoss($0, validTargets) } ?? trainLoss
            if validLoss < best.loss { best = (validLoss, gcn.store.snapshot()) }
            var record = EpochRecord(epoch: epoch, trainLoss: trainLoss, validLoss: validLoss, learningRate: lr)
            if let actual, let predictions = validPredictions {
                record.validWithin = RegressionTrainer.within(predictions.map(Double.init), validTargets, actual)
            }
            try record.checkFinite()
            history.append(record)
            try observe(record)
            switch options.schedule {
            case .plateau where epoch > options.warmup:
                plateau.step(validLoss, learningRate: &optimizer.learningRate)
            case .cosine:
                optimizer.learningRate = cosine.learningRate(after: epoch + 1)
            case .plateau, .constant:
                break
            }
            if options.patience > 0, epoch > options.warmup, stopping.step(validLoss) { break }
        }
        if options.restoreBest && best.loss.isFinite { gcn.store.restore(best.values) }
        return history
    }

    func meanLoss(_ predictions: [T], _ targets: [Double]) -> Double {
        var s = 0.0
        for (p, t) in zip(predictions, targets) {
            let d = Double(p) - t
            s += options.loss == .mse ? d * d : abs(d)
        }
        return s / Double(max(1, targets.count))
    }
}
