import NASLib
import Testing

@Suite struct StatisticsTests {
    /// Reference values computed with scipy 1.17 (pearsonr, spearmanr, kendalltau with variant 'b').
    @Test func againstScipy() {
        let x: [Double] = [1, 2, 2, 3, 5, 8, 8, 9]
        let y: [Double] = [2, 1, 4, 4, 6, 7, 9, 8]
        #expect(abs(Statistics.pearson(x, y) - 0.9291260336209021) < 1e-12)
        #expect(abs(Statistics.spearman(x, y) - 0.9030468880657605) < 1e-12)
        #expect(abs(Statistics.kendallTauB(x, y) - 0.792593923901217) < 1e-12)
    }

    /// τ-b in O(n log n) equals the O(n²) definition on random data with ties.
    @Test func kendallMatchesTheDefinition() {
        var rng = SeededRandom(seed: 7)
        let x = (0..<300).map { _ in Double(rng.int(below: 20)) }
        let y = (0..<300).map { _ in Double(rng.int(below: 15)) }
        var c = 0.0
        var d = 0.0
        var tx = 0.0
        var ty = 0.0
        for i in 0..<300 {
            for j in (i + 1)..<300 {
                let s = (x[i] - x[j]) * (y[i] - y[j])
                if s > 0 {
                    c += 1
                } else if s < 0 {
                    d += 1
                } else {
                    if x[i] == x[j] && y[i] != y[j] { tx += 1 }
                    if y[i] == y[j] && x[i] != x[j] { ty += 1 }
                }
            }
        }
        let expected = (c - d) / ((c + d + tx) * (c + d + ty)).squareRoot()
        #expect(abs(Statistics.kendallTauB(x, y) - expected) < 1e-12)
    }
}
