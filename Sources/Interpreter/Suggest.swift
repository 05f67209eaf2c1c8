/// "did you mean" suggestions by edit distance.
public enum Suggest {
    /// ` (did you mean "x"?)` when a name is close to one of `candidates`, else "".
    public static func didYouMean(_ name: String, _ candidates: [String], quote: String = "'") -> String {
        guard let best = closest(name, candidates) else { return "" }
        return " (did you mean \(quote)\(best)\(quote)?)"
    }

    /// The nearest candidate within a distance of about a third of the name's length.
    public static func closest(_ name: String, _ candidates: [String]) -> String? {
        guard name.count >= 3 else { return nil }
        // One edit for three-letter names, two from four letters on (`alfa` → `alpha`), a third of longer ones.
        let limit = name.count == 3 ? 1 : max(2, name.count / 3)
        var best: (String, Int)? = nil
        for c in candidates.sorted() {
            let d = distance(name.lowercased(), c.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// Edit distance where a swap of two adjacent characters counts as one edit
    /// (optimal string alignment), since `valeu` is a typo of `value`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
