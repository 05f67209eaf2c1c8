import Foundation
import Infra

/// NAS-Bench-101 models that a user supplies (no NB101 data ships with brpsh), one JSON object
/// per line:
///
///     {"adjacency": [[0,1,0],[0,0,1],[0,0,0]], "ops": ["input", "conv3x3-bn-relu", "output"],
///      "metrics": {"accuracy": 91.2, "latency_ms": 3.4}}
///
/// `adjacency` is the upper-triangular matrix (row = source), `ops` one name per node
/// (`conv3x3-bn-relu`, `conv1x1-bn-relu`, `maxpool3x3`, or `conv3x3`, `conv1x1`, `maxpool`),
/// and `metrics` any numbers (accuracies, latencies, ...). Blank lines and lines starting with
/// `#` are skipped. Cells are validated and pruned as NAS-Bench-101 does.
public struct NB101Dataset: Sendable {
    public struct Model: Sendable {
        public let cell: NB101Cell
        public let metrics: [String: Double]
        /// The line of the file the model came from.
        public let line: Int
    }

    public let models: [Model]

    public init(models: [Model]) { self.models = models }

    public static func load(path: String) throws -> NB101Dataset {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NASLibError("cannot read NB101 file '\(path)'")
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    public static func parse(_ text: String, name: String) throws -> NB101Dataset {
        var models: [Model] = []
        for (i, raw) in text.components(separatedBy: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                models.append(try model(line, line: i + 1))
            } catch let e as NASLibError {
                throw NASLibError("\(name):\(i + 1): \(e.message)")
            }
        }
        return NB101Dataset(models: models)
    }

    static func model(_ line: String, line number: Int) throws -> Model {
        guard let object = (try? ExactJSON.object(with: Data(line.utf8))) as? [String: Any] else {
            throw NASLibError("not a JSON object")
        }
        guard let adjacency = object["adjacency"] as? [[Any]] else {
            throw NASLibError("missing \"adjacency\" (a list of 0/1 rows)")
        }
        let matrix = try adjacency.map { row in
            try row.map { v -> Int in
                guard let n = v as? NSNumber, n.doubleValue == n.doubleValue.rounded() else {
                    throw NASLibError("adjacency entries must be 0 or 1")
                }
                return n.intValue
            }
        }
        guard let opNames = object["ops"] as? [String] else {
            throw NASLibError("missing \"ops\" (a list of op names)")
        }
        let ops = try opNames.map { name -> NB101Cell.Op in
            guard let op = NB101Cell.Op(name: name) else {
                throw NASLibError(
                    "unknown NB101 op '\(name)' (ops: input, conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3, output)")
            }
            return op
        }
        var metrics: [String: Double] = [:]
        if let m = object["metrics"] {
            guard let dict = m as? [String: Any] else { throw NASLibError("\"metrics\" must be an object of numbers") }
            for (k, v) in dict {
                guard let n = JSONNumber.of(v) else { throw NASLibError("metric '\(k)' is not a number") }
                metrics[k] = n
            }
        }
        return Model(cell: try NB101Cell(adjacency: matrix, ops: ops), metrics: metrics, line: number)
    }
}
