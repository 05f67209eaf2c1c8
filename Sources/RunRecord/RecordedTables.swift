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

    public static func json(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure("cannot read \(path)") }
        guard let o = try ExactJSON.object(with: data) as? [String: Any] else {
            throw Failure("\(path) is not a JSON object")
        }
        return o
    }

    public static func writeJSON(_ o: Any, _ path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .prettyPrinted])
        try DurableFile.write(data + Data("\n".utf8), to: path)
    }

    /// The CSV outputs of a results.json's `outputs` (figures and other files left out).
    public static func csvOutputs(_ outputs: Any?) -> [String: Any] {
        (outputs as? [String: Any] ?? [:]).filter { $0.key.hasSuffix(".csv") }
    }

    public static func record(source: String, name: String, root: String) throws {
        let src = URL(fileURLWithPath: source)
        let merged = src.appendingPathComponent("merged")
        var results: [String: Any] = [:]
        var provenance: [String: Any] = [:]
        if FileManager.default.fileExists(atPath: merged.appendingPathComponent("results.json").path) {
            let r = try json(merged.appendingPathComponent("results.json").path)
            let p = try json(merged.appendingPathComponent("provenance.json").path)
            results["groups"] = (r["groups"] as? [[String: Any]] ?? []).map { g in
                ["point": g["point"] ?? [:], "n": g["n"] ?? 0, "outputs": csvOutputs(g["outputs"])] as [String: Any]
            }
            let sweep = p["sweep"] as? [String: Any] ?? [:]
            let tasks = p["tasks"] as? [[String: Any]] ?? []
            let first = (tasks.first?["provenance"] as? [String: Any]) ?? tasks.first ?? [:]
            provenance = [
                "kind": "sweep", "brpsh": sweep["brpsh"] ?? NSNull(), "script": sweep["script"] ?? NSNull(),
                "script_sha256": sweep["scriptSHA256"] ?? NSNull(), "data_sha256": sweep["data"] ?? NSNull(),
                "tasks": tasks.count,
                "blas_kernels": (p["blas_kernels"] as? [String: Any] ?? [:]).mapValues { ($0 as? [Any])?.count ?? 0 },
                "machine": first["machine"] ?? NSNull(), "merged_at": p["merged_at"] ?? NSNull(),
                "grid": (sweep["tasks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String },
            ]
        } else {
            let r = try json(src.appendingPathComponent("results.json").path)
            let p = try json(src.appendingPathComponent("provenance.json").path)
            // The saved CSV files themselves, where the run directory still has them: results.json's copy is
            // derived from them (and older brpsh split a quoted field with a comma there).
            var outputs = csvOutputs(r["outputs"])
            for key in outputs.keys {
                if let data = FileManager.default.contents(atPath: src.appendingPathComponent(key).path) {
                    outputs[key] = ResultsFile.csvRows(String(decoding: data, as: UTF8.self), source: key)
                }
            }
            results["outputs"] = outputs
            let blas = p["blas"] as? [String: Any] ?? [:]
            provenance = [
                "kind": "run", "brpsh": p["brpsh"] ?? NSNull(), "script": p["script"] ?? NSNull(),
                "command": p["command"] ?? NSNull(),
                "overrides": p["overrides"] ?? NSNull(), "seed": p["seed"] ?? NSNull(),
                "machine": p["machine"] ?? NSNull(),
                "blas_kernel": blas["kernel"] ?? NSNull(), "start": p["start"] ?? NSNull(),
                "seconds": p["seconds"] ?? NSNull(),
                "data_files": ((p["data"] as? [String: Any])?["files"] as? [[String: Any]] ?? []).map { f in
                    ["file": f["file"] ?? NSNull(), "sha256": f["sha256"] ?? NSNull()]
                },
            ]
        }
        guard !(results["outputs"].map { ($0 as? [String: Any])?.isEmpty ?? true } ?? false) else {
            throw Failure("\(source) saved no CSV file: a recorded table is rendered from one")
        }
        let dir = URL(fileURLWithPath: root).appendingPathComponent("reproductions").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try writeJSON(results, dir.appendingPathComponent("results.json").path)
        try writeJSON(provenance, dir.appendingPathComponent("provenance.json").path)
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
                default: throw Failure("unknown setting '\(kv[0])' (columns, pivot, value, where)")
                }
            }
            guard !s.columns.isEmpty else { throw Failure("a recorded block needs columns=") }
            guard (s.pivot == nil) == (s.value == nil) else { throw Failure("pivot= and value= go together") }
            return s
        }
    }

    /// A cell: a number with the given digits; a merged number as "mean ± std"; text without surrounding quotes.
    public static func cell(_ v: Any?, _ digits: Int?) -> String {
        func number(_ x: Double) -> String {
            if let d = digits { return String(format: "%.\(d)f", x) }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        }
        switch v {
        case let m as [String: Any]:
            if let mean = JSONNumber.of(m["mean"]), let std = JSONNumber.of(m["std"]) {
                return std == 0 && (JSONNumber.of(m["n"]) ?? 1) > 1 && digits == nil
                    ? number(mean) : "\(number(mean)) ± \(number(std))"
            }
            if let vs = m["values"] as? [Any] { return vs.map { cell($0, digits) }.joined(separator: " / ") }
            return "?"
        case let s as String where s.isEmpty: return "–"
        case let s as String:
            return s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
        case let n as NSNumber where !JSONNumber.isBoolean(n): return number(n.doubleValue)
        case let n as NSNumber: return n.boolValue ? "true" : "false"
        case nil, is NSNull: return "–"
        default: return "?"
        }
    }

    /// The rows of the recording's output as dictionaries; a sweep's groups in order, each row with the group's
    /// point variables.
    public static func rows(_ spec: Spec, root: String) throws -> (rows: [[String: Any]], provenance: [String: Any]) {
        let dir = URL(fileURLWithPath: root).appendingPathComponent("reproductions").appendingPathComponent(spec.name)
        let results = try json(dir.appendingPathComponent("results.json").path)
        let provenance = try json(dir.appendingPathComponent("provenance.json").path)
        func table(_ outputs: Any?, point: [String: Any]) throws -> [[String: Any]] {
            guard let csv = (outputs as? [String: Any])?[spec.output] as? [[Any]], let header = csv.first as? [String]
            else {
                throw Failure("reproductions/\(spec.name) has no CSV output \(spec.output)")
            }
            return csv.dropFirst().map { row in
                var d = point
                for (k, v) in zip(header, row) { d[k] = v }
                return d
            }
        }
        if let groups = results["groups"] as? [[String: Any]] {
            return (
                try groups.flatMap { try table($0["outputs"], point: $0["point"] as? [String: Any] ?? [:]) }, provenance
            )
        }
        return (try table(results["outputs"], point: [:]), provenance)
    }

    /// A row's value for a column key; underscores in the key stand for spaces of the CSV's header ("min_(ms)").
    public static func value(_ row: [String: Any], _ key: String) -> Any? {
        row[key] ?? row[key.replacingOccurrences(of: "_", with: " ")]
    }

    /// The markdown a block holds: the table, then where it was recorded.
    public static func render(_ spec: Spec, root: String) throws -> String {
        let (all, p) = try rows(spec, root: root)
        for f in spec.filters where !all.contains(where: { value($0, f.key) != nil }) {
            throw Failure("\(spec.output) in reproductions/\(spec.name) has no column \(f.key) (where=)")
        }
        let rows = all.filter { r in spec.filters.allSatisfy { cell(value(r, $0.key), nil) == $0.value } }
        guard !rows.isEmpty || all.isEmpty else {
            throw Failure("no row of \(spec.output) in reproductions/\(spec.name) passes where=")
        }
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
        let machine = p["machine"] as? [String: Any] ?? [:]
        let cpu = "\(machine["cpu"] as? String ?? "?"), \(cell(machine["cores"], nil)) cores"
        let brpsh = p["brpsh"] as? [String: Any]
        let version =
            brpsh.map {
                "brpsh \($0["version"] as? String ?? "?") (sources \(String(($0["sources"] as? String ?? "?").prefix(12))))"
            }
            ?? (p["brpsh"] as? String).map { s in
                s.replacingOccurrences(
                    of: #"sources ([0-9a-f]{12})[0-9a-f]*"#, with: "(sources $1)", options: .regularExpression)
            } ?? "brpsh ?"
        if p["kind"] as? String == "sweep" {
            let kernels = (p["blas_kernels"] as? [String: Any] ?? [:]).keys.sorted().joined(separator: ", ")
            lines.append("")
            lines.append(
                "Recorded in `reproductions/\(spec.name)`: a sweep of \(cell(p["tasks"], nil)) tasks, merged \(p["merged_at"] as? String ?? "?"); \(cpu), OpenBLAS \(kernels) kernel; \(version)."
            )
        } else {
            let script = (p["script"] as? [String: Any])?["path"] as? String ?? "?"
            // The overrides change the result, so the command shown carries them (sorted by name, as recorded).
            let sets = (p["overrides"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { kv -> String in
                let arg = "\(kv.key)=\(kv.value)"
                let plain = arg.unicodeScalars.allSatisfy {
                    CharacterSet.alphanumerics.contains($0) || "=._-/".unicodeScalars.contains($0)
                }
                return " --set " + (plain ? arg : "'\(arg)'")
            }.joined()
            lines.append("")
            lines.append(
                "Recorded in `reproductions/\(spec.name)`: `brpsh \(script)\(sets)`, \(p["start"] as? String ?? "?"); \(cpu), OpenBLAS \(p["blas_kernel"] as? String ?? "?") kernel; \(version)."
            )
        }
        return lines.joined(separator: "\n")
    }

    public static let end = "<!-- end recorded -->"

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
                let line = lines[i]
                out.append(line)
                i += 1
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
