import Foundation
import NASLib
import PropertyBased
import Testing

/// What an evaluation command printed, read as docs/search.md says: the last JSON object with a numeric accuracy.
@Suite struct EvaluatorOutputTests {
    static func accuracy(_ text: [UInt8]) -> Double? {
        if case .success(let r) = EvaluationCommand.result(stdout: text) { return r.accuracy }
        return nil
    }
    static func accuracy(_ text: String) -> Double? { accuracy(Array(text.utf8)) }

    @Test func crlfLineEndings() {
        #expect(Self.accuracy("epoch 1\r\n{\"accuracy\": 93.5, \"loss\": 0.2}\r\n") == 93.5)
    }

    @Test func progressObjectsAfterTheResultArePassedOver() {
        #expect(Self.accuracy("{\"accuracy\": 91.25}\n{\"epoch\": 200, \"status\": \"done\"}\n") == 91.25)
        #expect(Self.accuracy("{\"accuracy\": 90}\n{\"accuracy\": 92}\n{\"step\": 3}\n") == 92)
    }

    @Test func invalidUTF8AndBinaryOutputElsewhere() {
        let bytes: [UInt8] =
            [0xFF, 0xFE, 0x00, 0x80, 0x0A] + Array("{\"accuracy\": 88.5}\n".utf8) + [0xC3, 0x28, 0x0A]
        #expect(Self.accuracy(bytes) == 88.5)
    }

    @Test func numbersReadExactly() {
        #expect(Self.accuracy("{\"accuracy\": 1000000000000000000000000000000}") == 1e30)
        #expect(Self.accuracy("{\"accuracy\": 93.37}") == 93.37)
        guard
            case .success(let r) = EvaluationCommand.result(
                stdout: Array("{\"accuracy\": 1, \"latency_ms\": 3.25, \"ok\": true, \"n\": \"x\"}".utf8))
        else {
            Issue.record("not read")
            return
        }
        #expect(r.metrics == ["latency_ms": 3.25])
    }

    @Test func whatIsNotAResult() {
        #expect(Self.accuracy("{\"accuracy\": true}") == nil)
        #expect(Self.accuracy("{\"accuracy\": \"93\"}") == nil)
        #expect(Self.accuracy("{\"accuracy\": 1e400}") == nil)
        #expect(Self.accuracy("accuracy 93\n") == nil)
        #expect(Self.accuracy("") == nil)
        if case .failure(let e) = EvaluationCommand.result(stdout: Array("{\"loss\": 1}\n".utf8)) {
            #expect(e.message.contains("the last JSON line: {\"loss\": 1}"), "\(e.message)")
        }
    }

    /// Random bytes around a result line never trap and never hide it.
    @Test func randomBytesAroundAResult() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...200), Gen.uint8().array(of: 0...200)) {
            before, after in
            let clean = before.filter { $0 != 0x0A && $0 != 0x0D }
            let tail = after.filter { $0 != 0x7B }  // no '{': nothing after the result can be a JSON object
            let bytes = clean + [0x0A] + Array("{\"accuracy\": 77.5}".utf8) + [0x0A] + tail
            #expect(Self.accuracy(bytes) == 77.5)
        }
    }
}
