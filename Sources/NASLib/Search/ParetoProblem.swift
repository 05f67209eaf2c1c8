/// The exact accuracy–cost trade-off of NB201 on one or more cost tables: every model with an accuracy and every
/// cost, its exact non-dominated front (accuracy maximised, costs minimised) and the front's hypervolume, against
/// which a search's models are scored (docs/search.md, "Accuracy and cost together").
///
/// The reference point is the worst accuracy and the largest value of each cost over the same models, so a
/// hypervolume ratio compares across methods and papers without a free parameter; a model equal to the reference in
/// some objective adds nothing. Ties: models with equal objectives are all on the front (each is listed), and count
/// once in a hypervolume.
public struct ParetoProblem: Sendable {
    /// The accuracy (%) maximised.
    public let accuracy: MetricTable
    /// The costs minimised, in their tables' units (seconds, joules, or whatever a predictor gives).
    public let costs: [MetricTable]
    /// Every model with an accuracy and all costs, in code order.
    public let models: [NB201Arch]
    /// In minimisation form: the negated worst accuracy, then each cost's largest value.
    public let reference: [Double]
    /// The non-dominated models, by the first cost ascending, then accuracy descending, then code.
    public let front: [NB201Arch]
    /// The front's hypervolume (accuracy in % times the costs in their units).
    public let hypervolume: Double

    /// `models`: restrict to these (nil: every model with all values). `reference`: in minimisation form (nil: the
    /// worst values, above).
    public init(
        accuracy: MetricTable, costs: [MetricTable], models restrict: [NB201Arch]? = nil, reference: [Double]? = nil
    ) throws {
        guard !costs.isEmpty else { throw NASLibError("a trade-off needs at least one cost") }
        self.accuracy = accuracy
        self.costs = costs
        let pool = restrict ?? accuracy.measured
        models = pool.filter { a in accuracy[a] != nil && costs.allSatisfy { $0[a] != nil } }.sorted()
        guard !models.isEmpty else {
            throw NASLibError(
                "no model has both an accuracy (\(accuracy.name)) and every cost (\(costs.map(\.name).joined(separator: ", ")))"
            )
        }
        let points = models.map { a in [-accuracy[a]!] + costs.map { $0[a]! } }
        if let r = reference {
            guard r.count == costs.count + 1, r.allSatisfy(\.isFinite) else {
                throw NASLibError(
                    "the reference point needs \(costs.count + 1) finite values (the accuracy, then each cost)")
            }
            self.reference = r
        } else {
            self.reference = (0...costs.count).map { k in points.map { $0[k] }.max()! }
        }
        let onFront = Pareto.front(points)
        let all = models
        front = onFront.sorted { i, j in
            (points[i][1], points[i][0], all[i].code) < (points[j][1], points[j][0], all[j].code)
        }
        .map { all[$0] }
        hypervolume = Pareto.hypervolume(onFront.map { points[$0] }, reference: self.reference)
    }

    /// A model's objectives in minimisation form (nil when a value is missing).
    public func point(_ a: NB201Arch) -> [Double]? {
        guard let acc = accuracy[a] else { return nil }
        var p = [-acc]
        for t in costs {
            guard let c = t[a] else { return nil }
            p.append(c)
        }
        return p
    }

    /// The hypervolume of these models (those without every value add nothing).
    public func hypervolume(of archs: [NB201Arch]) -> Double {
        let pts = archs.compactMap(point)
        return Pareto.hypervolume(Pareto.front(pts).map { pts[$0] }, reference: reference)
    }

    /// The hypervolume ratio (found / exact) after each model of a search, in order.
    public func ratioCurve(_ archs: [NB201Arch]) -> [Double] {
        var kept: [[Double]] = []
        var hv = 0.0
        return archs.map { a in
            if let p = point(a), !kept.contains(where: { $0 == p || Pareto.dominates($0, p) }) {
                kept = kept.filter { !Pareto.dominates(p, $0) } + [p]
                hv = Pareto.hypervolume(kept, reference: reference)
            }
            return hypervolume > 0 ? hv / hypervolume : 0
        }
    }
}
