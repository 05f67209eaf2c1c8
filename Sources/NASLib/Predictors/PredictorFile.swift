import Foundation
import Infra

/// The file format of saved GCN predictors (docs/formats.md): not pickle, versioned,
/// self-describing, checked on load.
///
///     "BRPSHGCN"            8 bytes, magic
///     version               UInt32 little-endian (1)
///     header length         UInt32 little-endian
///     header                UTF-8 JSON: kind, spec (device, split sizes, seed, architecture,
///                           training options, precision), arch encoding, target normalisation,
///                           parameter tensors (name, rows, cols), parameter count, checksum,
///                           the training and validation archs, history and test metrics
///     parameters            count × float32 or float64, little-endian, in tensor order
public enum PredictorFile {
    public static let magic = Array("BRPSHGCN".utf8)
    public static let version: UInt32 = 1
    /// How archs become graphs (the eagle NB201 encoding, 9 nodes, 6 features).
    public static let encoding = "nb201-eagle-9x9x6"

    public struct Header: Codable, Equatable {
        public var format = "brpsh-gcn"
        public var kind: String
        public var spec: GCNPredictorSpec
        public var encoding: String
        /// Targets are raw device latencies in seconds: prediction = output · scale + shift.
        public var targetUnit = "seconds"
        public var targetScale = 1.0
        public var targetShift = 0.0
        public var tensors: [Tensor]
        public var count: Int
        /// FNV-1a 64 of the parameter bytes, hexadecimal.
        public var checksum: String
        public var train: [Int]
        public var valid: [Int]
        public var history: [EpochRecord]
        /// Training wall-clock seconds (optional; absent in files of other writers).
        public var seconds: Double?

        public struct Tensor: Codable, Equatable {
            public var name: String
            public var rows: Int
            public var cols: Int
        }
    }

    public static func save(_ p: LatencyPredictor, to path: String) throws {
        do { try DurableFile.write(Data(try encode(p)), to: path) } catch let e as InfraError {
            throw NASLibError("cannot write predictor file '\(path)' (\(e.message))")
        }
    }

    /// The SHA-256 of everything that determines the predictor's predictions and metrics (the file's bytes
    /// without the training's wall-clock time): equal for the same training run twice.
    public static func contentHash(_ p: LatencyPredictor) throws -> String {
        SHA256.hex(try encode(p, timing: false))
    }

    /// The file's bytes (`timing: false` leaves the training's duration out).
    public static func encode(_ p: LatencyPredictor, timing: Bool = true) throws -> [UInt8] {
        let values = p.model.parameters
        var payload = [UInt8]()
        switch p.model.precision {
        case .float64: for v in values { payload += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        case .float32: for v in values { payload += withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init) }
        }
        let header = Header(
            kind: "latency", spec: p.spec, encoding: encoding,
            tensors: p.model.slices.map { Header.Tensor(name: $0.name, rows: $0.rows, cols: $0.cols) },
            count: values.count,
            checksum: fnv1a(payload), train: p.trainArchs.map(\.code), valid: p.validArchs.map(\.code),
            history: p.history,
            seconds: timing ? p.trainingSeconds : 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = [UInt8](try encoder.encode(header))
        var out = magic
        out += withUnsafeBytes(of: version.littleEndian, Array.init)
        out += withUnsafeBytes(of: UInt32(json.count).littleEndian, Array.init)
        out += json
        out += payload
        return out
    }

    /// Reads a predictor; the test set is the device's other measured models.
    public static func load(_ path: String, table: (String) throws -> MetricTable) throws -> LatencyPredictor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NASLibError("cannot read predictor file '\(path)'")
        }
        return try decode([UInt8](data), source: path, table: table)
    }

    /// Reads a predictor from bytes (`source` names them in errors).
    public static func decode(_ bytes: [UInt8], source path: String, table: (String) throws -> MetricTable) throws
        -> LatencyPredictor
    {
        func fail(_ m: String) -> NASLibError { NASLibError("\(path): \(m)") }
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            throw fail("not a brpsh predictor file (bad magic)")
        }
        let version = bytes[8..<12].enumerated().reduce(UInt32(0)) {
            $0 | UInt32($1.element) << (8 * UInt32($1.offset))
        }
        guard version == PredictorFile.version else {
            throw fail("predictor file version \(version); this brpsh reads version \(PredictorFile.version)")
        }
        let headerLength = Int(
            bytes[12..<16].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) })
        guard bytes.count >= 16 + headerLength else { throw fail("truncated header") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)]))
        } catch {
            throw fail("unreadable header (\(error))")
        }
        guard header.format == "brpsh-gcn", header.kind == "latency" else { throw fail("not a latency predictor") }
        guard header.encoding == encoding else { throw fail("arch encoding '\(header.encoding)' is not '\(encoding)'") }
        let width = header.spec.precision == .float64 ? 8 : 4
        let payload = Array(bytes[(16 + headerLength)...])
        guard payload.count == header.count * width else {
            throw fail("\(payload.count) parameter bytes, expected \(header.count * width) (truncated file?)")
        }
        guard fnv1a(payload) == header.checksum else { throw fail("parameter checksum mismatch (corrupt file)") }
        let model = AnyGCN(precision: header.spec.precision, config: header.spec.config, seed: 0)
        let expected = model.slices.map { Header.Tensor(name: $0.name, rows: $0.rows, cols: $0.cols) }
        guard expected == header.tensors, model.parameterCount == header.count else {
            throw fail("tensors do not match the architecture in the header")
        }
        var values = [Double](repeating: 0, count: header.count)
        for i in 0..<header.count {
            var v: UInt64 = 0
            for b in 0..<width { v |= UInt64(payload[i * width + b]) << (8 * UInt64(b)) }
            values[i] = width == 8 ? Double(bitPattern: v) : Double(Float(bitPattern: UInt32(v)))
        }
        model.setParameters(values)
        let t = try table(header.spec.device)
        let used = Set(header.train + header.valid)
        let test = t.measured.filter { !used.contains($0.code) }
        return LatencyPredictor(
            spec: header.spec, model: model, train: header.train.map(NB201Arch.init(code:)),
            valid: header.valid.map(NB201Arch.init(code:)), test: test, history: header.history,
            seconds: header.seconds ?? 0)
    }

    static func fnv1a(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }
}
