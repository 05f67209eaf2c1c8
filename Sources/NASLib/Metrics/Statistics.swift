/// Correlation and summary statistics over paired samples.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count)
    }

    /// Sample (n-1) standard deviation, or population with `ddof: 0`.
    public static func std(_ x: [Double], ddof: Int = 1) -> Double {
        guard x.count > ddof else { return .nan }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - ddof)).squareRoot()
    }

    /// Pearson's r.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "pearson: \(x.count) vs \(y.count) values")
        let mx = mean(x)
        let my = mean(y)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx
            let dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Ranks 1...n with ties given their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let avg = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = avg }
            i = j + 1
        }
        return r
    }

    /// Spearman's ρ: Pearson's r of the average ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double { pearson(ranks(x), ranks(y)) }

    /// Kendall's τ-b (ties in either variable accounted for), in O(n log n) (Knight 1966).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "kendall: \(x.count) vs \(y.count) values")
        let n = x.count
        guard n > 1 else { return .nan }
        let order = (0..<n).sorted { x[$0] < x[$1] || (x[$0] == x[$1] && y[$0] < y[$1]) }
        let n0 = Double(n) * Double(n - 1) / 2
        var tiesX = 0.0
        var tiesXY = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && x[order[j + 1]] == x[order[i]] { j += 1 }
            let t = Double(j - i + 1)
            tiesX += t * (t - 1) / 2
            var k = i
            while k <= j {
                var l = k
                while l + 1 <= j && y[order[l + 1]] == y[order[k]] { l += 1 }
                let u = Double(l - k + 1)
                tiesXY += u * (u - 1) / 2
                k = l + 1
            }
            i = j + 1
        }
        var ys = order.map { y[$0] }
        var buffer = ys
        let swaps = Double(mergeCountingSwaps(&ys, &buffer, 0, n))
        var tiesY = 0.0
        i = 0
        while i < n {
            var j = i
            while j + 1 < n && ys[j + 1] == ys[i] { j += 1 }
            let t = Double(j - i + 1)
            tiesY += t * (t - 1) / 2
            i = j + 1
        }
        let numerator = n0 - tiesX - tiesY + tiesXY - 2 * swaps
        return numerator / ((n0 - tiesX) * (n0 - tiesY)).squareRoot()
    }

    /// Sorts a[lo..<hi] ascending, returning the number of inversions (pairs out of order).
    static func mergeCountingSwaps(_ a: inout [Double], _ buf: inout [Double], _ lo: Int, _ hi: Int) -> Int {
        if hi - lo < 2 { return 0 }
        let mid = (lo + hi) / 2
        var swaps = mergeCountingSwaps(&a, &buf, lo, mid) + mergeCountingSwaps(&a, &buf, mid, hi)
        var i = lo
        var j = mid
        var k = lo
        while i < mid && j < hi {
            if a[j] < a[i] {
                buf[k] = a[j]
                swaps += mid - i
                j += 1
            } else {
                buf[k] = a[i]
                i += 1
            }
            k += 1
        }
        while i < mid {
            buf[k] = a[i]
            i += 1
            k += 1
        }
        while j < hi {
            buf[k] = a[j]
            j += 1
            k += 1
        }
        for t in lo..<hi { a[t] = buf[t] }
        return swaps
    }
}
