import Foundation
import PackagePlugin

/// Generates `BuildIdentity.swift` for the target it is applied to: the SHA-256 of every Swift and C source under
/// Sources/ (`.swift`, `.c`, `.h`: the C targets compute results too, the exact GEMM among them), recomputed whenever
/// one changes. brpsh's provenance and sweeps name the binary by it
/// (with the version) instead of asking git at run time.
@main
struct BuildIdentityPlugin: BuildToolPlugin {
    static let suffixes = [".swift", ".c", ".h"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let tool = try context.tool(named: "brpsh-identity")
        let root = context.package.directoryURL.appending(path: "Sources")
        var sources: [URL] = []
        if let walker = FileManager.default.enumerator(atPath: root.path) {
            while let f = walker.nextObject() as? String {
                if Self.suffixes.contains(where: { f.hasSuffix($0) }) { sources.append(root.appending(path: f)) }
            }
        }
        sources.sort { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildIdentity.swift")
        return [
            .buildCommand(
                displayName: "brpsh source identity (\(sources.count) files)", executable: tool.url,
                arguments: [output.path, root.path] + sources.map(\.path), inputFiles: sources, outputFiles: [output])
        ]
    }
}
