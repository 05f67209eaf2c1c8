import Builtins
import Foundation
import Interpreter
import Lang

/// The `brpsh` command line: parses arguments and runs the REPL or a script.
public struct CLI {
    public static let version = Provenance.version

    public static let usage = """
        usage: brpsh [options] [script.brp | -c code | -]
               brpsh run script.brp --out DIR [options]
               brpsh check script.brp expected.json [--rtol R] [--atol A] [options]
          (no script)          interactive REPL on a terminal; reads lines from a pipe otherwise
          script.brp           run a script (also as a #!/usr/bin/env brpsh file)
          -c code              run code given on the command line
          -                    run a script read from standard input
          run                  run a script (the same as without 'run')
          check                rerun a script and compare its results with a results.json of an
                               earlier --out run; exit 0 when they agree within the tolerances
        options:
          --out DIR            write DIR/provenance.json, transcript.txt, results.json and the
                               script's saved files (relative save() paths go into DIR)
          --notebook FILE      also write the run as a Jupyter notebook (nbformat 4)
          --no-cache           recompute trained predictors and searches (no produce-or-load)
          --set name=value     override the script's top-level assignment 'name = ...' (repeatable)
          --seed N             the default seed for builtins called without seed:
          --quiet              no progress lines
          --rtol R, --atol A   check's tolerance: |got − want| ≤ A + R·|want| (default R 1e-6, A 1e-9)
          --version            print the version
          --help               print this help
          --builtins-markdown  print docs/builtins.md (generated from the builtin table)
        exit status: 0 ok, 64 usage, 65 syntax or static-check error, 66 missing input file, 70 runtime error

        """

    public enum Mode: Equatable {
        case repl
        case file(String)
        case code(String)
        case stdin
        case version
        case help
        case builtinsMarkdown
        case check(String, String)
    }

    public struct Options {
        public var mode: Mode = .repl
        public var overrides: [ScriptRunner.Override] = []
        public var seed: Int? = nil
        public var quiet = false
        public var outDir: String? = nil
        public var notebook: String? = nil
        public var useCache = true
        public var rtol = 1e-6
        public var atol = 1e-9
        /// Print nothing of the script's output (check's rerun).
        public var silent = false
    }

    public struct UsageError: Error {
        public let message: String
    }

    public static func parse(_ args: [String]) throws -> Options {
        var o = Options()
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < args.count else { throw UsageError(message: "\(flag) needs a value") }
            return args[i]
        }
        func setMode(_ m: Mode) throws {
            guard o.mode == .repl else { throw UsageError(message: "only one script, -c or - may be given") }
            o.mode = m
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "--help", "-h": o.mode = .help
            case "--version": o.mode = .version
            case "--builtins-markdown": o.mode = .builtinsMarkdown
            case "--quiet", "-q": o.quiet = true
            case "--no-cache": o.useCache = false
            case "--out": o.outDir = try value(a)
            case "--notebook": o.notebook = try value(a)
            case "--rtol", "--atol":
                let v = try value(a)
                guard let d = Double(v), d >= 0 else { throw UsageError(message: "\(a) needs a non-negative number, got '\(v)'") }
                if a == "--rtol" { o.rtol = d } else { o.atol = d }
            case "run" where i == 0:
                break
            case "check" where i == 0:
                guard i + 2 < args.count else { throw UsageError(message: "check needs a script and an expected results.json") }
                try setMode(.check(args[i + 1], args[i + 2]))
                i += 2
            case "-c": try setMode(.code(try value(a)))
            case "-": try setMode(.stdin)
            case "--seed":
                let v = try value(a)
                guard let n = Int(v) else { throw UsageError(message: "--seed needs an integer, got '\(v)'") }
                o.seed = n
            case "--set":
                o.overrides.append(try override(try value(a)))
            default:
                if a.hasPrefix("--set=") {
                    o.overrides.append(try override(String(a.dropFirst(6))))
                } else if a.hasPrefix("-") {
                    throw UsageError(message: "unknown option '\(a)'")
                } else {
                    try setMode(.file(a))
                }
            }
            i += 1
        }
        if !o.overrides.isEmpty, case .repl = o.mode {
            throw UsageError(message: "--set needs a script to apply to")
        }
        return o
    }

    static func override(_ text: String) throws -> ScriptRunner.Override {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw UsageError(message: "--set needs name=value, got '\(text)'")
        }
        let name = String(text[..<eq])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !(name.first?.isNumber ?? true) else {
            throw UsageError(message: "--set: '\(name)' is not a name")
        }
        return ScriptRunner.Override(name: name, text: String(text[text.index(after: eq)...]))
    }
}
