import Foundation

/// Where the benchmark data is: `BRPSH_DATA` when the user names a directory, else the data brpsh ships.
///
/// The shipped data is the repository's `data/` folder. A built brpsh finds it from its executable, so it works
/// from any working directory with no variable set:
/// 1. `<bin>/../share/brpsh/data` — an installed brpsh (`make install` copies the folder there);
/// 2. `<dir>/data` for the nearest ancestor `<dir>` of the executable that holds `Package.swift` and
///    `data/sha256sums.txt` — `swift run`, `swift test` and `.build/release/brpsh` inside a clone;
/// 3. the `data/` folder of the source tree brpsh was compiled from (a build copied elsewhere).
/// A candidate counts only if it has the checksum list. NASLib reads no environment itself: callers pass it.
public enum DataLocation {
    public static let variable = "BRPSH_DATA"

    /// The data directory to use, with the reason it was chosen.
    public static func resolve(environment: [String: String], executable: String? = currentExecutable()) throws
        -> DataDirectory
    {
        if let root = environment[variable], !root.isEmpty {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
                throw NASLibError(
                    """
                    \(variable)=\(root) is not a directory (it should hold latbench/, nb201/, hw-nas-bench/, \
                    help-latency/); unset \(variable) to use the data brpsh ships
                    """)
            }
            return try DataDirectory(root: root, reason: "\(variable)=\(root)")
        }
        guard let root = builtIn(executable: executable) else {
            let tried = candidates(executable: executable).map { "  " + $0 }.joined(separator: "\n")
            throw NASLibError(
                """
                brpsh's built-in data was not found (looked for \(DataManifest.fileName) in:
                \(tried)
                ); reinstall brpsh with its data/ folder, or set \(variable) to a data directory
                """)
        }
        return try DataDirectory(root: root, reason: "built-in data (\(root))")
    }

    /// The shipped data directory, if one of the candidates has a checksum list.
    public static func builtIn(executable: String? = currentExecutable()) -> String? {
        candidates(executable: executable).first {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(DataManifest.fileName))
        }
    }

    /// The places searched for the shipped data, in order.
    static func candidates(executable: String?) -> [String] {
        var out: [String] = []
        if let exe = executable {
            var dir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
                .standardizedFileURL
            out.append(dir.deletingLastPathComponent().appendingPathComponent("share/brpsh/data").path)
            while dir.path != "/" {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                    out.append(dir.appendingPathComponent("data").path)
                    break
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        out.append(sourceTreeData)
        return out
    }

    /// `<repository>/data`, from this file's path at build time (Sources/NASLib/Data/DataLocation.swift).
    static let sourceTreeData: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data").path

    /// The running executable's path (Linux: /proc/self/exe).
    public static func currentExecutable() -> String? {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }
}
