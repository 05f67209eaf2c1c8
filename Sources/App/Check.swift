import Foundation
import Interpreter
import Lang
import NASLib
import REPL

/// `brpsh check script.brp expected.json`: compares a rerun's recorded results with expected
/// ones, numbers within a tolerance (|got − want| ≤ atol + rtol·|want|), everything else exactly.
public struct ResultCheck {
    public let rtol: Double
    public let atol: Double
    public private(set) var differences: [String] = []
    public private(set) var compared = 0

    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    public mutating func compare(_ want: Any, _ got: Any, path: String = "") {
        switch (want, got) {
        case (let w as [String: Any], let g as [String: Any]):
            for k in w.keys.sorted() {
                guard let gv = g[k] else {
                    differences.append("\(path)/\(k): missing in the rerun")
                    continue
                }
                compare(w[k]!, gv, path: "\(path)/\(k)")
            }
            for k in g.keys.sorted() where w[k] == nil { differences.append("\(path)/\(k): not in the expected results") }
        case (let w as [Any], let g as [Any]):
            if w.count != g.count { differences.append("\(path): \(w.count) items expected, \(g.count) found") }
            for (i, (a, b)) in zip(w, g).enumerated() { compare(a, b, path: "\(path)[\(i)]") }
        case (let w as NSNumber, let g as NSNumber) where !JSONNumber.isBoolean(w) && !JSONNumber.isBoolean(g):
            compared += 1
            let a = w.doubleValue, b = g.doubleValue
            if !(abs(b - a) <= atol + rtol * abs(a)) && !(a.isNaN && b.isNaN) {
                differences.append("\(path): expected \(a), got \(b) (difference \(abs(b - a)))")
            }
        case (let w as String, let g as String):
            compared += 1
            if let a = ResultCheck.quantity(w), let b = ResultCheck.quantity(g), a.1 == b.1 {
                if !(abs(b.0 - a.0) <= atol + rtol * abs(a.0)) { differences.append("\(path): expected \(w), got \(g)") }
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

    /// The JSON kind of a value JSONSerialization read.
    static func kind(_ v: Any) -> String {
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
    static func quantity(_ s: String) -> (Double, String)? {
        let units = ["ms", "us", "ns", "mJ", "uJ", "s", "J", "%"]
        for u in units where s.hasSuffix(u) {
            if let v = Double(s.dropLast(u.count)) { return (v, u) }
        }
        return nil
    }

    static func short(_ s: String) -> String { s.count > 60 ? "\"\(s.prefix(57))...\"" : "\"\(s)\"" }
}

extension App {
    /// Reruns a script into a private scratch directory and compares its results.json with `expected`.
    static func check(_ script: String, _ expected: String, _ settings: Settings, rtol: Double, atol: Double) -> ExitStatus {
        guard let text = readScript(script) else { return .noInput }
        guard let data = FileManager.default.contents(atPath: expected),
              let want = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            Terminal.writeError("brpsh: cannot read the expected results '\(expected)'\n")
            return .noInput
        }
        var s = settings
        s.silent = true
        do {
            s.outDir = try OutputBundle.privateDirectory("brpsh-check")
        } catch {
            Terminal.writeError("brpsh: \(error)\n")
            return .cannotCreate
        }
        defer { try? FileManager.default.removeItem(atPath: s.outDir!) }
        let status = runScript(SourceFile(name: script, text: text), s)
        let resultsPath = (s.outDir! as NSString).appendingPathComponent("results.json")
        guard status == .ok, let gotData = FileManager.default.contents(atPath: resultsPath),
              let got = try? JSONSerialization.jsonObject(with: gotData, options: [.fragmentsAllowed]) else {
            Terminal.writeError("check: the rerun failed (exit status \(status.rawValue))\n")
            return .runtime
        }
        var checker = ResultCheck(rtol: rtol, atol: atol)
        if let w = want as? [String: Any], let g = got as? [String: Any] {
            checker.compare(w["displays"] ?? [], g["displays"] ?? [], path: "displays")
            checker.compare(w["outputs"] ?? [:], g["outputs"] ?? [:], path: "outputs")
        } else {
            checker.compare(want, got)
        }
        if checker.differences.isEmpty {
            print("check: \(checker.compared) recorded values agree (rtol \(rtol), atol \(atol))")
            return .ok
        }
        print("check: \(checker.differences.count) of \(checker.compared) recorded values differ (rtol \(rtol), atol \(atol)):")
        for d in checker.differences.prefix(50) { print("  " + d) }
        if checker.differences.count > 50 { print("  ... and \(checker.differences.count - 50) more") }
        return .differs
    }
}
