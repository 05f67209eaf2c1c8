/// Reads a LatBench pickle: `dict{ (6 op codes in eagle order) : latency in seconds }`.
public enum LatBenchReader {
    static func read(_ device: Device, _ directory: DataDirectory) throws -> MetricTable {
        let (path, bytes) = try directory.read(device.file)
        return try parse(bytes, path: path, name: device.name)
    }

    /// A LatBench pickle's bytes as a table named `name`; errors name `path`.
    public static func parse(_ bytes: [UInt8], path: String, name: String) throws -> MetricTable {
        let value = try SafeUnpickler.load(bytes, source: path)
        guard case .dict(let entries) = value else {
            throw NASLibError("\(path): expected a dict of arch tuples to latencies, found a \(value.kind)")
        }
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for (k, v) in entries {
            guard case .tuple(let items) = k else {
                throw NASLibError("\(path): a key is a \(k.kind), not an arch tuple")
            }
            let codes = try items.map { item -> Int in
                guard case .int(let c) = item else { throw NASLibError("\(path): arch tuple holds a \(item.kind)") }
                return c
            }
            let arch: NB201Arch
            do {
                arch = try NB201Arch(vector: codes)
            } catch let e as NASLibError {
                throw NASLibError("\(path): \(e.message)")
            }
            guard let seconds = v.number, LatencyStatistic.isPlausible(seconds) else {
                throw NASLibError(
                    """
                    \(path): latency of \(codes) is not a positive number of seconds of at most \
                    \(Int(LatencyStatistic.maxSeconds)) (\(v.number.map { "\($0)" } ?? v.kind))
                    """)
            }
            guard values[arch.code].isNaN else { throw NASLibError("\(path): arch \(codes) appears twice") }
            values[arch.code] = seconds
        }
        guard !entries.isEmpty else { throw NASLibError("\(path): no measurements") }
        return MetricTable(name: name, values: values)
    }
}

/// Reads a HELP `.pt` latency list: 15625 latencies in milliseconds, joined to architectures by HELP's own map
/// (`help-latency/str_arch2idx.pt`: arch string → position in the lists), never by another file's row order.
enum HELPReader {
    static let archMap = DataFile("help-latency/str_arch2idx.pt", origin: DataFile.helpOrigin)

    /// The arch code at each position of HELP's lists, from `str_arch2idx.pt`; every arch and every position once.
    static func positions(_ directory: DataDirectory) throws -> [Int] {
        let (path, bytes) = try directory.read(archMap)
        guard case .dict(let pairs) = try TorchArchive.load(bytes: bytes, source: path) else {
            throw NASLibError("\(path): expected a dict of arch strings to positions")
        }
        var codes = [Int](repeating: -1, count: NB201Arch.count)
        for (k, v) in pairs {
            guard case .string(let s) = k, case .int(let i) = v else {
                throw NASLibError("\(path): an entry is \(k.kind) → \(v.kind), not arch string → position")
            }
            let arch: NB201Arch
            do { arch = try NB201Arch(string: s) } catch let e as NASLibError {
                throw NASLibError("\(path): \(e.message)")
            }
            guard i >= 0, i < NB201Arch.count, codes[i] < 0 else {
                throw NASLibError("\(path): position \(i) of \(Printable.escaped(s)) is out of range or taken twice")
            }
            codes[i] = arch.code
        }
        guard pairs.count == NB201Arch.count, Set(codes).count == NB201Arch.count else {
            throw NASLibError("\(path): \(pairs.count) entries, expected each of the 15625 NB201 archs once")
        }
        return codes
    }

    static func read(_ device: Device, _ directory: DataDirectory, positions: [Int]) throws -> MetricTable {
        let (path, bytes) = try directory.read(device.file)
        let value = try TorchArchive.load(bytes: bytes, source: path)
        guard case .list(let items) = value else {
            throw NASLibError("\(path): expected a list of latencies, found a \(value.kind)")
        }
        guard items.count == NB201Arch.count else {
            throw NASLibError("\(path): \(items.count) latencies, expected 15625 (one per NB201 arch)")
        }
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for (i, item) in items.enumerated() {
            guard let ms = item.number, ms >= 0, ms * 1e-3 <= LatencyStatistic.maxSeconds else {
                throw NASLibError(
                    "\(path): entry \(i) is not a latency in ms (\(item.number.map { "\($0)" } ?? item.kind))")
            }
            values[positions[i]] = ms * 1e-3
        }
        return MetricTable(name: device.name, values: values)
    }

    static let referenceFile = DataFile("help-latency/hardware_embedding_index.pt", origin: DataFile.helpOrigin)

    /// HELP's reference architectures (the models it measures to describe a device), in the file's order: a list of
    /// positions in HELP's latency lists.
    static func references(_ directory: DataDirectory, positions: [Int]) throws -> [NB201Arch] {
        let (path, bytes) = try directory.read(referenceFile)
        guard case .list(let items) = try TorchArchive.load(bytes: bytes, source: path) else {
            throw NASLibError("\(path): expected a list of positions")
        }
        let codes = try items.enumerated().map { i, item -> Int in
            guard case .int(let p) = item, p >= 0, p < positions.count else {
                throw NASLibError("\(path): entry \(i) is not a position in HELP's lists (0..<\(positions.count))")
            }
            return positions[p]
        }
        guard Set(codes).count == codes.count, !codes.isEmpty else {
            throw NASLibError("\(path): reference architectures repeat or are missing")
        }
        return codes.map(NB201Arch.init(code:))
    }
}
