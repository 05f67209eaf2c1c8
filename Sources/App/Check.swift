import Foundation
import Infra
import Interpreter
import Lang
import NASLib
import REPL
import RunRecord

/// What `brpsh check` compares against: a bundle (`--out DIR`: results.json, provenance.json, transcript.txt) or a
/// results.json given alone, and the script that made it.
struct CheckTarget {
    var script: String
    var results: String
    var provenance: ProvenanceRecord?
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
        // A bundle without provenance.json (a results.json copied alone) is checked without its settings; a damaged
        // one is an error, not a rerun with the wrong seed.
        let provenance: ProvenanceRecord?
        do {
            provenance =
                FileManager.default.fileExists(atPath: provenancePath) ? try ProvenanceRecord.read(provenancePath) : nil
        } catch { throw CheckFailure("\(error)") }
        let transcript = try? String(contentsOf: dir.appendingPathComponent("transcript.txt"), encoding: .utf8)
        var script = first
        if second == nil {
            guard isDirectory(first) else {
                throw CheckFailure(
                    "give the script and the recorded results (brpsh check script.brp DIR), or a bundle directory")
            }
            guard let path = provenance?.script.path else {
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
        (provenance?.overrides ?? [:]).sorted { $0.key < $1.key }.map { Override(name: $0.key, text: $0.value) }
    }
    var recordedSeed: Int? { provenance?.seed }
    var recordedKernel: String? { provenance?.blas?.kernel }
    var recordedScriptSHA256: String? { provenance?.script.sha256 }
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
        let want: ResultsRecord
        do { want = try ResultsRecord.read(target.results) } catch {
            Reporter.error("cannot read the expected results: \(error)")
            return .noInput
        }
        var s = settings
        s.silent = true
        s.overrides =
            target.recordedOverrides.filter { r in !settings.overrides.contains { $0.name == r.name } }
            + settings.overrides
        if s.seed == nil { s.seed = target.recordedSeed }
        useRecordedGEMM(target)
        describeRerun(target, s, text: text)
        do {
            s.outDir = try RunBundle.privateDirectory("brpsh-check")
        } catch {
            Reporter.error("\(error)")
            return .cannotCreate
        }
        defer { try? FileManager.default.removeItem(atPath: s.outDir!) }
        let status = runScript(SourceFile(name: target.script, text: text), s)
        let resultsPath = (s.outDir! as NSString).appendingPathComponent("results.json")
        guard status == .ok, let got = try? ResultsRecord.read(resultsPath) else {
            Reporter.error("the rerun failed (exit status \(status.rawValue))", command: "check")
            return .runtime
        }
        var checker = ResultCheck(rtol: rtol, atol: atol, withinStd: withinStd)
        checker.compare(want, got)
        if let recorded = target.transcript,
            let rerun = try? String(
                contentsOfFile: (s.outDir! as NSString).appendingPathComponent("transcript.txt"), encoding: .utf8)
        {
            checker.compareTranscripts(recorded, rerun)
        }
        return report(checker, target, rtol: rtol, atol: atol)
    }

    /// Sets the process's GEMM to the recording's for the rerun: brpsh's exact GEMM for a run recorded with it
    /// (`kernel` "exact": the same bits on any x86-64 machine), OpenBLAS for one recorded with an OpenBLAS kernel,
    /// whatever BRPSH_GEMM says; a recording that names none keeps the process's.
    static func useRecordedGEMM(_ target: CheckTarget) {
        if let kernel = target.recordedKernel { BLAS.configure(kernel: kernel == "exact" ? .exact : .openblas) }
    }

    /// Says how the rerun runs: the recorded settings it uses, a changed script, the recording's GEMM or another
    /// BLAS kernel.
    static func describeRerun(_ target: CheckTarget, _ s: Settings, text: String) {
        if target.recordedKernel == "exact" {
            print("check: rerunning with brpsh's exact GEMM, as recorded (\(ExactGEMM.path) here)")
        }
        var using: [String] = s.overrides.map { "--set \($0.name)=\($0.text)" }
        if let seed = s.seed { using.append("--seed \(seed)") }
        if !using.isEmpty {
            print("check: rerunning \(target.script) with the recorded \(using.joined(separator: " "))")
        }
        if let sha = target.recordedScriptSHA256, sha != SHA256.hex(text) {
            print("check: note: \(target.script) is not the script that was recorded (its SHA-256 differs)")
        }
        if let kernel = target.recordedKernel, kernel != BLAS.numericsKernel {
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
        if let kernel = target.recordedKernel, kernel != BLAS.numericsKernel {
            print(
                "check: the recording's kernel (\(kernel)) is not this machine's (\(BLAS.coreName)): see the note above"
            )
        }
        return .differs
    }
}
