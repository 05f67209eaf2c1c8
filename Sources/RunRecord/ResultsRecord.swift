import Foundation
import Infra
import NASLib

/// `results.json` of an `--out` run: the plain value of everything the script displayed, in order, and what it saved
/// (what `brpsh check` compares and `brpsh merge` merges).
///
/// Format 2 (written since quantities became typed): `{"format": 2, "brpsh": VERSION, "displays": [...],
/// "outputs": {NAME: SAVED}}`, quantities as `{"value": 85.2, "unit": "%"}`, and each saved file tagged with its
/// kind: `{"json": VALUE}`, `{"csv": ROWS}` (the header first), or `{"sha256": HEX, "figure": DATA}` (any other file;
/// `figure` for an SVG figure, its data, so a merge can redraw it). The previous format (no `format` field,
/// quantities as strings such as `"85.2%"`, a saved file's kind known from its extension) is still read.
public struct ResultsRecord: Codable, Equatable, Sendable {
    public static let currentFormat = RunRecordJSON.currentFormat

    public var format: Int
    public var brpsh: String
    public var displays: [RecordValue]
    public var outputs: [String: SavedFile]

    public init(brpsh: String, displays: [RecordValue], outputs: [String: SavedFile]) {
        format = Self.currentFormat
        self.brpsh = brpsh
        self.displays = displays
        self.outputs = outputs
    }

    /// A file a run saved, as results.json holds it.
    public enum SavedFile: Codable, Equatable, Sendable {
        /// A JSON file's value.
        case json(RecordValue)
        /// A CSV file's rows, the header first; numbers and quantities typed (`RecordValue.cell`).
        case csv([[RecordValue]])
        /// Any other file, by its SHA-256; for an SVG figure, its data too.
        case file(sha256: String, figure: RecordValue?)

        enum Keys: String, CodingKey { case json, csv, sha256, figure }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            if c.contains(.json) {
                self = .json(try c.decode(RecordValue.self, forKey: .json))
            } else if c.contains(.csv) {
                self = .csv(try c.decode([[RecordValue]].self, forKey: .csv))
            } else {
                self = .file(
                    sha256: try c.decode(String.self, forKey: .sha256),
                    figure: try c.decodeIfPresent(RecordValue.self, forKey: .figure))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            switch self {
            case .json(let v): try c.encode(v, forKey: .json)
            case .csv(let rows): try c.encode(rows, forKey: .csv)
            case .file(let sha, let figure):
                try c.encode(sha, forKey: .sha256)
                try c.encodeIfPresent(figure, forKey: .figure)
            }
        }

        /// The CSV rows, for a CSV file.
        public var csvRows: [[RecordValue]]? {
            if case .csv(let rows) = self { return rows }
            return nil
        }

        /// What the file holds as one value (a CSV as its rows; another file as `{sha256, figure}`), for comparing and
        /// merging.
        public var value: RecordValue {
            switch self {
            case .json(let v): return v
            case .csv(let rows): return .list(rows.map(RecordValue.list))
            case .file(let sha, let figure):
                var o: [String: RecordValue] = ["sha256": .string(sha)]
                if let figure { o["figure"] = figure }
                return .object(o)
            }
        }
    }

    /// A saved CSV's text as rows of cells, the header first: quoted fields whole (RFC 4180, as `save` writes text
    /// with a comma or a quote), each cell typed by `RecordValue.cell`. A file that is not a rectangular CSV is split
    /// at line ends and commas, as written.
    public static func csvRows(_ text: String, source: String) -> [[RecordValue]] {
        guard let table = try? CSVTable(text: text, source: source) else {
            return text.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(RecordValue.cell)
            }
        }
        return [table.header.map { RecordValue.string($0) }]
            + table.rows.map { $0.map { RecordValue.cell(Substring($0)) } }
    }

    /// The record of the files a run saved: JSON and CSV by content, others by SHA-256 (with an SVG's figure data).
    /// Names are relative to `outDir` when inside it.
    public static func savedFiles(
        _ paths: [String], outDir: String, figure: (String) -> RecordValue?
    ) -> [String: SavedFile] {
        var files: [String: SavedFile] = [:]
        for path in paths {
            let name = path.hasPrefix(outDir + "/") ? String(path.dropFirst(outDir.count + 1)) : path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            switch (path as NSString).pathExtension.lowercased() {
            case "json": files[name] = .json((try? JSONDecoder().decode(RecordValue.self, from: data)) ?? .null)
            case "csv": files[name] = .csv(csvRows(String(decoding: data, as: UTF8.self), source: name))
            default: files[name] = .file(sha256: SHA256.hex(data), figure: figure(path))
            }
        }
        return files
    }

    public func write(to path: String) throws {
        try DurableFile.write(try RunRecordJSON.data(self), to: path)
    }

    /// Reads results.json in this format or the previous one.
    public static func read(_ path: String) throws -> ResultsRecord {
        try decode(try RunRecordJSON.read(path), file: path)
    }

    public static func decode(_ data: Data, file: String) throws -> ResultsRecord {
        try RunRecordJSON.decode(
            data, file: file, current: { try RunRecordJSON.decode(ResultsRecord.self, $0, file: file) },
            previous: { try RunRecordJSON.decode(Previous.self, $0, file: file).upgraded })
    }

    /// results.json before format 2: quantities as strings, a saved file's kind by its extension.
    struct Previous: Decodable {
        var brpsh: String?
        var displays: [RecordValue]?
        var outputs: [String: RecordValue]?

        var upgraded: ResultsRecord {
            var files: [String: SavedFile] = [:]
            for (name, v) in outputs ?? [:] {
                switch (name as NSString).pathExtension.lowercased() {
                case "json": files[name] = .json(v.upgradingQuantityStrings)
                case "csv":
                    files[name] = .csv(
                        (v.list ?? []).map { row in
                            (row.list ?? []).map { cell in cell.string.map { RecordValue.cell(Substring($0)) } ?? cell }
                        })
                default: files[name] = .file(sha256: v["sha256"]?.string ?? "", figure: v["figure"])
                }
            }
            return ResultsRecord(
                brpsh: brpsh ?? "?", displays: (displays ?? []).map(\.upgradingQuantityStrings), outputs: files)
        }
    }
}

/// The `format` field every run record has from format 2 on (absent before).
struct FormatField: Decodable {
    var format: Int?
}
