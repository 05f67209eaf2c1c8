import NASLib
import Testing

/// Oracle NAS on a hand-made space of five models where every metric is known.
@Suite struct OracleTests {
    // code: accuracy, measured latency, predicted latency
    static let archs = (0..<5).map { NB201Arch(code: $0 * 100) }
    static let accuracy = [70.0, 72.0, 69.0, 73.0, 71.0]
    static let measured = [1.0, 2.0, 1.5, 3.0, 2.5]
    static let predicted = [1.0, 1.5, 2.0, 2.6, 3.5]

    @Test func handMadeSpace() {
        let rows = OracleNAS.run(
            archs: Self.archs, predicted: Self.predicted, measured: Self.measured, accuracy: Self.accuracy,
            thresholds: [1.5, 2.0, 2.7, 3.0])
        // l = 1.5: P = {0, 1}; T = {0, 2}; Pf = {1}; Nf = {2}. Assumed best 1 (72), effective 0 (70), truth 0 (70).
        let r0 = rows[0]
        #expect(r0.falsePositives == 1 && r0.falseNegatives == 1)
        #expect(r0.assumedBest == Self.archs[1] && r0.effectiveBest == Self.archs[0] && r0.truthBest == Self.archs[0])
        #expect(r0.missedAccuracy == 0 && r0.missedError == 0)
        #expect(r0.overclaimedAccuracy == 2 && r0.overclaimedError == -0.5)
        // l = 2.0: P = {0, 1, 2}; T = {0, 1, 2}: no errors, best 1 (72) everywhere.
        let r1 = rows[1]
        #expect(
            r1.falsePositives == 0 && r1.falseNegatives == 0 && r1.missedAccuracy == 0 && r1.overclaimedAccuracy == 0)
        // l = 2.7: P = {0, 1, 2, 3}; T = {0, 1, 2, 4}; Pf = {3}; Nf = {4}; assumed 3 (73), effective 1 (72), truth 1 (72).
        let r2 = rows[2]
        #expect(r2.falsePositives == 1 && r2.falseNegatives == 1)
        #expect(r2.assumedBest == Self.archs[3] && r2.effectiveBest == Self.archs[1])
        #expect(abs(r2.overclaimedAccuracy! - 1) < 1e-12 && abs(r2.overclaimedError! - (-0.4)) < 1e-12)
        // l = 3.0: T = everything, P = {0..3}; truth best 3 (73), effective 3: no miss; Nf = {4}.
        let r3 = rows[3]
        #expect(r3.falseNegatives == 1 && r3.missedAccuracy == 0 && r3.truthBest == Self.archs[3])
    }

    /// A missed model: the true best is predicted too slow.
    @Test func missedModel() {
        let rows = OracleNAS.run(
            archs: Self.archs, predicted: [1.0, 2.5, 1.4, 4, 4], measured: Self.measured,
            accuracy: Self.accuracy, thresholds: [2.0])
        // P = {0, 2}; T = {0, 1, 2}; truth best 1 (72) is a false negative; effective 0 (70).
        #expect(rows[0].missedAccuracy == 2 && rows[0].missedError == 0.5 && rows[0].falseNegatives == 1)
    }

    @Test func truthAsPredictorIsPerfect() {
        let rows = OracleNAS.run(
            archs: Self.archs, predicted: Self.measured, measured: Self.measured, accuracy: Self.accuracy,
            thresholds: [1.0, 1.2, 2.0, 2.6, 3.0])
        for r in rows {
            #expect(
                r.falsePositives == 0 && r.falseNegatives == 0 && r.missedAccuracy == 0 && r.overclaimedAccuracy == 0)
            #expect(r.missedError == 0 && r.overclaimedError == 0)
        }
    }

    @Test func emptyFeasibleSet() {
        let rows = OracleNAS.run(
            archs: Self.archs, predicted: Self.predicted, measured: Self.measured, accuracy: Self.accuracy,
            thresholds: [0.5])
        #expect(rows[0].truthBest == nil && rows[0].missedAccuracy == nil && rows[0].falsePositives == 0)
    }
}
