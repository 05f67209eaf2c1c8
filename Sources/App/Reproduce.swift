import ArgumentParser
import Foundation
import Infra
import NASLib
import REPL
import RunRecord

/// `brpsh reproduce`: the tables of the documentation that come from recorded runs (docs/artifacts.md, "Recorded
/// tables"). A recording is `reproductions/NAME/` with `results.json` (the run's saved CSV outputs, or a merged
/// sweep's groups) and a compact `provenance.json`; a table in a page is a block between
/// `<!-- recorded NAME OUTPUT ... -->` and `<!-- end recorded -->`, rendered from the recording, so the page
/// cannot drift from it: `check` fails when a block differs from what the recording renders.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Record runs, and render or check the documentation's recorded tables.",
        subcommands: [Record.self, Check.self, Write.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Copy a bundle (--out DIR) or a merged sweep into reproductions/NAME: its CSV outputs and a compact provenance."
        )
        @Argument(
            help: ArgumentHelp(
                "A bundle directory (results.json, provenance.json) or a sweep directory (merged/).", valueName: "DIR"))
        var source: String
        @Argument(help: ArgumentHelp("The recording's name: reproductions/NAME.", valueName: "NAME"))
        var name: String
        @Option(help: "The repository root (default: the current directory).")
        var root = "."

        func run() throws {
            do {
                try RecordedTables.record(source: source, name: name, root: root)
            } catch {
                Reporter.error("\(error)", command: "reproduce record")
                throw ExitCode(1)
            }
        }
    }

    /// The pages a check or write covers, and the repository they belong to.
    struct Pages: ParsableArguments {
        @Argument(help: ArgumentHelp("Pages (default: every docs/*.md).", valueName: "PAGE"))
        var pages: [String] = []
        @Option(help: "The repository root (default: the current directory).")
        var root = "."

        /// Checks (or writes) the pages; every problem is reported, then exit 1 if there was one.
        func process(write: Bool) throws {
            let problems = RecordedTables.process(pages: pages, root: root, write: write)
            for p in problems { Reporter.error(p, command: "reproduce \(write ? "write" : "check")") }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exit 1 when a recorded table in the pages differs from what its recording renders.")
        @OptionGroup var pages: Pages

        func run() throws { try pages.process(write: false) }
    }

    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render every recorded table in the pages from its recording.")
        @OptionGroup var pages: Pages

        func run() throws { try pages.process(write: true) }
    }
}
