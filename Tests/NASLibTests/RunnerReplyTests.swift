import Foundation
import Testing

@testable import NASLib

/// A device runner's `runs`: numbers of seconds only, each a plausible latency.
@Suite struct RunnerReplyTests {
    static func runs(_ json: String) -> Result<[[Double]], NASLibError> {
        let o = try! JSONSerialization.jsonObject(with: Data("{\"runs\": \(json)}".utf8)) as! [String: Any]
        return DeviceRunner.runs(o["runs"], id: 1)
    }

    @Test func samplesAreNumbersOfSeconds() throws {
        #expect(try Self.runs("[[0.001, 0.002], [0.0015]]").get() == [[0.001, 0.002], [0.0015]])
        for bad in [
            "[[true, true]]", "[[false]]", "[[1.7e308]]", "[[0]]", "[[-0.001]]", "[[\"0.1\"]]", "[]", "[[]]", "0.1",
        ] {
            guard case .failure = Self.runs(bad) else {
                Issue.record("\(bad) was read as samples")
                continue
            }
        }
        // A finite but absurd sample is refused before it can overflow a mean into NaN.
        #expect(throws: NASLibError.self) { try LatencyStatistic.robustMean([[1.7e308, 1.7e308]]) }
    }
}
