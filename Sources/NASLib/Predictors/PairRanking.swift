/// Ranking models with a pair predictor (best first). The learned relation need not be
/// transitive, so the order is defined explicitly and is deterministic:
///
/// - `wins` (default): each model's score is the number of comparisons it wins against every
///   other model, in both argument orders; ties go to the smaller index. O(n log n) because the
///   pair score is first[i] + second[j] + bias.
/// - `mergesort`: a stable merge sort with the predictor as comparator, starting from the
///   given order (eagle sorts with Python's `sorted` and a comparator).
public enum PairRanking {
    public enum Order: String, Sendable, Codable, CaseIterable {
        case wins
        case mergesort
    }

    /// Indices of the models, best first.
    public static func rank(first f: [Double], second g: [Double], bias c: Double, order: Order) -> [Int] {
        let n = f.count
        switch order {
        case .wins:
            // i beats j (as first argument) when f[i] + g[j] + c > 0; as second when f[j] + g[i] + c < 0.
            let gs = g.sorted()
            let fs = f.sorted()
            let wins = (0..<n).map { i -> Int in
                let asFirst = n - upperBound(gs, -f[i] - c) - (f[i] + g[i] + c > 0 ? 1 : 0)
                let asSecond = lowerBound(fs, -g[i] - c) - (f[i] + g[i] + c < 0 ? 1 : 0)
                return asFirst + asSecond
            }
            return (0..<n).sorted { wins[$0] > wins[$1] || (wins[$0] == wins[$1] && $0 < $1) }
        case .mergesort:
            return mergeSort(Array(0..<n)) { i, j in f[i] + g[j] + c > 0 }
        }
    }

    /// First index with xs[k] > v.
    static func upperBound(_ xs: [Double], _ v: Double) -> Int {
        var lo = 0
        var hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// First index with xs[k] >= v.
    static func lowerBound(_ xs: [Double], _ v: Double) -> Int {
        var lo = 0
        var hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Stable merge sort: `better(a, b)` puts a before b.
    static func mergeSort(_ xs: [Int], _ better: (Int, Int) -> Bool) -> [Int] {
        if xs.count <= 1 { return xs }
        let mid = xs.count / 2
        let a = mergeSort(Array(xs[..<mid]), better)
        let b = mergeSort(Array(xs[mid...]), better)
        var out: [Int] = []
        out.reserveCapacity(xs.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if better(b[j], a[i]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        return out + a[i...] + b[j...]
    }
}
