import Foundation

/// What a data directory holds: every file of its checksum list (or of another list, such as the shipped one)
/// and every data file beside them, with size, verification status and what brpsh reads from it.
public struct DataInventory: Sendable {
    public struct Entry: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case verified
            /// The SHA-256 differs from the list's.
            case mismatch(expected: String, actual: String)
            /// Listed but not there (or not readable).
            case missing
            /// There but not listed.
            case unlisted(sha256: String)
        }

        public let relative: String
        public let size: Int?
        public let status: Status
        /// What brpsh reads from the file (devices, accuracies, ...).
        public let provides: String
    }

    public let root: String
    /// The list the files were checked against (nil: none was available).
    public let manifest: DataManifest?
    public let entries: [Entry]

    public var failures: [Entry] {
        entries.filter {
            switch $0.status {
            case .mismatch, .missing: return true
            case .verified, .unlisted: return false
            }
        }
    }

    /// Hashes every listed file and every data file (`.pickle`, `.csv`, `.pt`) under `root`.
    public init(root: String, manifest: DataManifest?) {
        self.root = root
        self.manifest = manifest
        var entries: [Entry] = []
        let listed = manifest?.paths ?? []
        for relative in listed {
            let full = (root as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: full) else {
                entries.append(
                    Entry(relative: relative, size: nil, status: .missing, provides: DataInventory.provides(relative)))
                continue
            }
            let actual = SHA256.hex([UInt8](data))
            let expected = manifest!.entries[relative]!
            let status: Entry.Status = actual == expected ? .verified : .mismatch(expected: expected, actual: actual)
            entries.append(
                Entry(relative: relative, size: data.count, status: status, provides: DataInventory.provides(relative)))
        }
        let known = Set(listed)
        for relative in DataInventory.dataFiles(under: root) where !known.contains(relative) {
            let full = (root as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: full) else { continue }
            entries.append(
                Entry(
                    relative: relative, size: data.count, status: .unlisted(sha256: SHA256.hex([UInt8](data))),
                    provides: DataInventory.provides(relative)))
        }
        self.entries = entries
    }

    /// Data files under a directory, relative paths, sorted.
    public static func dataFiles(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let next = walker.nextObject() as? String {
            if [".pickle", ".csv", ".pt"].contains(where: { next.hasSuffix($0) }) { out.append(next) }
        }
        return out.sorted()
    }

    /// `hwnas-{a,b}-cifar10` for names that share a prefix and a suffix.
    static func braced(_ names: [String]) -> String {
        guard var prefix = names.first, var suffix = names.first else { return "" }
        for n in names {
            while !n.hasPrefix(prefix) { prefix.removeLast() }
            while !n.hasSuffix(suffix) { suffix.removeFirst() }
        }
        let middles = names.map { String($0.dropFirst(prefix.count).dropLast(suffix.count)) }
        guard middles.allSatisfy({ !$0.isEmpty }), prefix.count + suffix.count < names.map(\.count).min()! else {
            return names.joined(separator: ", ")
        }
        return prefix + "{" + middles.joined(separator: ",") + "}" + suffix
    }

    /// What brpsh reads from a file, from the device catalogue and the accuracy files it knows.
    public static func provides(_ relative: String) -> String {
        let devices = DeviceCatalog.all.filter { $0.file.path == relative }
        if !devices.isEmpty {
            let names = devices.map { d in
                d.source == .latbench ? d.aliases.first.map { "\($0) (\(d.name))" } ?? d.name : d.name
            }
            if devices.count <= 2 { return "device " + names.joined(separator: ", ") }
            return "\(devices.count) devices: " + DataInventory.braced(devices.map(\.name))
        }
        switch relative {
        case DataFile.nb201TestAccuracy.path:
            return "NB201 index order; test accuracy (cifar10, cifar100, imagenet16)"
        case "nb201/cifar10_valid_acc.csv": return "validation accuracy (cifar10)"
        case "nb201/imagenet16-120_valid_acc.csv": return "validation accuracy (imagenet16)"
        case "nb201/cifar10_zc_proxies.csv": return "FLOPs, params, zero-cost proxies (cifar10)"
        case "nb201/imagenet16-120_zc_proxies.csv": return "FLOPs, params, zero-cost proxies (imagenet16)"
        case "help-latency/str_arch2idx.pt":
            return "HELP arch string → position in its latency lists (joins them to archs)"
        case "help-latency/hardware_embedding_index.pt": return "HELP hardware embedding index (not read)"
        default: return "(not read by brpsh)"
        }
    }
}
