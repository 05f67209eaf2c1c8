import Foundation
import Infra
import Lang
import NASLib

/// `brpsh check script.brp expected.json`: compares a rerun's recorded results with expected
/// ones, numbers within a tolerance (|got − want| ≤ atol + rtol·|want|), everything else exactly.
public struct ResultCheck {
    public let rtol: Double
    public let atol: Double
    /// With `--within-std K`: a recorded statistic over seeds (a record with numeric `mean` and `std`, as merges and
    /// search summaries write) agrees when the rerun's mean is within K recorded standard deviations of the recorded
    /// mean; its other fields are not compared (they move with the mean).
    public var withinStd: Double?
    public private(set) var differences: [String] = []
    public private(set) var compared = 0

    public init(rtol: Double, atol: Double, withinStd: Double? = nil) {
        self.rtol = rtol
        self.atol = atol
        self.withinStd = withinStd
    }

    /// Compares a rerun's results with the recorded ones: every displayed value in order and every saved file.
    public mutating func compare(_ want: ResultsRecord, _ got: ResultsRecord) {
        compare(.list(want.displays), .list(got.displays), path: "displays")
        compare(
            .object(want.outputs.mapValues(\.value)), .object(got.outputs.mapValues(\.value)), path: "outputs")
    }

    public mutating func compare(_ want: RecordValue, _ got: RecordValue, path: String = "") {
        if let k = withinStd, let wm = ResultCheck.scalar(want["mean"]), let ws = ResultCheck.scalar(want["std"]),
            let gm = ResultCheck.scalar(got["mean"]), wm.unit == gm.unit, ws.unit == wm.unit
        {
            compared += 1
            if !(abs(gm.value - wm.value) <= k * ws.value + atol + rtol * abs(wm.value)) {
                differences.append(
                    "\(path): mean \(gm.value)\(gm.unit), recorded \(wm.value)\(wm.unit) ± \(ws.value)\(ws.unit) (more than \(k) std away)"
                )
            }
            return
        }
        switch (want, got) {
        case (.object(let w), .object(let g)):
            for k in w.keys.sorted() {
                guard let gv = g[k] else {
                    differences.append("\(path)/\(k): missing in the rerun")
                    continue
                }
                compare(w[k]!, gv, path: "\(path)/\(k)")
            }
            for k in g.keys.sorted() where w[k] == nil {
                differences.append("\(path)/\(k): not in the expected results")
            }
        case (.list(let w), .list(let g)):
            if w.count != g.count { differences.append("\(path): \(w.count) items expected, \(g.count) found") }
            for (i, (a, b)) in zip(w, g).enumerated() { compare(a, b, path: "\(path)[\(i)]") }
        case (.quantity(let a), .quantity(let b)) where a.unit == b.unit:
            compared += 1
            if !close(a.value, b.value) { differences.append("\(path): expected \(a.text), got \(b.text)") }
        case (.int, .int), (.int, .number), (.number, .int), (.number, .number):
            compared += 1
            let (a, b) = (want.number!, got.number!)
            if !close(a, b) { differences.append("\(path): expected \(a), got \(b) (difference \(abs(b - a)))") }
        default:
            compared += 1
            // Values of different kinds differ, even when they print alike (85.2 and "85.2"; 85.2% and 85.2ms).
            if want.kind != got.kind {
                differences.append("\(path): expected \(want.kind) \(want.shortText), got \(got.kind) \(got.shortText)")
            } else if want != got {
                differences.append("\(path): expected \(want.shortText), got \(got.shortText)")
            }
        }
    }

    /// |got − want| ≤ atol + rtol·|want|, NaN equal to NaN.
    func close(_ a: Double, _ b: Double) -> Bool { abs(b - a) <= atol + rtol * abs(a) || a.isNaN && b.isNaN }

    /// A number or a quantity with its unit ("" for a number), for statistics over seeds.
    public static func scalar(_ v: RecordValue?) -> (value: Double, unit: String)? {
        switch v {
        case .quantity(let q)?: return (q.value, q.unit)
        case let n?: return n.number.map { ($0, "") }
        case nil: return nil
        }
    }

    /// Compares two transcripts line by line: equal lines agree; lines that differ agree when their words are equal
    /// and their numbers (quantities with the same unit) are within the tolerance.
    public mutating func compareTranscripts(_ want: String, _ got: String) {
        let w = TextLines.of(want, keepEmpty: false)
        let g = TextLines.of(got, keepEmpty: false)
        if w.count != g.count {
            differences.append("transcript: \(w.count) lines recorded, \(g.count) printed by the rerun")
        }
        for (i, (a, b)) in zip(w, g).enumerated() {
            compared += 1
            guard a != b else { continue }
            let aw = a.split(separator: " ", omittingEmptySubsequences: true)
            let bw = b.split(separator: " ", omittingEmptySubsequences: true)
            let agree =
                aw.count == bw.count
                && zip(aw, bw).allSatisfy { x, y in
                    if x == y { return true }
                    let core: (Substring) -> String = {
                        String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",;()[]{}"))
                    }
                    if let p = Double(core(x)), let q = Double(core(y)) { return abs(q - p) <= atol + rtol * abs(p) }
                    if let p = RecordQuantity(text: core(x)), let q = RecordQuantity(text: core(y)), p.unit == q.unit {
                        return abs(q.value - p.value) <= atol + rtol * abs(p.value)
                    }
                    return false
                }
            if !agree {
                differences.append(
                    "transcript line \(i + 1): expected \(RecordValue.string(a).shortText), got \(RecordValue.string(b).shortText)"
                )
            }
        }
    }

}
