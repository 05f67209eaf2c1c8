/// How a GCN predictor is trained. Defaults are Table S1 (latency predictors); the accuracy
/// predictors use `accuracyDefaults` (Table S3).
public struct TrainingOptions: Sendable, Equatable, Codable {
    public enum Schedule: String, Sendable, Codable {
        /// ReduceLROnPlateau on the validation loss (factor 0.5, threshold 0.01 relative).
        case plateau
        /// Cosine annealing to 0 over `epochs`.
        case cosine
        /// A constant learning rate.
        case constant
    }

    public enum LossKind: String, Sendable, Codable {
        case l1
        case mse
    }

    public var epochs = 250
    public var batch = 10
    public var learningRate = 8e-4
    public var weightDecay = 5e-4
    public var schedule = Schedule.plateau
    /// Plateau patience (epochs without improvement before halving the learning rate).
    public var lrPatience = 10
    /// Early-stopping patience; 0 disables early stopping.
    public var patience = 35
    /// The plateau schedule and early stopping only start after this epoch (eagle: 20).
    public var warmup = 20
    /// Restore the weights of the epoch with the lowest validation loss at the end. (The
    /// official code meant to, but its saved copy shared memory with the live weights, so it kept
    /// the final ones.)
    public var restoreBest = true
    public var loss = LossKind.l1
    public var shuffle = true

    public init() {}

    /// Table S3: cosine annealing, lr 3.5e-4, AdamW, weight decay 5e-4, ≤ 250 epochs, early
    /// stopping patience 35; batch 50/32/16 for 100/50/25 training models.
    public static func accuracyDefaults(models: Int) -> TrainingOptions {
        var o = TrainingOptions()
        o.learningRate = 3.5e-4
        o.schedule = .cosine
        o.batch = models >= 100 ? 50 : (models >= 50 ? 32 : 16)
        return o
    }
}

/// One epoch of a training run.
public struct EpochRecord: Sendable, Equatable, Codable {
    public let epoch: Int
    /// Mean absolute error (or squared error for MSE training) on the training set, evaluation mode.
    public let trainLoss: Double
    public let validLoss: Double
    public let learningRate: Double
    /// For accuracy predictors: the share (%) of validation models whose predicted accuracy is within 1 / 5 / 10 %
    /// of the actual one (relative), after this epoch — the y-axis of the paper's Figure S4. nil otherwise.
    public var validWithin: [Double]? = nil

    public init(epoch: Int, trainLoss: Double, validLoss: Double, learningRate: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validLoss = validLoss
        self.learningRate = learningRate
    }
}

extension EpochRecord {
    /// A loss that is NaN or infinite means the weights are no longer numbers: every later
    /// prediction would be silently wrong, so training stops with an error instead.
    func checkFinite() throws {
        guard trainLoss.isFinite && validLoss.isFinite else {
            throw NASLibError(
                "training diverged at epoch \(epoch + 1): training loss \(trainLoss), validation loss \(validLoss) "
                    + "(learning rate \(learningRate)); try a smaller learning rate (lr:) or precision: \"float64\"")
        }
    }
}
