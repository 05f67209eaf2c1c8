import Foundation

/// This machine as the OS reports it: what provenance, benchmarks and measurements name.
public struct Machine: Sendable, Equatable {
    public let hostname: String
    public let os: String
    public let arch: String
    /// The CPU model string of /proc/cpuinfo.
    public let cpu: String
    public let cores: Int
    public let memoryGiB: Double

    public static var current: Machine {
        var u = utsname()
        uname(&u)
        func field<T>(_ v: T) -> String {
            withUnsafeBytes(of: v) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return Machine(
            hostname: ProcessInfo.processInfo.hostName, os: "\(field(u.sysname)) \(field(u.release))",
            arch: field(u.machine), cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10)
    }
}
