import Builtins
import Foundation
import Infra
import NASLib
import RunRecord
import Synchronization

/// The figures a benchmark run prints, kept as rows so that `--record DIR` can write them as a run's results
/// (`DIR/bench.csv`, `results.json`, `provenance.json`), which `brpsh reproduce record DIR NAME` turns into a
/// recording the documentation renders its timing tables from. Several processes (scripts/bench runs one per core
/// count) record into one folder: each adds its rows to the CSV and rewrites the results and provenance from it;
/// the command recorded is scripts/bench's own (`BRPSH_BENCH_COMMAND`), else this process's.
enum Figures {
    static let header = ["figure", "precision", "value", "unit", "text"]
    private static let rows = Mutex<[[String]]>([])

    /// One figure: its name (what the table's row says), the precision ("float32", "float64", or "both"), the value
    /// in its unit, and the text a table shows for it.
    static func add(_ figure: String, _ precision: String, _ value: Double, _ unit: String, _ text: String) {
        rows.withLock { $0.append([figure, precision, RecordValue.shortest(value), unit, text]) }
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n")
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Adds this process's rows to `dir`'s bench.csv and writes the folder's results and provenance.
    static func write(to dir: String, command: [String], start: Date) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let csvPath = dir + "/bench.csv"
        var text =
            fm.fileExists(atPath: csvPath)
            ? String(decoding: fm.contents(atPath: csvPath) ?? Data(), as: UTF8.self) : ""
        if text.isEmpty { text = header.joined(separator: ",") + "\n" }
        for row in rows.withLock({ $0 }) { text += row.map(csvField).joined(separator: ",") + "\n" }
        try DurableFile.write(Data(text.utf8), to: csvPath)

        let results = ResultsRecord(
            brpsh: Provenance.identity, displays: [],
            outputs: ResultsRecord.savedFiles([csvPath], outDir: dir, figure: { _ in nil }))
        try results.write(to: dir + "/results.json")

        // The first process's start and command stand for the folder; the end is the last one's.
        let provenancePath = dir + "/provenance.json"
        let earlier = fm.fileExists(atPath: provenancePath) ? try? ProvenanceRecord.read(provenancePath) : nil
        let iso = ISO8601DateFormatter()
        let end = Date()
        let first = earlier?.start.flatMap { iso.date(from: $0) } ?? start
        let m = Machine.current
        let data = try? DataLocation.resolve(environment: ProcessInfo.processInfo.environment)
        let script = "scripts/bench"
        let record = ProvenanceRecord(
            brpsh: .init(version: Provenance.version, sources: Provenance.sources),
            command: earlier?.command
                ?? ProcessInfo.processInfo.environment["BRPSH_BENCH_COMMAND"].map {
                    $0.split(separator: " ").map(String.init)
                } ?? command,
            script: .init(path: script, sha256: SHA256Hex.file(script)), seed: 1, overrides: [:],
            data: .init(
                directory: data?.root, source: data?.reason,
                BRPSH_DATA: ProcessInfo.processInfo.environment["BRPSH_DATA"], files: []),
            blas: .init(
                library: BLAS.configuration, kernel: BLAS.coreName, threadsPerCall: BLAS.threads,
                parts: Parallel.parts, partsConcurrent: Parallel.concurrent,
                exactGEMM: "exact \(BLAS.exactVersion), \(ExactGEMM.path)"),
            precision: ["float32", "float64"], cache: false,
            machine: .init(
                hostname: m.hostname, os: m.os, arch: m.arch, cpu: m.cpu, cores: m.cores, memoryGiB: m.memoryGiB),
            start: iso.string(from: first), end: iso.string(from: end),
            seconds: (end.timeIntervalSince(first) * 1000).rounded() / 1000, exitStatus: 0, stoppedBy: nil,
            calls: [], warnings: [], outputs: [.init(file: csvPath, sha256: SHA256Hex.file(csvPath))])
        try record.write(to: provenancePath)
    }
}
