import ArgumentParser
import Builtins
import Foundation
import Interpreter
import REPL

/// `brpsh`: the command line. `brpsh [run] FILE`, `-c CODE`, `-` and no argument (the REPL) are the default
/// subcommand; `check` and `data` are the others. Generated help and shell completion come from
/// swift-argument-parser (`brpsh --generate-completion-script bash|zsh|fish`).
public struct BrpshCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "brpsh",
        abstract: "A scriptable REPL and small language for hardware-aware NAS research (BRP-NAS).",
        discussion: """
            With no script brpsh is an interactive REPL on a terminal and reads lines from a pipe otherwise.

            Running a script (brpsh [run] FILE, -c CODE, or - for standard input):
              --set name=value   override the script's top-level assignment 'name = ...' (repeatable)
              --seed N           the default seed of builtins called without seed:
              --out DIR          write a bundle: provenance.json, transcript.txt, results.json, the saved files
              --no-cache         recompute trained predictors and searches
              -q, --quiet        no progress lines
            'brpsh help run' lists every option. Examples:
              brpsh scripts/brp_nas.brp --set runs=10 --out results
              brpsh -c 'p = gcn(device: "m-gpu", n: 100); p.test'

            Environment: BRPSH_DATA (the data folder), BRPSH_CACHE (the result cache), BRPSH_THREADS=N (threads; \
            results do not change), BRPSH_GEMM=openblas (OpenBLAS's GEMMs instead of brpsh's exact ones, whose \
            results are the same on every x86-64 machine).

            Exit status: 0 ok, 1 check or verify found differences, 64 usage, 65 syntax or static-check error, \
            66 missing input file, 70 runtime error, 73 an output file cannot be written.
            """,
        version: "brpsh \(Provenance.version)",
        subcommands: [
            RunCommand.self, CheckCommand.self, DataCommand.self, KernelCommand.self, SweepCommand.self,
            MergeCommand.self,
            ReproduceCommand.self,
        ],
        defaultSubcommand: RunCommand.self)

    public init() {}
}

/// The options every way of running code shares.
struct RunOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Write DIR/provenance.json, transcript.txt, results.json and the script's saved files.",
            valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("Also write the run as a Jupyter notebook (nbformat 4).", valueName: "FILE"))
    var notebook: String?

    @Flag(name: .customLong("no-cache"), help: "Recompute trained predictors and searches (no produce-or-load).")
    var noCache = false

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override the script's top-level assignment 'name = ...' (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: "The default seed for builtins called without seed:.")
    var seed: Int?

    @Flag(name: [.customShort("q"), .long], help: "No progress lines.")
    var quiet = false

    func parsedOverrides() throws -> [Override] { try overrides.map(RunOptions.override) }

    static func override(_ text: String) throws -> Override {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("--set needs name=value, got '\(text)'")
        }
        let name = String(text[..<eq])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !(name.first?.isNumber ?? true) else {
            throw ValidationError("--set: '\(name)' is not a name")
        }
        return Override(name: name, text: String(text[text.index(after: eq)...]))
    }

    var settings: App.Settings {
        get throws {
            App.Settings(
                outDir: out, notebook: notebook, useCache: !noCache, overrides: try parsedOverrides(),
                seed: seed, quiet: quiet)
        }
    }
}

/// `brpsh [run] [FILE | -c CODE | -]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script (also as a #!/usr/bin/env brpsh file), code from -c, standard input (-), or the REPL.")

    @Argument(
        help: ArgumentHelp("The script; '-' reads it from standard input.", valueName: "script.brp"),
        completion: .file(extensions: ["brp"]))
    var script: String?

    @Option(
        name: .customShort("c"), parsing: .unconditional,
        help: ArgumentHelp("Run code given on the command line.", valueName: "code"))
    var code: String?

    @Flag(name: .customLong("builtins-markdown"), help: "Print docs/builtins.md (generated from the builtin table).")
    var builtinsMarkdown = false

    @OptionGroup var options: RunOptions

    func validate() throws {
        if script != nil && code != nil { throw ValidationError("only one script, -c or - may be given") }
        if !options.overrides.isEmpty && script == nil && code == nil {
            throw ValidationError("--set needs a script to apply to")
        }
    }

    func run() throws {
        if builtinsMarkdown {
            print(Help.markdown(Builtins.all()), terminator: "")
            return
        }
        let mode: App.Mode
        switch (script, code) {
        case (_, let c?): mode = .code(c)
        case ("-"?, nil): mode = .stdin
        case (let s?, nil): mode = .file(s)
        case (nil, nil): mode = .repl
        }
        let settings = try options.settings
        try App.finish(App.start { App.run(mode, settings) })
    }
}

/// `brpsh check script.brp expected.json`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Rerun a script and compare its results with those of an earlier --out run.",
        discussion: """
            brpsh check DIR reruns the script a bundle's provenance.json names; brpsh check script.brp DIR (or \
            DIR/results.json) reruns the given one. The rerun uses the --set overrides and the seed the recording was \
            made with (your own --set and --seed win). It compares every displayed value, every saved JSON and CSV \
            file and the transcript; numbers agree within |got − want| ≤ atol + rtol·|want|. Exit 0 when everything \
            agrees, 1 when something differs or nothing could be compared.
            """)

    @Argument(
        help: ArgumentHelp("The script to rerun, or a bundle directory.", valueName: "script.brp | DIR"),
        completion: .file(extensions: ["brp"]))
    var script: String

    @Argument(
        help: ArgumentHelp(
            "The bundle directory, or the results.json of an earlier run.", valueName: "DIR | results.json"),
        completion: .file(extensions: ["json"]))
    var expected: String?

    @Flag(
        help:
            "Use the result cache for the rerun (by default check recomputes everything: a check that reads the author's cache proves nothing)."
    )
    var cache = false

    @Option(help: "Relative tolerance.") var rtol = 1e-6
    @Option(help: "Absolute tolerance.") var atol = 1e-9
    @Option(
        name: .customLong("within-std"),
        help: ArgumentHelp(
            "Statistics over seeds (records with mean and std) agree when the rerun's mean is within K recorded standard deviations (for a rerun on another machine: docs/artifacts.md).",
            valueName: "K"))
    var withinStd: Double?

    @OptionGroup var options: RunOptions

    func validate() throws {
        guard rtol >= 0, rtol.isFinite else {
            throw ValidationError("--rtol needs a non-negative number, got '\(rtol)'")
        }
        guard atol >= 0, atol.isFinite else {
            throw ValidationError("--atol needs a non-negative number, got '\(atol)'")
        }
        if let k = withinStd, !(k >= 0 && k.isFinite) {
            throw ValidationError("--within-std needs a non-negative number, got '\(k)'")
        }
    }

    func run() throws {
        var settings = try options.settings
        settings.useCache = cache && !options.noCache
        try App.finish(
            App.start { App.check(script, expected, settings, rtol: rtol, atol: atol, withinStd: withinStd) })
    }
}
