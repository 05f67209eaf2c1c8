import ArgumentParser
import Builtins
import Foundation
import NASLib

/// `brpsh data` and `brpsh data verify`: which data directory is in use and why, and whether every file is the
/// published original.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract:
            "Show the benchmark data in use: directory, files, sizes, SHA-256 status and the devices each provides.",
        subcommands: [Show.self, Verify.self],
        defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "List the data directory's files (the default).")

        func run() throws {
            let (directory, inventory) = try DataCommand.inspect()
            print(DataCommand.report(directory, inventory, all: true), terminator: "")
            print(DataCommand.userTables(), terminator: "")
            if !inventory.failures.isEmpty { throw ArgumentParser.ExitCode(1) }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every data file's SHA-256; exit 1, naming each file, when one is modified or missing.")

        func run() throws {
            let (directory, inventory) = try DataCommand.inspect()
            print(DataCommand.report(directory, inventory, all: false), terminator: "")
            if !inventory.failures.isEmpty || inventory.manifest == nil { throw ArgumentParser.ExitCode(1) }
        }
    }

    /// The directory in use and its inventory. A directory without a checksum list (a user's BRPSH_DATA) is
    /// checked against the shipped list, so `verify` says whether its files are the published originals.
    static func inspect() throws -> (DataDirectory, DataInventory) {
        let directory: DataDirectory
        do {
            directory = try DataSetup.resolve(environment: App.environment)
        } catch {
            throw ValidationError("\(error)")
        }
        return (directory, DataInventory(root: directory.root, manifest: directory.manifest ?? directory.reference))
    }

    /// The user's measured tables: the journals of `measure` under ./measurements (docs/measure.md).
    static func userTables(root: String = "measurements") -> String {
        let found = MeasurementJournals.summaries(in: root)
        guard !found.isEmpty else { return "\nuser tables: none in ./\(root) (measure(...) writes them there)\n" }
        let rows = found.map { s in
            [s.path, "\(s.measured)" + (s.failed > 0 ? " (+\(s.failed) failed)" : ""), s.device]
        }
        return "\nuser tables (measure; latency_table(file) reads saved ones):\n"
            + table(["journal", "models", "measured on"], rows)
    }

    static func report(_ directory: DataDirectory, _ inventory: DataInventory, all: Bool) -> String {
        var out = "data: \(directory.root)\n  in use because: \(directory.reason)\n"
        if let m = inventory.manifest {
            out += "  checked against: \(m.source) (\(m.paths.count) files)\n"
        } else {
            out += "  checked against: nothing (no \(DataManifest.fileName) here and no built-in data found)\n"
        }
        let shown =
            all
            ? inventory.entries
            : inventory.entries.filter { entry in
                if case .verified = entry.status { return false }
                return true
            }
        if !shown.isEmpty {
            let rows = shown.map { e -> [String] in
                [e.relative, e.size.map(Self.size) ?? "-", Self.status(e.status), e.provides]
            }
            out += "\n" + Self.table(["file", "size", "sha256", "provides"], rows)
        }
        let verified = inventory.entries.filter { $0.status == .verified }.count
        let bytes = inventory.entries.compactMap(\.size).reduce(0, +)
        out += "\n\(inventory.entries.count) files, \(Self.size(bytes)): \(verified) verified"
        let failures = inventory.failures
        if !failures.isEmpty {
            out += ", \(failures.count) FAILED: " + failures.map(\.relative).joined(separator: ", ")
        }
        let unlisted = inventory.entries.count - verified - failures.count
        if unlisted > 0 { out += ", \(unlisted) not in the checksum list (unverified)" }
        return out + "\n"
    }

    static func status(_ s: DataInventory.Entry.Status) -> String {
        switch s {
        case .verified: return "ok"
        case .mismatch(_, let actual): return "MODIFIED (is \(actual.prefix(12))…)"
        case .missing: return "MISSING"
        case .unlisted: return "unverified"
        }
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1_000_000
            ? String(format: "%.1f MB", Double(bytes) / 1e6) : String(format: "%.1f kB", Double(bytes) / 1e3)
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(
            separator: "\n") + "\n"
    }
}
