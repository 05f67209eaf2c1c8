import Foundation

/// The benchmark data of one session, joined on the canonical NB201 arch: device latency
/// tables (LatBench, HW-NAS-Bench, HELP), accuracies, FLOPs/params/proxies. Everything is
/// read from the original files on first use and kept.
// Sendable, unchecked: every cache it fills is read and written under `lock`.
public final class Benchmark: @unchecked Sendable {
    public let directory: DataDirectory
    var cachedIndex: NB201Index?
    var tables: [String: MetricTable] = [:]
    var accuracies: [String: MetricTable] = [:]
    var proxyTables: [String: [String: MetricTable]] = [:]
    private let lock = NSRecursiveLock()

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    /// The official index order (reads the NB201 test-accuracy CSV once).
    public func index() throws -> NB201Index {
        try locked {
            if let i = cachedIndex { return i }
            try loadTestAccuracies()
            return cachedIndex!
        }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// A device's table (read on first use).
    public func table(_ device: Device) throws -> MetricTable {
        try locked {
            if let t = tables[device.name] { return t }
            let t: MetricTable
            switch device.source {
            case .latbench: t = try LatBenchReader.read(device, directory)
            case .hwnasbench: try loadHWNASBench(device.file); return tables[device.name]!
            case .help: t = try HELPReader.read(device, directory, index: try index())
            case .measured:
                throw NASLibError("the measured table \"\(device.name)\" is not part of this session's data")
            }
            tables[device.name] = t
            return t
        }
    }

    /// Makes a measured table available under its device (the device's fingerprint identifies the values).
    public func register(_ device: Device, _ table: MetricTable) {
        precondition(device.source == .measured, "only measured tables are registered")
        locked { tables[device.name] = table }
    }

    public func table(named name: String) throws -> MetricTable { try table(try DeviceCatalog.resolve(name)) }

    /// Whether a device's table is already in memory.
    public func isLoaded(_ device: Device) -> Bool { locked { tables[device.name] != nil } }

    /// Reads every table of a source; returns the devices.
    @discardableResult
    public func load(_ source: Device.Source) throws -> [Device] {
        let devices = DeviceCatalog.all.filter { $0.source == source }
        for d in devices { _ = try table(d) }
        return devices
    }

    func loadHWNASBench(_ file: DataFile) throws {
        let (path, bytes) = try directory.read(file)
        let csv = try CSVTable(text: String(decoding: bytes, as: UTF8.self), source: path)
        let index = try index()
        guard csv.rows.count == NB201Arch.count else {
            throw NASLibError("\(path): \(csv.rows.count) rows, expected 15625 (one per NB201 index; truncated file?)")
        }
        let net = try csv.column("net")
        // Rows are in NB201 index order; the `net` tuple of every row must agree.
        for (i, row) in csv.rows.enumerated() {
            guard let arch = try? NB201Arch(naslib: Benchmark.tuple(row[net])), index.index(of: arch) == i else {
                throw NASLibError("\(path):\(i + 2): net \(Printable.escaped(row[net])) is not NB201 index \(i)")
            }
        }
        for device in DeviceCatalog.all where device.file == file {
            let c = try csv.column(device.column!)
            var values = [Double](repeating: .nan, count: NB201Arch.count)
            let scale = 1e-3  // ms -> s, mJ -> J
            for i in 0..<csv.rows.count {
                let v = try csv.number(i, c)
                if v == -1 { continue }  // -1 marks a missing measurement (NaN: unknown)
                guard v > 0 else {
                    throw NASLibError("\(path):\(i + 2): column '\(device.column!)': \(csv.rows[i][c]) is not a \(device.measure.rawValue) (positive, or -1 for missing)")
                }
                values[index.codes[i]] = v * scale
            }
            tables[device.name] = MetricTable(name: device.name, values: values)
        }
    }
}
