/// PyTorch's `ReduceLROnPlateau` (mode 'min', threshold_mode 'rel', cooldown 0, min_lr 0,
/// eps 1e-8): when the metric has not improved on the best by more than `threshold` (relative)
/// for more than `patience` steps, multiply the learning rate by `factor`.
public struct ReduceLROnPlateau: Sendable, Equatable {
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public private(set) var best = Double.infinity
    public private(set) var badSteps = 0

    public init(factor: Double = 0.5, patience: Int = 10, threshold: Double = 0.01) {
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
    }

    public mutating func step(_ metric: Double, learningRate lr: inout Double) {
        if metric < best * (1 - threshold) {
            best = metric
            badSteps = 0
        } else {
            badSteps += 1
        }
        if badSteps > patience {
            let reduced = max(lr * factor, 0)
            if lr - reduced > 1e-8 { lr = reduced }
            badSteps = 0
        }
    }
}

/// PyTorch's `CosineAnnealingLR(T_max, eta_min)` in closed form:
/// η_t = η_min + (η_0 − η_min)(1 + cos(π t / T_max)) / 2.
public struct CosineAnnealing: Sendable, Equatable {
    public let base: Double
    public let periods: Int
    public let minimum: Double

    public init(base: Double, periods: Int, minimum: Double = 0) {
        self.base = base
        self.periods = periods
        self.minimum = minimum
    }

    public func learningRate(after steps: Int) -> Double {
        minimum + (base - minimum) * (1 + Double.cos(Double.pi * Double(steps) / Double(periods))) / 2
    }
}

/// eagle's early stopping (mode 'min', min_delta 0): stop once the metric has not improved on
/// the best for `patience` steps, or is NaN. The first step only records the metric.
public struct EarlyStopping: Sendable, Equatable {
    public let patience: Int
    public private(set) var best: Double?
    public private(set) var badSteps = 0

    public init(patience: Int) { self.patience = patience }

    /// Returns true when training should stop.
    public mutating func step(_ metric: Double) -> Bool {
        guard let b = best else {
            best = metric
            return false
        }
        if metric.isNaN { return true }
        if metric < b {
            best = metric
            badSteps = 0
        } else {
            badSteps += 1
        }
        return badSteps >= patience
    }
}
