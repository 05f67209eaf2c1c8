import Foundation
import Testing

@testable import Infra

/// brpsh's JSON reader gives back exactly the numbers written, where Foundation's reader on Linux rounds some.
@Suite struct ExactJSONTests {
    @Test func theLiteralFoundationMisreads() throws {
        let v = try #require(
            try ExactJSON.object(with: Data("[7.6899999999999995, 68.78999999999999]".utf8)) as? [NSNumber])
        #expect(v[0].doubleValue == 7.6899999999999995 && v[0].doubleValue != 7.69)
        #expect(v[1].doubleValue == 68.78999999999999)
        let big = try #require(try ExactJSON.object(with: Data("12345678901234567".utf8)) as? NSNumber)
        #expect(big.intValue == 12_345_678_901_234_567)
    }

    /// Random doubles of every magnitude, written by Foundation, read back bit for bit (and as JSONDecoder reads them).
    @Test func foundationWritesAndExactJSONReadsBackEveryDouble() throws {
        var rng = TestRandom(seed: 7)
        var values: [Double] = []
        while values.count < 5000 {
            let bits = UInt64(truncatingIfNeeded: rng.int(below: Int.max)) << 1 ^ UInt64(rng.int(below: 1 << 30))
            let d = Double(bitPattern: bits)
            if d.isFinite { values.append(d) }
        }
        values += [
            0, -0.0, 1, 0.1, Double("1e-320")!, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 7.6899999999999995,
        ]
        let data = try JSONSerialization.data(withJSONObject: values)
        let back = try #require(try ExactJSON.object(with: data) as? [NSNumber]).map(\.doubleValue)
        let decoded = try JSONDecoder().decode([Double].self, from: data)
        #expect(back.count == values.count)
        for (i, (a, b)) in zip(values, back).enumerated() where a.bitPattern != b.bitPattern && !(a == 0 && b == 0) {
            Issue.record("value \(i): wrote \(a), read \(b)")
        }
        #expect(back == decoded)
    }

    @Test func shapesAsFoundationGivesThem() throws {
        let text = #"{"a": [1, 2.5, true, false, null, "x\u00e9\ud83d\ude00\n\/"], "b": {}, "c": []}"#
        let o = try #require(try ExactJSON.object(with: Data(text.utf8)) as? [String: Any])
        let a = try #require(o["a"] as? [Any])
        #expect(a[0] as? Int == 1 && (a[1] as? NSNumber)?.doubleValue == 2.5)
        #expect(
            JSONNumber.isBoolean(a[2]) && JSONNumber.isBoolean(a[3]) && !JSONNumber.isBoolean(a[0])
                && !JSONNumber.isBoolean(a[1]))
        #expect(JSONNumber.of(a[2]) == nil && JSONNumber.of(a[1]) == 2.5)
        #expect(a[4] is NSNull)
        #expect(a[5] as? String == "xé😀\n/")
        #expect((o["b"] as? [String: Any])?.isEmpty == true && (o["c"] as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [
        "", "[1,]", "{\"a\" 1}", "[01]", "[1.]", "[1e]", "\"\\ud800\"", "\"a\u{01}\"", "[1] x", "tru", "[\"\\q\"]",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "{\"a\":1,}", "-", "\"abc",
    ])
    func invalidInputIsAnErrorNeverATrap(text: String) {
        #expect(throws: ExactJSON.Failure.self) { try ExactJSON.object(with: Data(text.utf8)) }
    }

    /// Nested values built at random, written by Foundation, read back equal.
    @Test func randomValuesRoundTrip() throws {
        var rng = TestRandom(seed: 3)
        func value(_ depth: Int) -> Any {
            switch rng.int(below: depth > 3 ? 4 : 6) {
            case 0: return Double(rng.int(below: 1_000_000)) / 7
            case 1: return rng.int(below: 1 << 40) - (1 << 39)
            case 2:
                return String(
                    (0..<rng.int(below: 6)).map { _ in
                        Character(Unicode.Scalar([0x41, 0x22, 0x5C, 0x0A, 0xE9, 0x1F600][rng.int(below: 6)])!)
                    })
            case 3: return rng.int(below: 2) == 0
            case 4: return (0..<rng.int(below: 4)).map { _ in value(depth + 1) }
            default:
                return Dictionary(uniqueKeysWithValues: (0..<rng.int(below: 4)).map { ("k\($0)", value(depth + 1)) })
            }
        }
        for _ in 0..<300 {
            let v = [value(0)]
            let data = try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys])
            let back = try ExactJSON.object(with: data)
            #expect(try JSONSerialization.data(withJSONObject: back, options: [.sortedKeys]) == data)
        }
    }
}

/// A small seeded generator (SplitMix64) for the property tests here; Infra has no random numbers of its own.
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
