import Foundation

/// The benchmark data of one session, joined on the canonical NB201 arch: device latency
/// tables (LatBench, HW-NAS-Bench, HELP), accuracies, FLOPs/params/proxies. Everything is
/// read from the original files on first use and kept.
// Sendable, unchecked: every cache it fills is read and written under `lock`.
public final class Benchmark: @unchecked Sendable {
    public let directory: DataDirectory
    var cachedIndex: NB201Index?
    var helpPositions: [Int]?
    /// The files each table, index or map kept in memory was made from (path → SHA-256), noted again each time it
    /// is served so that a computation's recording holds them whether or not it read them itself.
    var madeFrom: [String: [String: String]] = [:]
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
            if cachedIndex == nil { try loading(Self.testAccuracyProducts) { try loadTestAccuracies() } }
            served("index")
            return cachedIndex!
        }
    }

    static let testAccuracyProducts = ["index"] + Dataset.allCases.map { "accuracy:\($0.rawValue)-test" }

    /// Runs a loader that fills the products `keys`, recording the files it reads (directly or through other
    /// products) as what they are made from.
    func loading(_ keys: [String], _ load: () throws -> Void) throws {
        let (_, files) = try directory.reads.recording(load)
        for k in keys { madeFrom[k] = files }
    }

    /// Notes, in the open recordings, the files a product kept in memory was made from.
    func served(_ key: String) {
        if let f = madeFrom[key] { directory.reads.note(f) }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// A device's table (read on first use).
    public func table(_ device: Device) throws -> MetricTable {
        try locked {
            let key = "table:\(device.name)"
            if tables[device.name] == nil {
                switch device.source {
                case .latbench:
                    try loading([key]) { tables[device.name] = try LatBenchReader.read(device, directory) }
                case .hwnasbench:
                    let keys = DeviceCatalog.all.filter { $0.file == device.file }.map { "table:\($0.name)" }
                    try loading(keys) { try loadHWNASBench(device.file) }
                case .help:
                    try loading([key]) {
                        if helpPositions == nil {
                            try loading(["help-positions"]) { helpPositions = try HELPReader.positions(directory) }
                        }
                        served("help-positions")
                        tables[device.name] = try HELPReader.read(device, directory, positions: helpPositions!)
                    }
                case .measured:
                    throw NASLibError("the measured table \"\(device.name)\" is not part of this session's data")
                }
            }
            served(key)
            return tables[device.name]!
        }
    }

    /// Makes a measured table available under its device (the device's fingerprint identifies the values).
    public func register(_ device: Device, _ table: MetricTable) {
        precondition(device.source == .measured, "only measured tables are registered")
        locked { tables[device.name] = table }
    }

    /// HELP's ten reference architectures (`hardware_embedding_index.pt`), in the file's order.
    public func helpReferences() throws -> [NB201Arch] {
        try locked {
            if helpPositions == nil {
                try loading(["help-positions"]) { helpPositions = try HELPReader.positions(directory) }
            }
            served("help-positions")
            return try HELPReader.references(directory, positions: helpPositions!)
        }
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
                    throw NASLibError(
                        "\(path):\(i + 2): column '\(device.column!)': \(csv.rows[i][c]) is not a \(device.measure.rawValue) (positive, or -1 for missing)"
                    )
                }
                values[index.codes[i]] = v * scale
            }
            tables[device.name] = MetricTable(name: device.name, values: values)
        }
    }
}
