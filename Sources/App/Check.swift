import Foundation
import Infra
import Interpreter
import Lang
import NASLib
import REPL

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
    static func number(_ v: Any?) -> Double? {
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
        PhysicalUnit.parseQuantity(s).map { ($0.value, $0.unit.symbol) }
    }

    static func short(_ s: String) -> String { s.count > 60 ? "\"\(s.prefix(57))...\"" : "\"\(s)\"" }
}

/// What `brpsh check` compares against: a bundle (`--out DIR`: results.json, provenance.json, transcript.txt) or a
/// results.json given alone, and the script that made it.
struct CheckTarget {
    var script: String
    var results: String
    var provenance: [String: Any]?
    var transcript: String?

    /// `check DIR`, `check script.brp DIR`, `check script.brp DIR/results.json`.
    static func resolve(_ first: String, _ second: String?) throws -> CheckTarget {
        func isDirectory(_ p: String) -> Bool {
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: p, isDirectory: &d) && d.boolValue
        }
        // Paths through URL: NSString's deletingLastPathComponent traps on a one-component relative path ("b").
        func url(_ p: String) -> URL { URL(fileURLWithPath: p) }
        let recorded = second ?? first
        let dir = isDirectory(recorded) ? url(recorded) : url(recorded).deletingLastPathComponent()
        let results = isDirectory(recorded) ? dir.appendingPathComponent("results.json").path : recorded
        let provenancePath = dir.appendingPathComponent("provenance.json").path
        let provenance = FileManager.default.contents(atPath: provenancePath)
            .flatMap { try? ExactJSON.object(with: $0) as? [String: Any] }
        let transcript = try? String(contentsOf: dir.appendingPathComponent("transcript.txt"), encoding: .utf8)
        var script = first
        if second == nil {
            guard isDirectory(first) else {
                throw CheckFailure(
                    "give the script and the recorded results (brpsh check script.brp DIR), or a bundle directory")
            }
            guard let path = (provenance?["script"] as? [String: Any])?["path"] as? String else {
                throw CheckFailure("\(provenancePath) names no script; give it: brpsh check script.brp \(first)")
            }
            // The recorded path is as the run was given it: relative to where it ran, or to the bundle's parent.
            let candidates = [path, dir.deletingLastPathComponent().appendingPathComponent(path).path]
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw CheckFailure(
                    "the script \(path) that \(provenancePath) names is not here; give it: brpsh check script.brp \(first)"
                )
            }
            script = found
        }
        return CheckTarget(script: script, results: results, provenance: provenance, transcript: transcript)
    }

    /// The recorded `--set` overrides and seed the run was made with (the rerun uses them).
    var recordedOverrides: [Override] {
        let recorded = provenance?["overrides"] as? [String: Any] ?? [:]
        return recorded.keys.sorted().compactMap { k in (recorded[k] as? String).map { Override(name: k, text: $0) } }
    }
    var recordedSeed: Int? { provenance?["seed"] as? Int }
    var recordedKernel: String? { (provenance?["blas"] as? [String: Any])?["kernel"] as? String }
    var recordedScriptSHA256: String? { (provenance?["script"] as? [String: Any])?["sha256"] as? String }
}

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension App {
    /// Reruns a script into a private scratch directory, with the overrides and seed its recording names, and compares
    /// its results.json and transcript with the recorded ones.
    static func check(
        _ first: String, _ second: String?, _ settings: Settings, rtol: Double, atol: Double,
        withinStd: Double?
    ) -> ExitStatus {
        let target: CheckTarget
        do { target = try CheckTarget.resolve(first, second) } catch {
            Reporter.error("\(error)", command: "check")
            return .usage
        }
        guard let text = readScript(target.script) else { return .noInput }
        guard let data = FileManager.default.contents(atPath: target.results),
            let want = try? ExactJSON.object(with: data)
        else {
            Reporter.error("cannot read the expected results '\(target.results)'")
            return .noInput
        }
        var s = settings
        s.silent = true
        s.overrides =
            target.recordedOverrides.filter { r in !settings.overrides.contains { $0.name == r.name } }
            + settings.overrides
        if s.seed == nil { s.seed = target.recordedSeed }
        describeRerun(target, s, text: text)
        do {
            s.outDir = try OutputBundle.privateDirectory("brpsh-check")
        } catch {
            Reporter.error("\(error)")
            return .cannotCreate
        }
        defer { try? FileManager.default.removeItem(atPath: s.outDir!) }
        let status = runScript(SourceFile(name: target.script, text: text), s)
        let resultsPath = (s.outDir! as NSString).appendingPathComponent("results.json")
        guard status == .ok, let gotData = FileManager.default.contents(atPath: resultsPath),
            let got = try? ExactJSON.object(with: gotData)
        else {
            Reporter.error("the rerun failed (exit status \(status.rawValue))", command: "check")
            return .runtime
        }
        var checker = ResultCheck(rtol: rtol, atol: atol, withinStd: withinStd)
        if let w = want as? [String: Any], let g = got as? [String: Any] {
            checker.compare(w["displays"] ?? [], g["displays"] ?? [], path: "displays")
            checker.compare(w["outputs"] ?? [:], g["outputs"] ?? [:], path: "outputs")
        } else {
            checker.compare(want, got)
        }
        if let recorded = target.transcript,
            let rerun = try? String(
                contentsOfFile: (s.outDir! as NSString).appendingPathComponent("transcript.txt"), encoding: .utf8)
        {
            checker.compareTranscripts(recorded, rerun)
        }
        return report(checker, target, rtol: rtol, atol: atol)
    }

    /// Says how the rerun runs: the recorded settings it uses, a changed script, another BLAS kernel.
    static func describeRerun(_ target: CheckTarget, _ s: Settings, text: String) {
        var using: [String] = s.overrides.map { "--set \($0.name)=\($0.text)" }
        if let seed = s.seed { using.append("--seed \(seed)") }
        if !using.isEmpty {
            print("check: rerunning \(target.script) with the recorded \(using.joined(separator: " "))")
        }
        if let sha = target.recordedScriptSHA256, sha != SHA256.hex(text) {
            print("check: note: \(target.script) is not the script that was recorded (its SHA-256 differs)")
        }
        if let kernel = target.recordedKernel, kernel != BLAS.coreName {
            print(
                """
                check: note: recorded with OpenBLAS's \(kernel) kernel, rerun with \(BLAS.coreName): a training's numbers \
                differ in their last digits between kernels (docs/artifacts.md, "Checking on another machine"); values \
                that differ below are expected to; statistics over seeds compare with --within-std 1
                """)
        }
    }

    static func report(_ checker: ResultCheck, _ target: CheckTarget, rtol: Double, atol: Double) -> ExitStatus {
        if checker.compared == 0 {
            print(
                "check: nothing to compare: the recording has no displayed values, saved files or transcript lines; "
                    + "a check that compares nothing cannot pass")
            return .differs
        }
        if checker.differences.isEmpty {
            print(
                "check: \(checker.compared) recorded values agree (rtol \(rtol), atol \(atol)\(checker.withinStd.map { ", means within \($0) std" } ?? ""))"
            )
            return .ok
        }
        print(
            "check: \(checker.differences.count) of \(checker.compared) recorded values differ (rtol \(rtol), atol \(atol)):"
        )
        for d in checker.differences.prefix(50) { print("  " + d) }
        if checker.differences.count > 50 { print("  ... and \(checker.differences.count - 50) more") }
        if let kernel = target.recordedKernel, kernel != BLAS.coreName {
            print(
                "check: the recording's kernel (\(kernel)) is not this machine's (\(BLAS.coreName)): see the note above"
            )
        }
        return .differs
    }
}
