import Foundation

/// Accuracy tables and the files they come from.
extension Benchmark {
    public enum Dataset: String, CaseIterable, Sendable {
        case cifar10
        case cifar100
        case imagenet16 = "imagenet16-120"

        /// Accepts `cifar10`, `cifar-10`, `cifar100`, `imagenet16`, `ImageNet16-120`, `imagenet`.
        public init?(name: String) {
            switch name.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") {
            case "cifar10": self = .cifar10
            case "cifar100": self = .cifar100
            case "imagenet16", "imagenet16120", "imagenet": self = .imagenet16
            default: return nil
            }
        }

        public var classes: Int {
            switch self {
            case .cifar10: return 10
            case .cifar100: return 100
            case .imagenet16: return 120
            }
        }

        public var inputSize: Int { self == .imagenet16 ? 16 : 32 }
    }

    public enum Split: String, Sendable {
        case test
        case valid
    }

    /// Test accuracy (mean over the benchmark's training seeds) for all 15625 archs, or
    /// validation accuracy for the 9445 archs without dangling operations (CIFAR-10 and
    /// ImageNet16-120 only).
    public func accuracy(_ dataset: Dataset, _ split: Split) throws -> MetricTable {
        try locked {
            let key = "\(dataset.rawValue)-\(split.rawValue)"
            if accuracies[key] == nil {
                switch split {
                case .test: try loading(Self.testAccuracyProducts) { try loadTestAccuracies() }
                case .valid: try loading(["accuracy:\(key)"]) { try loadValidAccuracies(dataset) }
                }
            }
            served("accuracy:\(key)")
            return accuracies[key]!
        }
    }

    func loadTestAccuracies() throws {
        if cachedIndex != nil { return }
        let (path, bytes) = try directory.read(DataFile.nb201TestAccuracy)
        let csv = try CSVTable(text: String(decoding: bytes, as: UTF8.self), source: path)
        let archColumn = try csv.column("ArchitectureString")
        let index = try NB201Index(archStrings: csv.rows.map { $0[archColumn] }, source: path)
        let columns: [(Dataset, String)] = [
            (.cifar10, "CIFAR10TestAccuracy200Epochs"), (.cifar100, "CIFAR100TestAccuracy200Epochs"),
            (.imagenet16, "ImageNetTestAccuracy200Epochs"),
        ]
        for (dataset, name) in columns {
            let c = try csv.column(name)
            var values = [Double](repeating: .nan, count: NB201Arch.count)
            for i in 0..<csv.rows.count {
                values[index.codes[i]] = try csv.number(i, c, allowed: 0...100, what: "accuracy (%)")
            }
            accuracies["\(dataset.rawValue)-test"] = MetricTable(
                name: "\(dataset.rawValue) test accuracy", values: values)
        }
        cachedIndex = index
    }

    /// The file an accuracy table comes from.
    public static func accuracyFile(_ dataset: Dataset, _ split: Split) throws -> DataFile {
        split == .test ? DataFile.nb201TestAccuracy : try validFile(dataset)
    }

    static func validFile(_ dataset: Dataset) throws -> DataFile {
        switch dataset {
        case .cifar10: return DataFile("nb201/cifar10_valid_acc.csv", origin: DataFile.zcOrigin)
        case .imagenet16: return DataFile("nb201/imagenet16-120_valid_acc.csv", origin: DataFile.zcOrigin)
        case .cifar100:
            throw NASLibError(
                "no validation accuracies for cifar100 in the data (cifar10 and imagenet16-120 have them)")
        }
    }

    static func proxyFile(_ dataset: Dataset) throws -> DataFile {
        switch dataset {
        case .cifar10: return DataFile("nb201/cifar10_zc_proxies.csv", origin: DataFile.zcOrigin)
        case .imagenet16: return DataFile("nb201/imagenet16-120_zc_proxies.csv", origin: DataFile.zcOrigin)
        case .cifar100:
            throw NASLibError("no zero-cost proxies for cifar100 in the data (cifar10 and imagenet16-120 have them)")
        }
    }

    /// Rows keyed by arch string (`net_str`) or, without one, by NASLib tuple (`net`):
    /// the value of `column` per arch code.
    /// Every arch may appear once; the files brpsh ships list exactly `expectedRows` archs.
    func keyedColumn(
        _ csv: CSVTable, _ column: String, allowed: ClosedRange<Double>? = nil, what: String = "value",
        expectedRows: Int = Benchmark.noDanglingCount
    ) throws -> [Double] {
        guard csv.rows.count == expectedRows else {
            throw NASLibError(
                "\(csv.source): \(csv.rows.count) rows, expected \(expectedRows) (one per NB201 model without a dangling operation; truncated or edited file?)"
            )
        }
        let byString = csv.header.contains("net_str")
        let key = try csv.column(byString ? "net_str" : "net")
        let c = try csv.column(column)
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        var rowOf = [Int](repeating: -1, count: NB201Arch.count)
        for i in 0..<csv.rows.count {
            let arch: NB201Arch
            do {
                let text = csv.rows[i][key]
                arch = byString ? try NB201Arch(string: text) : try NB201Arch(naslib: Benchmark.tuple(text))
            } catch let e as NASLibError {
                throw NASLibError("\(csv.source):\(i + 2): \(e.message)")
            }
            guard rowOf[arch.code] < 0 else {
                throw NASLibError(
                    "\(csv.source):\(i + 2): \(arch.string) appears twice (also on line \(rowOf[arch.code] + 2))")
            }
            rowOf[arch.code] = i
            values[arch.code] = try csv.number(i, c, allowed: allowed, what: what)
        }
        return values
    }

    /// NB201 models whose every operation reaches the output (the validation and proxy files list these).
    public static let noDanglingCount = 9445

    /// `"(4, 0, 3, 1, 4, 3)"` → [4, 0, 3, 1, 4, 3].
    static func tuple(_ text: String) -> [Int] {
        text.filter { "0123456789,".contains($0) }.split(separator: ",").compactMap { Int($0) }
    }

    func loadValidAccuracies(_ dataset: Dataset) throws {
        let (path, bytes) = try directory.read(try Benchmark.validFile(dataset))
        let csv = try CSVTable(text: String(decoding: bytes, as: UTF8.self), source: path)
        let values = try keyedColumn(csv, "val_accs", allowed: 0...100, what: "accuracy (%)")
        accuracies["\(dataset.rawValue)-valid"] = MetricTable(
            name: "\(dataset.rawValue) validation accuracy", values: values)
    }

    /// FLOPs, params and zero-cost proxy columns of `nb201/<dataset>_zc_proxies.csv`.
    public func proxies(_ dataset: Dataset) throws -> [String: MetricTable] {
        try locked {
            let key = "proxies:\(dataset.rawValue)"
            if proxyTables[dataset.rawValue] == nil {
                try loading([key]) {
                    let (path, bytes) = try directory.read(try Benchmark.proxyFile(dataset))
                    let csv = try CSVTable(text: String(decoding: bytes, as: UTF8.self), source: path)
                    var out: [String: MetricTable] = [:]
                    for name in csv.header where name != "net" && name != "net_str" {
                        out[name] = MetricTable(name: name, values: try keyedColumn(csv, name))
                    }
                    proxyTables[dataset.rawValue] = out
                }
            }
            served(key)
            return proxyTables[dataset.rawValue]!
        }
    }
}
