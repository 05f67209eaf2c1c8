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
            guard case .tuple(let items) = k else { throw NASLibError("\(path): a key is a \(k.kind), not an arch tuple") }
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
            guard let seconds = v.number, seconds.isFinite, seconds > 0 else {
                throw NASLibError("\(path): latency of \(codes) is not a positive number (\(v.kind))")
            }
            guard values[arch.code].isNaN else { throw NASLibError("\(path): arch \(codes) appears twice") }
            values[arch.code] = seconds
        }
        guard !entries.isEmpty else { throw NASLibError("\(path): no measurements") }
        return MetricTable(name: name, values: values)
    }
}

/// Reads a HELP `.pt` latency list: 15625 latencies in milliseconds, position = NB201 index.
enum HELPReader {
    static func read(_ device: Device, _ directory: DataDirectory, index: NB201Index) throws -> MetricTable {
        let (path, bytes) = try directory.read(device.file)
        let value = try TorchArchive.load(bytes: bytes, source: path)
        guard case .list(let items) = value else {
            throw NASLibError("\(path): expected a list of latencies, found a \(value.kind)")
        }
        guard items.count == NB201Arch.count else {
            throw NASLibError("\(path): \(items.count) latencies, expected 15625 (one per NB201 index)")
        }
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for (i, item) in items.enumerated() {
            guard let ms = item.number, ms.isFinite, ms >= 0 else {
                throw NASLibError("\(path): entry \(i) is not a latency (\(item.kind))")
            }
            values[index.codes[i]] = ms * 1e-3
        }
        return MetricTable(name: device.name, values: values)
    }
}
