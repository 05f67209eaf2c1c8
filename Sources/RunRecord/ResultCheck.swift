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

    public mutating func compare(_ want: Any, _ got: Any, path: String = "") {
        if let k = withinStd, let w = want as? [String: Any], let g = got as? [String: Any],
            let wm = ResultCheck.number(w["mean"]), let ws = ResultCheck.number(w["std"]),
            let gm = ResultCheck.number(g["mean"])
        {
            compared += 1
            if !(abs(gm - wm) <= k * ws + atol + rtol * abs(wm)) {
                differences.append("\(path): mean \(gm), recorded \(wm) ± \(ws) (more than \(k) std away)")
            }
            return
        }
        switch (want, got) {
        case (let w as [String: Any], let g as [String: Any]):
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
        case (let w as [Any], let g as [Any]):
            if w.count != g.count { differences.append("\(path): \(w.count) items expected, \(g.count) found") }
            for (i, (a, b)) in zip(w, g).enumerated() { compare(a, b, path: "\(path)[\(i)]") }
        case (let w as NSNumber, let g as NSNumber) where !JSONNumber.isBoolean(w) && !JSONNumber.isBoolean(g):
            compared += 1
            let a = w.doubleValue
            let b = g.doubleValue
            if !(abs(b - a) <= atol + rtol * abs(a)) && !(a.isNaN && b.isNaN) {
                differences.append("\(path): expected \(a), got \(b) (difference \(abs(b - a)))")
            }
        case (let w as String, let g as String):
            compared += 1
            if let a = ResultCheck.quantity(w), let b = ResultCheck.quantity(g), a.1 == b.1 {
                if !(abs(b.0 - a.0) <= atol + rtol * abs(a.0)) {
                    differences.append("\(path): expected \(w), got \(g)")
                }
            } else if w != g {
                differences.append("\(path): expected \(ResultCheck.short(w)), got \(ResultCheck.short(g))")
            }
        case (is NSNull, is NSNull):
            compared += 1
        default:
            compared += 1
            // Values of different JSON kinds differ, even when they print alike (85.2 and "85.2").
            let (a, b) = (ResultCheck.kind(want), ResultCheck.kind(got))
            if a != b {
                differences.append("\(path): expected \(a) \(want), got \(b) \(ResultCheck.short("\(got)"))")
            } else if "\(want)" != "\(got)" {
                differences.append("\(path): expected \(want), got \(got)")
            }
        }
    }

    /// A number (or a quantity string's number) in a record field, for `withinStd`.
    public static func number(_ v: Any?) -> Double? {
        if let n = JSONNumber.of(v) { return n }
        if let s = v as? String { return quantity(s)?.0 }
        return nil
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
                    if let p = ResultCheck.quantity(core(x)), let q = ResultCheck.quantity(core(y)), p.1 == q.1 {
                        return abs(q.0 - p.0) <= atol + rtol * abs(p.0)
                    }
                    return false
                }
            if !agree {
                differences.append(
                    "transcript line \(i + 1): expected \(ResultCheck.short(a)), got \(ResultCheck.short(b))")
            }
        }
    }

    /// The JSON kind of a value JSONSerialization read.
    public static func kind(_ v: Any) -> String {
        switch v {
        case is [String: Any]: return "an object"
        case is [Any]: return "a list"
        case is NSNull: return "null"
        case let n as NSNumber: return JSONNumber.isBoolean(n) ? "a boolean" : "a number"
        case is String: return "a string"
        default: return "a value"
        }
    }

    /// "1.25ms" → (1.25, "ms").
    public static func quantity(_ s: String) -> (Double, String)? {
        PhysicalUnit.parseQuantity(s).map { ($0.value, $0.unit.symbol) }
    }

    public static func short(_ s: String) -> String { s.count > 60 ? "\"\(s.prefix(57))...\"" : "\"\(s)\"" }
}
