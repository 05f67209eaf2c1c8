/// Multi-objective building blocks over points whose every coordinate is minimised (an accuracy enters negated):
/// dominance, the non-dominated front, non-dominated sorting and crowding distance (NSGA-II, Deb et al. 2002), and
/// the exact hypervolume. Points are `[Double]` of one length; indices refer to the caller's array, and every result
/// lists indices in ascending order where no other order is stated, so results are deterministic.
public enum Pareto {
    /// `a` dominates `b`: no worse in every coordinate and better in at least one. Equal points do not dominate each
    /// other (both stay on a front).
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for i in a.indices {
            if a[i] > b[i] { return false }
            if a[i] < b[i] { better = true }
        }
        return better
    }

    /// The indices of the points no other point dominates, ascending. Duplicates of a non-dominated point are all
    /// on the front.
    public static func front(_ points: [[Double]]) -> [Int] {
        guard let d = points.first?.count else { return [] }
        if d == 2 { return front2(points) }
        return points.indices.filter { i in !points.indices.contains { j in j != i && dominates(points[j], points[i]) }
        }
    }

    /// Two objectives in O(n log n): sorted by the first coordinate then the second, a point is on the front when its
    /// second coordinate is below every earlier point's with a smaller first coordinate, or equals the front point
    /// just before it (a duplicate).
    static func front2(_ p: [[Double]]) -> [Int] {
        let order = p.indices.sorted { (p[$0][0], p[$0][1], $0) < (p[$1][0], p[$1][1], $1) }
        var out: [Int] = []
        var bestY = Double.infinity
        var last: [Double]? = nil
        for i in order {
            if p[i][1] < bestY {
                out.append(i)
                bestY = p[i][1]
                last = p[i]
            } else if let l = last, l == p[i] {
                out.append(i)
            }
        }
        return out.sorted()
    }

    /// Non-dominated sorting: front 0 is the non-dominated points, front k those dominated only by points of fronts
    /// before k. Each front's indices are ascending.
    public static func sortFronts(_ points: [[Double]]) -> [[Int]] {
        points.first?.count == 2 ? sortFronts2(points) : sortFrontsPairwise(points)
    }

    /// Two objectives in O(n log n + n·fronts): in order of the first coordinate (then the second), a point joins the
    /// first front whose latest member (the one with the smallest second coordinate so far) does not dominate it.
    static func sortFronts2(_ p: [[Double]]) -> [[Int]] {
        let order = p.indices.sorted { (p[$0][0], p[$0][1], $0) < (p[$1][0], p[$1][1], $1) }
        var fronts: [[Int]] = []
        var latest: [[Double]] = []
        for i in order {
            var k = 0
            while k < latest.count && dominates(latest[k], p[i]) { k += 1 }
            if k == latest.count {
                fronts.append([i])
                latest.append(p[i])
            } else {
                fronts[k].append(i)
                latest[k] = p[i]
            }
        }
        return fronts.map { $0.sorted() }
    }

    /// Any number of objectives, O(n²) comparisons (Deb et al.'s fast non-dominated sort).
    static func sortFrontsPairwise(_ points: [[Double]]) -> [[Int]] {
        let n = points.count
        var dominatedBy = [Int](repeating: 0, count: n)
        var dominating = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                if dominates(points[i], points[j]) {
                    dominating[i].append(j)
                    dominatedBy[j] += 1
                } else if dominates(points[j], points[i]) {
                    dominating[j].append(i)
                    dominatedBy[i] += 1
                }
            }
        }
        var fronts: [[Int]] = []
        var current = (0..<n).filter { dominatedBy[$0] == 0 }
        while !current.isEmpty {
            fronts.append(current)
            var next: [Int] = []
            for i in current {
                for j in dominating[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            current = next.sorted()
        }
        return fronts
    }

    /// The front number of every point (0: non-dominated).
    public static func ranks(_ points: [[Double]]) -> [Int] {
        var r = [Int](repeating: 0, count: points.count)
        for (k, f) in sortFronts(points).enumerated() { for i in f { r[i] = k } }
        return r
    }

    /// The order in which to prefer points: front by front, within a front the larger crowding distance first (the
    /// extremes, then the least crowded), ties to the smaller index.
    public static func preferenceOrder(_ points: [[Double]]) -> [Int] {
        sortFronts(points).flatMap { f -> [Int] in
            let d = crowding(points, f)
            return f.indices.sorted { d[$0] != d[$1] ? d[$0] > d[$1] : f[$0] < f[$1] }.map { f[$0] }
        }
    }

    /// NSGA-II's crowding distance of each point of one front (`members`, indices into `points`), in the order of
    /// `members`: per objective, the points sorted by it (ties by index), the two extremes get infinity and every
    /// other point the gap between its neighbours divided by the objective's range; summed over objectives. An
    /// objective with no range adds nothing. Fronts of one or two points are all infinity.
    public static func crowding(_ points: [[Double]], _ members: [Int]) -> [Double] {
        let m = members.count
        var dist = [Double](repeating: 0, count: m)
        guard m > 2, let d = points.first?.count else { return [Double](repeating: .infinity, count: m) }
        for k in 0..<d {
            let order = (0..<m).sorted { (points[members[$0]][k], members[$0]) < (points[members[$1]][k], members[$1]) }
            let low = points[members[order[0]]][k]
            let high = points[members[order[m - 1]]][k]
            dist[order[0]] = .infinity
            dist[order[m - 1]] = .infinity
            let range = high - low
            guard range > 0 else { continue }
            for r in 1..<(m - 1) where dist[order[r]].isFinite {
                dist[order[r]] += (points[members[order[r + 1]]][k] - points[members[order[r - 1]]][k]) / range
            }
        }
        return dist
    }

    /// The exact hypervolume dominated by `points` and bounded by `reference` (the volume of the union of the boxes
    /// [p, reference]). Points not strictly better than the reference in every coordinate add nothing; duplicates
    /// count once. Two objectives: a sweep, O(n log n); more: slicing along the last objective (exact, O(n^d)).
    public static func hypervolume(_ points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { p in p.count == reference.count && zip(p, reference).allSatisfy { $0 < $1 } }
        guard !inside.isEmpty else { return 0 }
        return volume(inside, reference)
    }

    static func volume(_ points: [[Double]], _ r: [Double]) -> Double {
        let d = r.count
        if d == 1 { return r[0] - points.map { $0[0] }.min()! }
        if d == 2 {
            let sorted = points.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
            var area = 0.0
            var bestY = r[1]
            for p in sorted where p[1] < bestY {
                area += (r[0] - p[0]) * (bestY - p[1])
                bestY = p[1]
            }
            return area
        }
        // Slices between consecutive values of the last coordinate: each slice's cross-section is the (d−1)-volume
        // of the points at or below it.
        let sorted = points.sorted { $0[d - 1] < $1[d - 1] }
        var total = 0.0
        var i = 0
        while i < sorted.count {
            let z = sorted[i][d - 1]
            var j = i
            while j < sorted.count && sorted[j][d - 1] == z { j += 1 }
            let top = j < sorted.count ? sorted[j][d - 1] : r[d - 1]
            let below = sorted[..<j].map { Array($0.prefix(d - 1)) }
            total += (top - z) * volume(Pareto.front(below).map { below[$0] }, Array(r.prefix(d - 1)))
            i = j
        }
        return total
    }
}
