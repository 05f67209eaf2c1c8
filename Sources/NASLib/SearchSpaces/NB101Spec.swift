/// A NAS-Bench-101 model as its search operates on it: the original 7-node matrix and ops before pruning (what
/// mutation changes, as in NAS-Bench-101's own evolution example) and the pruned cell it stands for (what is
/// trained, looked up and encoded).
public struct NB101Spec: Hashable, Sendable {
    public static let vertices = NB101Cell.maxNodes
    /// The ops a middle node can hold.
    public static let middleOps: [NB101Cell.Op] = [.conv3x3, .conv1x1, .maxpool]

    /// vertices × vertices, strictly upper-triangular, row = source.
    public let matrix: [[Int]]
    public let ops: [NB101Cell.Op]

    /// The cell after pruning; nil when the spec is not a valid NAS-Bench-101 model (output unreachable, or more
    /// than 9 edges once pruned: NAS-Bench-101's `is_valid`).
    public var cell: NB101Cell? {
        guard let pruned = try? NB101Cell(adjacency: matrix, ops: ops, limitAfterPruning: true) else { return nil }
        return pruned
    }

    init(matrix: [[Int]], ops: [NB101Cell.Op]) {
        self.matrix = matrix
        self.ops = ops
    }

    /// A uniformly random valid model as NAS-Bench-101's `random_spec` draws one: every upper-triangular edge
    /// present with probability 1/2, every middle op uniform over the three, redrawn until valid.
    public static func random(_ rng: inout SeededRandom) -> NB101Spec {
        while true {
            var m = [[Int]](repeating: [Int](repeating: 0, count: vertices), count: vertices)
            for i in 0..<vertices { for j in (i + 1)..<vertices { m[i][j] = rng.int(below: 2) } }
            var ops = (0..<vertices).map { _ in middleOps[rng.int(below: middleOps.count)] }
            ops[0] = .input
            ops[vertices - 1] = .output
            let s = NB101Spec(matrix: m, ops: ops)
            if s.cell != nil { return s }
        }
    }

    /// NAS-Bench-101's evolution mutation (its example's `mutate_spec`, mutation rate 1): each upper-triangular
    /// edge flips with probability 1/7 and each of the 5 middle ops is redrawn among the other two with probability
    /// 1/5, on the original matrix, repeated until the result is valid.
    public func mutated(_ rng: inout SeededRandom) -> NB101Spec {
        while true {
            var m = matrix
            var o = ops
            for i in 0..<(Self.vertices - 1) {
                for j in (i + 1)..<Self.vertices where rng.uniform() < 1 / Double(Self.vertices) {
                    m[i][j] = 1 - m[i][j]
                }
            }
            for k in 1..<(Self.vertices - 1) where rng.uniform() < 1 / Double(Self.vertices - 2) {
                let others = Self.middleOps.filter { $0 != o[k] }
                o[k] = others[rng.int(below: others.count)]
            }
            let s = NB101Spec(matrix: m, ops: o)
            if s.cell != nil { return s }
        }
    }
}
