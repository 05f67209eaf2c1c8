import Foundation
import Infra
import Lang
import NASLib

/// The documentation's recorded tables: recording a run into `reproductions/NAME/`, and rendering or checking the
/// blocks of a page that come from recordings.
public enum RecordedTables {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ d: String) { description = d }
    }

    public static func record(source: String, name: String, root: String) throws {
        let src = URL(fileURLWithPath: source)
        let merged = src.appendingPathComponent("merged")
        let results: RecordingResults
        let provenance: RecordingProvenance
        if FileManager.default.fileExists(atPath: merged.appendingPathComponent("results.json").path) {
            let r = try MergedResults.read(merged.appendingPathComponent("results.json").path)
            let p = try MergedProvenance.read(merged.appendingPathComponent("provenance.json").path)
            results = RecordingResults(
                groups: r.groups.map { g in
                    .init(
                        point: g.point, n: g.n,
                        outputs: g.outputs.filter { $0.key.hasSuffix(".csv") }.mapValues { rows in
                            (rows.list ?? []).map { $0.list ?? [] }
                        })
                })
            provenance = RecordingProvenance(
                sweep: p, script: .init(path: r.script, sha256: p.sweep["scriptSHA256"]?.string ?? ""),
                brpsh: RecordingProvenance.brpsh(identity: p.sweep["brpsh"]?.string ?? r.brpsh))
            guard !(results.groups ?? []).allSatisfy({ $0.outputs.isEmpty }) else {
                throw Failure("\(source) saved no CSV file: a recorded table is rendered from one")
            }
        } else {
            let r = try ResultsRecord.read(src.appendingPathComponent("results.json").path)
            let p = try ProvenanceRecord.read(src.appendingPathComponent("provenance.json").path)
            // The saved CSV files themselves, where the run directory still has them: results.json's copy is
            // derived from them (and older brpsh split a quoted field with a comma there).
            var outputs: [String: [[RecordValue]]] = [:]
            for (key, file) in r.outputs {
                guard let rows = file.csvRows else { continue }
                outputs[key] =
                    FileManager.default.contents(atPath: src.appendingPathComponent(key).path).map {
                        ResultsRecord.csvRows(String(decoding: $0, as: UTF8.self), source: key)
                    } ?? rows
            }
            guard !outputs.isEmpty else {
                throw Failure("\(source) saved no CSV file: a recorded table is rendered from one")
            }
            results = RecordingResults(outputs: outputs)
            provenance = RecordingProvenance(run: p)
        }
        let dir = URL(fileURLWithPath: root).appendingPathComponent("reproductions").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try results.write(to: dir.appendingPathComponent("results.json").path)
        try provenance.write(to: dir.appendingPathComponent("provenance.json").path)
    }

    /// One table block's settings: `<!-- recorded NAME OUTPUT key=value ... -->`.
    public struct Spec {
        public var name = "", output = ""
        /// `columns=a,b:3,c:4=Header`: the CSV columns shown, with digits and headers.
        public var columns: [(key: String, digits: Int?, header: String)] = []
        /// `pivot=models:25,50,100` and `value=hv_ratio_mean:4`: one column per listed value of `models`.
        public var pivot: (key: String, values: [String])? = nil
        public var value: (key: String, digits: Int?)? = nil
        /// `where=n:10` (repeatable): only the rows whose cell under the key reads the value.
        public var filters: [(key: String, value: String)] = []
        /// `judge=table_s2:within1_(%),within5_(%)`: each listed column's value (a merged cell's mean) set against
        /// the paper's mean and standard deviation for the row (`PaperReference`), counted within one or not.
        public var judge: (table: String, columns: [String])? = nil

        public static func parse(_ line: String) throws -> Spec {
            let body = line.replacingOccurrences(of: "<!--", with: "").replacingOccurrences(of: "-->", with: "")
            let words = body.split(separator: " ").map(String.init)
            guard words.count >= 3, words[0] == "recorded" else {
                throw Failure("a recorded block starts <!-- recorded NAME OUTPUT columns=... -->")
            }
            var s = Spec()
            s.name = words[1]
            s.output = words[2]
            func column(_ c: String) -> (String, Int?, String) {
                let (spec, header) =
                    c.contains("=")
                    ? (String(c.split(separator: "=")[0]), String(c.split(separator: "=", maxSplits: 1)[1])) : (c, "")
                let parts = spec.split(separator: ":").map(String.init)
                let key = parts[0]
                return (
                    key, parts.count > 1 ? Int(parts[1]) : nil,
                    header.isEmpty ? key : header.replacingOccurrences(of: "_", with: " ")
                )
            }
            for w in words.dropFirst(3) {
                let kv = w.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { throw Failure("'\(w)' is not key=value") }
                switch kv[0] {
                case "columns":
                    s.columns = kv[1].split(separator: ",").map { c in
                        let x = column(String(c))
                        return (x.0, x.1, x.2)
                    }
                case "pivot":
                    let p = kv[1].split(separator: ":", maxSplits: 1).map(String.init)
                    guard p.count == 2 else { throw Failure("pivot=KEY:v1,v2,...") }
                    s.pivot = (p[0], p[1].split(separator: ",").map(String.init))
                case "value":
                    let p = kv[1].split(separator: ":").map(String.init)
                    s.value = (p[0], p.count > 1 ? Int(p[1]) : nil)
                case "where":
                    let p = kv[1].split(separator: ":", maxSplits: 1).map(String.init)
                    guard p.count == 2 else { throw Failure("where=KEY:VALUE") }
                    s.filters.append((p[0], p[1]))
                case "judge":
                    let p = kv[1].split(separator: ":", maxSplits: 1).map(String.init)
                    guard p.count == 2, PaperReference.tables[p[0]] != nil else {
                        throw Failure(
                            "judge=TABLE:COLUMN,... with TABLE one of \(PaperReference.tables.keys.sorted().joined(separator: ", "))"
                        )
                    }
                    s.judge = (p[0], p[1].split(separator: ",").map(String.init))
                default: throw Failure("unknown setting '\(kv[0])' (columns, pivot, value, where, judge)")
                }
            }
            guard !s.columns.isEmpty else { throw Failure("a recorded block needs columns=") }
            guard (s.pivot == nil) == (s.value == nil) else { throw Failure("pivot= and value= go together") }
            return s
        }
    }

    /// A cell: a number with the given digits (a quantity's value too, its unit after it); a merged number as
    /// "mean ± std"; text without surrounding quotes.
    public static func cell(_ v: RecordValue?, _ digits: Int?) -> String {
        func number(_ x: Double) -> String {
            if let d = digits { return String(format: "%.\(d)f", x) }
            return RecordValue.shortest(x)
        }
        let scalar = ResultCheck.scalar
        switch v {
        case .object(let m)?:
            if let (mean, unit) = scalar(m["mean"]), let (std, _) = scalar(m["std"]) {
                // A value every run gave alike (a constant column merged over seeds: min = max) is shown once.
                if (m["n"]?.number ?? 1) > 1, let (lo, _) = scalar(m["min"]), let (hi, _) = scalar(m["max"]), lo == hi {
                    return number(lo) + unit
                }
                return std == 0 && (m["n"]?.number ?? 1) > 1
                    ? number(mean) + unit : "\(number(mean))\(unit) ± \(number(std))\(unit)"
            }
            if let vs = m["values"]?.list { return vs.map { cell($0, digits) }.joined(separator: " / ") }
            return "?"
        case .quantity(let q)?: return number(q.value) + q.unit
        case .string(let s)? where s.isEmpty: return "–"
        case .string(let s)?:
            return s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
        case .int, .number: return number(v!.number!)
        case .bool(let b)?: return b ? "true" : "false"
        case nil, .null?: return "–"
        case .list?: return "?"
        }
    }

    /// The rows of the recording's output as dictionaries; a sweep's groups in order, each row with the group's
    /// point variables.
    public static func rows(_ spec: Spec, root: String) throws -> (
        rows: [[String: RecordValue]], provenance: RecordingProvenance
    ) {
        let dir = URL(fileURLWithPath: root).appendingPathComponent("reproductions").appendingPathComponent(spec.name)
        let results = try RecordingResults.read(dir.appendingPathComponent("results.json").path)
        let provenance = try RecordingProvenance.read(dir.appendingPathComponent("provenance.json").path)
        func table(_ outputs: [String: [[RecordValue]]], point: [String: String]) throws -> [[String: RecordValue]] {
            guard let csv = outputs[spec.output], let first = csv.first else {
                throw Failure("reproductions/\(spec.name) has no CSV output \(spec.output)")
            }
            let header = first.map { $0.string ?? cell($0, nil) }
            return csv.dropFirst().map { row in
                var d = point.mapValues(RecordValue.string)
                for (k, v) in zip(header, row) { d[k] = v }
                return d
            }
        }
        if let groups = results.groups {
            return (try groups.flatMap { try table($0.outputs, point: $0.point) }, provenance)
        }
        return (try table(results.outputs ?? [:], point: [:]), provenance)
    }

    /// A row's value for a column key; underscores in the key stand for spaces of the CSV's header ("min_(ms)").
    public static func value(_ row: [String: RecordValue], _ key: String) -> RecordValue? {
        row[key] ?? row[key.replacingOccurrences(of: "_", with: " ")]
    }

    /// The rows a block shows (its `where=` filters applied) and the recording's provenance.
    static func selected(_ spec: Spec, root: String) throws -> (
        rows: [[String: RecordValue]], provenance: RecordingProvenance
    ) {
        let (all, p) = try rows(spec, root: root)
        for f in spec.filters where !all.contains(where: { value($0, f.key) != nil }) {
            throw Failure("\(spec.output) in reproductions/\(spec.name) has no column \(f.key) (where=)")
        }
        let rows = all.filter { r in spec.filters.allSatisfy { cell(value(r, $0.key), nil) == $0.value } }
        guard !rows.isEmpty || all.isEmpty else {
            throw Failure("no row of \(spec.output) in reproductions/\(spec.name) passes where=")
        }
        return (rows, p)
    }

    /// A block's cells set against the paper's: each judged cell's distance from the paper's mean, in the paper's
    /// standard deviations, and the status word the distances give (`PaperReference.status`).
    public struct Judgement {
        public var table: String
        public var cells: [(label: String, distance: Double)] = []
        public var within: Int { cells.filter { abs($0.distance) <= 1 }.count }
        public var status: String { PaperReference.status(within: within, of: cells.count) }
        public var summary: String {
            "\(status): \(within) of \(cells.count) cells within one of the paper's standard deviations"
        }

        public static func + (a: Judgement, b: Judgement) -> Judgement {
            Judgement(table: a.table, cells: a.cells + b.cells)
        }
    }

    /// The value a judged cell stands for: a merged cell's mean, a quantity's or a number's value.
    static func center(_ v: RecordValue?) -> Double? {
        switch v {
        case .object(let m)?: return ResultCheck.scalar(m["mean"])?.0
        case .quantity(let q)?: return q.value
        default: return v?.number
        }
    }

    public static func judge(_ spec: Spec, rows: [[String: RecordValue]]) throws -> Judgement? {
        guard let j = spec.judge else { return nil }
        var out = Judgement(table: j.table)
        for r in rows {
            let text = r.mapValues { cell($0, nil) }
            // The row is named by the block's columns that hold text (device, predictor, ...).
            let name = spec.columns.filter { c in !j.columns.contains(c.key) && center(value(r, c.key)) == nil }
                .map { cell(value(r, $0.key), nil) }.joined(separator: " ")
            for (i, key) in j.columns.enumerated() {
                guard let paper = PaperReference.value(table: j.table, row: text, index: i) else { continue }
                guard let ours = center(value(r, key)) else {
                    throw Failure("reproductions/\(spec.name) \(spec.output): no number under '\(key)' to judge")
                }
                let header = spec.columns.first { $0.key == key }?.header ?? key
                out.cells.append((name + " " + header, (ours - paper.mean) / paper.sd))
            }
        }
        guard !out.cells.isEmpty else {
            throw Failure("reproductions/\(spec.name): no row has a value in the paper's \(j.table) (judge=)")
        }
        return out
    }

    /// The sentence under a judged table: the count, the status, and each cell outside the paper's spread.
    static func sentence(_ j: Judgement) -> String {
        // One decimal; two where one would print a distance just over 1 as 1.0.
        func signed(_ x: Double) -> String {
            (x < 0 ? "−" : "+") + String(format: abs(x) < 1.05 ? "%.2f" : "%.1f", abs(x))
        }
        let outside = j.cells.filter { abs($0.distance) > 1 }.map { "\($0.label) \(signed($0.distance))" }
        return
            "Judged against the paper's \(PaperReference.tables[j.table] ?? j.table) (its mean and standard deviation "
            + "per cell): \(j.summary)"
            + (outside.isEmpty
                ? "."
                : "; outside, in the paper's standard deviations: "
                    + outside.joined(separator: ", ") + ".")
    }

    /// The markdown a block holds: the table, then where it was recorded.
    public static func render(_ spec: Spec, root: String) throws -> String {
        let (rows, p) = try selected(spec, root: root)
        if let first = rows.first {
            for c in spec.columns + (spec.value.map { [($0.key, $0.digits, "")] } ?? [])
                + (spec.pivot.map { [($0.key, nil, "")] } ?? [])
            where value(first, c.0) == nil && !(first.keys.contains(c.0)) {
                throw Failure(
                    "reproductions/\(spec.name) \(spec.output) has no column '\(c.0)' (it has \(first.keys.sorted().joined(separator: ", ")))"
                )
            }
        }
        var header = spec.columns.map(\.header)
        var body: [[String]] = []
        if let pivot = spec.pivot, let value = spec.value {
            header += pivot.values
            var order: [[String]] = []
            var cells: [[String]: [String: String]] = [:]
            for r in rows {
                let key = spec.columns.map { cell(Self.value(r, $0.key), $0.digits) }
                if cells[key] == nil {
                    order.append(key)
                    cells[key] = [:]
                }
                cells[key]![cell(Self.value(r, pivot.key), nil)] = cell(Self.value(r, value.key), value.digits)
            }
            body = order.map { k in k + pivot.values.map { cells[k]![$0] ?? "–" } }
        } else {
            body = rows.map { r in spec.columns.map { cell(value(r, $0.key), $0.digits) } }
        }
        var lines = [
            "| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count),
        ]
        lines += body.map { "| " + $0.joined(separator: " | ") + " |" }
        if let j = try judge(spec, rows: rows) {
            lines += ["", sentence(j)]
        }
        let cpu = "\(p.machine?.cpu ?? "?"), \(p.machine.map { String($0.cores) } ?? "?") cores"
        let version = "brpsh \(p.brpsh.version) (sources \(String((p.brpsh.sources ?? "?").prefix(12))))"
        switch p.kind {
        case .sweep:
            let kernels = gemmWords((p.blas_kernels ?? [:]).keys.sorted())
            lines.append("")
            lines.append(
                "Recorded in `reproductions/\(spec.name)`: a sweep of \(p.tasks.map(String.init) ?? "?") tasks, merged \(p.merged_at ?? "?"); \(cpu), \(kernels); \(version)."
            )
        case .run:
            let script = p.script.path ?? "?"
            // The overrides change the result, so the command shown carries them (sorted by name, as recorded).
            let sets = (p.overrides ?? [:]).sorted { $0.key < $1.key }.map { kv -> String in
                let arg = "\(kv.key)=\(kv.value)"
                let plain = arg.unicodeScalars.allSatisfy {
                    CharacterSet.alphanumerics.contains($0) || "=._-/".unicodeScalars.contains($0)
                }
                return " --set " + (plain ? arg : "'\(arg)'")
            }.joined()
            // A run of another program (scripts/bench) is named by its command.
            let command =
                script.hasSuffix(".brp") || p.command == nil
                ? "brpsh \(script)\(sets)" : (p.command ?? []).joined(separator: " ")
            lines.append("")
            lines.append(
                "Recorded in `reproductions/\(spec.name)`: `\(command)`, \(p.start ?? "?"); \(cpu), \(gemmWords([p.blas_kernel ?? "?"])); \(version)."
            )
        }
        return lines.joined(separator: "\n")
    }

    /// The GEMM a recording's numbers came from, in words: `brpsh's exact GEMM`, `OpenBLAS Haswell kernel`.
    static func gemmWords(_ kernels: [String]) -> String {
        if kernels.isEmpty { return "GEMM kernel not recorded" }
        let openblas = kernels.filter { $0 != "exact" }
        return
            ((kernels.contains("exact") ? ["brpsh's exact GEMM"] : [])
            + (openblas.isEmpty ? [] : ["OpenBLAS \(openblas.joined(separator: ", ")) kernel"])).joined(
                separator: " and ")
    }

    public static let end = "<!-- end recorded -->"
    static let judgedStart = "<!-- judged ", judgedEnd = "<!-- end judged -->"

    /// Where a line's judged marker starts; one quoted as code (after a backquote) is text, not a marker.
    static func marker(_ line: String) -> Range<String.Index>? {
        var from = line.startIndex
        while let r = line.range(of: judgedStart, range: from..<line.endIndex) {
            if r.lowerBound == line.startIndex || line[line.index(before: r.lowerBound)] != "`" { return r }
            from = r.upperBound
        }
        return nil
    }

    /// A line's judged marker: where it opens, where its `-->` closes, where its end marker starts.
    static func markerParts(_ line: String) -> (
        open: Range<String.Index>, close: Range<String.Index>, stop: Range<String.Index>
    )? {
        guard let open = marker(line),
            let close = line.range(of: "-->", range: open.upperBound..<line.endIndex),
            let stop = line.range(of: judgedEnd, range: close.upperBound..<line.endIndex)
        else { return nil }
        return (open, close, stop)
    }

    /// The text between a line's judged markers.
    static func judgedText(_ line: String) -> String {
        guard let m = markerParts(line) else { return line }
        return String(line[m.close.upperBound..<m.stop.lowerBound])
    }

    /// A line with `<!-- judged NAME ... -->TEXT<!-- end judged -->` (a coverage row's status): TEXT becomes the
    /// status and count of the judged blocks of those recordings, pooled.
    static func status(_ line: String, judgements: [String: Judgement]) throws -> String {
        guard marker(line) != nil else { return line }
        guard let (open, close, stop) = markerParts(line) else {
            throw Failure("\(judgedStart)NAME ... --> without \(judgedEnd) on its line")
        }
        let names = line[open.upperBound..<close.lowerBound].split(separator: " ").map(String.init)
        guard !names.isEmpty else { throw Failure("\(judgedStart)--> names no recording") }
        let pooled = try names.map { n in
            guard let j = judgements[n] else {
                throw Failure("no judged block (judge=) renders reproductions/\(n)")
            }
            return j
        }.dropFirst().reduce(judgements[names[0]]!, +)
        return String(line[..<close.upperBound]) + pooled.summary + String(line[stop.lowerBound...])
    }

    /// Checks (or rewrites) every recorded block of the pages; the problems found, each naming its page and line.
    public static func process(pages: [String], root: String, write: Bool) -> [String] {
        var files = pages
        if files.isEmpty {
            let docs = URL(fileURLWithPath: root).appendingPathComponent("docs")
            files = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []).filter {
                $0.hasSuffix(".md")
            }.sorted()
                .map { docs.appendingPathComponent($0).path }
        }
        var problems: [String] = []
        var blocks = 0
        // The judged blocks first, pooled by recording, for the status lines that name them.
        var judgements: [String: Judgement] = [:]
        for file in files {
            for line in ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").components(separatedBy: "\n")
            where line.hasPrefix("<!-- recorded ") {
                guard let spec = try? Spec.parse(line), spec.judge != nil,
                    let j = try? judge(spec, rows: selected(spec, root: root).rows)
                else { continue }
                judgements[spec.name] = judgements[spec.name].map { $0 + j } ?? j
            }
        }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                problems.append("cannot read \(file)")
                continue
            }
            var lines = text.components(separatedBy: "\n")
            var out: [String] = []
            var i = 0
            var changed = false
            while i < lines.count {
                var line = lines[i]
                i += 1
                if marker(line) != nil {
                    do {
                        let judged = try status(line, judgements: judgements)
                        if judged != line {
                            changed = true
                            if !write {
                                problems.append(
                                    "\(file):\(i): the status differs from its recordings: the page has '\(judgedText(line))', the recordings give '\(judgedText(judged))'"
                                )
                            }
                        }
                        line = judged
                    } catch { problems.append("\(file):\(i): \(error)") }
                }
                out.append(line)
                guard line.hasPrefix("<!-- recorded ") else { continue }
                blocks += 1
                let start = i
                guard let stop = lines[start...].firstIndex(of: end) else {
                    problems.append("\(file):\(start): a recorded block without \(end)")
                    break
                }
                let current = lines[start..<stop].joined(separator: "\n")
                do {
                    let rendered = "\n" + (try render(try Spec.parse(line), root: root)) + "\n"
                    if rendered != current {
                        changed = true
                        if !write {
                            let differing = zip(
                                current.components(separatedBy: "\n"), rendered.components(separatedBy: "\n")
                            )
                            .first { $0 != $1 }
                            problems.append(
                                "\(file):\(start): the table differs from its recording"
                                    + (differing.map { ": the page has '\($0.0)', the recording renders '\($0.1)'" }
                                        ?? ""))
                        }
                    }
                    out.append(contentsOf: rendered.components(separatedBy: "\n"))
                } catch {
                    problems.append("\(file):\(start): \(error)")
                    out.append(contentsOf: lines[start..<stop])
                }
                out.append(end)
                i = stop + 1
            }
            if write && changed {
                lines = out
                do { try DurableFile.write(Data(lines.joined(separator: "\n").utf8), to: file) } catch {
                    problems.append("cannot write \(file): \(error)")
                }
            }
        }
        if blocks == 0 && pages.isEmpty { problems.append("no recorded tables found under \(root)/docs") }
        return problems
    }
}
