import Foundation
import PackagePlugin

/// Generates `BuildIdentity.swift` for the target it is applied to: the SHA-256 of every Swift source of the package's
/// own targets (under Sources/), recomputed whenever one changes. brpsh's provenance and sweeps name the binary by it
/// (with the version) instead of asking git at run time.
@main
struct BuildIdentityPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let tool = try context.tool(named: "brpsh-identity")
        let root = context.package.directoryURL.appending(path: "Sources")
        let sources = context.package.targets.compactMap { $0 as? SourceModuleTarget }
            .filter { $0.directoryURL.path.hasPrefix(root.path + "/") }
            .flatMap { $0.sourceFiles(withSuffix: "swift").map(\.url) }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildIdentity.swift")
        return [
            .buildCommand(
                displayName: "brpsh source identity (\(sources.count) files)", executable: tool.url,
                arguments: [output.path, root.path] + sources.map(\.path), inputFiles: sources, outputFiles: [output])
        ]
    }
}
