import ArgumentParser
import Builtins
import Foundation
import Infra
import Interpreter
import Lang
import NASLib
import REPL
import RunRecord
import Sweep

/// The front end: runs brpsh code the way the command line asked, through the one `Pipeline`.
public enum App {
    /// What to run.
    enum Mode: Equatable {
        case repl
        case file(String)
        case code(String)
        case stdin
    }

    /// How to run it (from the command line's options).
    struct Settings {
        var outDir: String?
        var notebook: String?
        var useCache = true
        var overrides: [Override] = []
        var seed: Int?
        var quiet = false
        /// Print nothing of the script's output (check's rerun).
        var silent = false
    }

    /// Installs the Ctrl-C handler and runs `body` on a thread with a large stack (deep user recursion stays an
    /// error, not a crash).
    static func start(_ body: @escaping () -> ExitStatus) -> ExitStatus {
        MemoryPolicy.keepFreedMemory()
        configureThreads(environment)
        do { try configureGEMM(environment) } catch {
            Reporter.error("\(error)")
            return .usage
        }
        Terminal.installInterruptHandler()
        return Terminal.withLargeStack(routeInterrupts: true, body)
    }

    /// `BRPSH_THREADS=N` limits the threads NASLib's parallel parts use (1: serial; results are the same).
    static func configureThreads(_ environment: [String: String]) {
        if let t = environment["BRPSH_THREADS"], let n = Int(t), n >= 0 { Parallel.configure(threads: n) }
    }

    /// `BRPSH_GEMM=openblas` trains and predicts with OpenBLAS's kernel for this CPU; `exact` (the default) with brpsh's
    /// exact GEMM (the same numbers on every x86-64 machine). Anything else is a usage error.
    static func configureGEMM(_ environment: [String: String]) throws(CommandFailure) {
        do {
            if let kernel = try BLAS.GEMMKernel.requested(in: environment) { BLAS.configure(kernel: kernel) }
        } catch {
            throw CommandFailure(error.message)
        }
    }

    /// Ends the command with the status (swift-argument-parser exits with it).
    static func finish(_ status: ExitStatus) throws {
        if status != .ok { throw ArgumentParser.ExitCode(status.rawValue) }
    }

    /// The process environment, read once here and passed down to every session.
    static let environment = ProcessInfo.processInfo.environment

    /// A session's settings from the command line's; `repl`: the cache is turned off with `:cache off`.
    static func sessionSettings(_ settings: Settings, repl: Bool) -> SessionSettings {
        var s = SessionSettings(environment: environment)
        s.seed = settings.seed ?? 1
        s.outDir = settings.outDir
        s.useCache = settings.useCache
        s.quiet = settings.quiet
        s.overrides = settings.overrides.map { ($0.name, $0.text) }
        if repl { s.recomputeHint = ":cache off recomputes" }
        return s
    }

    static func makeInterpreter(_ settings: Settings, interactive: Bool, repl: Bool = false) -> Interpreter {
        let out: OutputSink =
            settings.silent ? StringSink() : StandardOutput(interactive: interactive && !settings.quiet)
        return Builtins.makeInterpreter(output: out, settings: sessionSettings(settings, repl: repl))
    }

    static func run(_ mode: Mode, _ settings: Settings) -> ExitStatus {
        switch mode {
        case .file(let path):
            guard let text = readScript(path) else { return .noInput }
            return runScript(SourceFile(name: path, text: text), settings)
        case .code(let code):
            return runScript(SourceFile(name: "-c", text: code), settings)
        case .stdin:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return runScript(SourceFile(name: "<stdin>", text: String(decoding: data, as: UTF8.self)), settings)
        case .repl:
            return Terminal.stdinIsTerminal ? interactive(settings) : piped(settings)
        }
    }

    static func readScript(_ path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            Reporter.error("cannot open '\(path)': no such file")
            return nil
        }
        guard !isDir.boolValue else {
            Reporter.error("cannot run '\(path)': it is a directory")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Reporter.error("cannot read '\(path)' (permission denied or unreadable)")
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func runScript(_ file: SourceFile, _ settings: Settings) -> ExitStatus {
        let start = Date()
        Terminal.installTerminationHandler()
        let interpreter = makeInterpreter(settings, interactive: Terminal.stdoutIsTerminal)
        if let problem = OutputBundle.problem(script: file.name, settings) {
            Reporter.error("\(problem)")
            return .usage
        }
        var lock: RunBundle.Lock?
        if let dir = settings.outDir {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                lock = try RunBundle.Lock(dir)
            } catch let e as RunRecordError {
                Reporter.error(e.description)
                return .cannotCreate
            } catch {
                Reporter.error("cannot create the output directory '\(dir)': \(error.localizedDescription)")
                return .cannotCreate
            }
        }
        defer { withExtendedLifetime(lock) {} }
        // Everything the run prints goes to the transcript too; each cell's output to the notebook.
        var cell = 1
        var commentsFrom = 0
        let transcript = RunBundle.Transcript(interpreter.output)
        let recorder = RecordingSink(transcript) { cell }
        interpreter.output = recorder
        let notebook = Notebook()
        let failure = Pipeline(interpreter: interpreter).run(
            file, overrides: settings.overrides,
            display: { value, _ in
                recorder.display(value, text: Format.display(value, terminal: recorder.isInteractive))
            },
            afterStatement: { stmt, failure in
                if let f = failure { recorder.error("error", f.description) }
                // The comment lines just above the statement go into its cell (a notebook keeps the script's notes).
                let gap = SourceRange(file: file, start: min(commentsFrom, stmt.range.start), end: stmt.range.start)
                    .text
                // (The gap's first line is the rest of the previous statement's line: a trailing comment stays there.)
                let comments = gap.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(
                    commentsFrom > 0 ? 1 : 0
                )
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("#") && !$0.hasPrefix("#!") }
                // A trailing comment starts at the first non-blank byte after the statement; only then is the rest of
                // the line read (scanning every statement's rest of line made a long one-line script quadratic).
                var next = stmt.range.end
                while next < file.bytes.count,
                    file.bytes[next] == UInt8(ascii: " ") || file.bytes[next] == UInt8(ascii: "\t")
                { next += 1 }
                var trailing = ""
                if next < file.bytes.count, file.bytes[next] == UInt8(ascii: "#") {
                    let line = file.line(of: next)
                    let lineEnd = line < file.lineStarts.count ? file.lineStarts[line] - 1 : file.bytes.count
                    trailing = SourceRange(file: file, start: next, end: lineEnd).text.trimmingCharacters(
                        in: .whitespaces)
                }
                let source = (comments + [stmt.range.text + (trailing.hasPrefix("#") ? "  " + trailing : "")]).joined(
                    separator: "\n")
                notebook.add(Notebook.Cell(source: source, outputs: recorder.take(), count: cell))
                commentsFrom = stmt.range.end
                cell += 1
            })
        if let f = failure {
            transcript.log(f.description + "\n")
            if !settings.silent { Reporter.diagnostic(f.description) }
        }
        var status = failure.exitCode
        if let path = settings.notebook {
            do {
                try notebook.write(to: path)
            } catch let e as CommandFailure {
                Reporter.error(e.message)
                if status == .ok { status = .cannotCreate }
            } catch {
                Reporter.error("\(error.localizedDescription)")
                if status == .ok { status = .cannotCreate }
            }
        }
        if let dir = settings.outDir {
            let signal = Interrupt.terminationSignal
            let stoppedBy =
                failure?.kind == .interrupted
                ? (signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "SIGINT") : nil
            let record = Provenance.record(
                interpreter, script: file.name, scriptText: file.text,
                arguments: Array(CommandLine.arguments), start: start, end: Date(), status: status.rawValue,
                stoppedBy: stoppedBy)
            let results = ResultsRecord(
                brpsh: Provenance.version, displays: transcript.displays,
                outputs: ResultsRecord.savedFiles(
                    OutputLog.paths(interpreter), outDir: dir,
                    figure: { OutputLog.figureData(interpreter, path: $0).map(RecordValue.init(foundation:)) }))
            for problem in RunBundle.write(dir, provenance: record, results: results, transcript: transcript.text) {
                Reporter.error(problem)
                if status == .ok { status = .cannotCreate }
            }
        }
        return status
    }

    /// Lines from a pipe: the REPL's semantics without prompts or labels.
    static func piped(_ settings: Settings) -> ExitStatus {
        let interpreter = makeInterpreter(settings, interactive: false, repl: true)
        let session = Session(
            interpreter: interpreter, output: interpreter.output, errors: StandardError(), numbered: false)
        attachCommands(session)
        return loop(session, reader: PlainLineReader(), showPrompts: false)
    }

    /// What the REPL gets from the layers it does not know: builtin help, `:notebook file.ipynb` (every input so
    /// far, with its outputs) and `:cache` / `:cache clear`.
    public static func attachCommands(_ session: Session) {
        let interpreter = session.interpreter
        session.helpText = { name in Help.text(for: name.map(Value.string) ?? .nil, in: interpreter) }
        let recorder = RecordingSink(interpreter.output) { session.count - 1 }
        interpreter.output = recorder
        session.output = recorder
        let notebook = Notebook()
        session.onInput = { text, n in notebook.add(Notebook.Cell(source: text, outputs: recorder.take(), count: n)) }
        session.onError = { message in recorder.error("error", message) }
        session.extraCommands[":notebook"] = { s, arg in
            guard !arg.isEmpty else { throw CommandFailure("give a file name, e.g. :notebook session.ipynb") }
            try notebook.write(to: arg)
            s.output.write("wrote \(notebook.cells.count) cells to \(arg)\n")
        }
        session.extraCommands[":cache"] = { s, arg in
            let run = RunContext.of(s.interpreter)
            let cache = ResultCache(environment: run.environment)
            switch arg {
            case "":
                let (n, bytes) = cache.size()
                s.output.write(
                    String(
                        format: "cache %@: %d entries, %.1f MB; %@\n", cache.directory, n, Double(bytes) / 1e6,
                        run.useCache ? "in use (:cache off recomputes)" : "off for this session (:cache on uses it)"))
            case "off":
                run.useCache = false
                s.output.write(
                    "the cache is off for this session: results are computed and not stored (:cache on uses it again)\n"
                )
            case "on":
                run.useCache = true
                s.output.write("the cache is on: results are read from \(cache.directory) when there, and stored\n")
            case "clear":
                let removed: Int
                do { removed = try cache.clear() } catch let e as NASLibError { throw CommandFailure(e.message) }
                let others = ((try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? [])
                    .filter { !ResultCache.isEntry($0) && $0 != ResultCache.marker }.count
                s.output.write(
                    "removed \(removed) cache entries from \(cache.directory)"
                        + (others > 0 ? " (\(others) other files there left alone)" : "") + "\n")
            default:
                throw CommandFailure(
                    ":cache shows the cache; :cache off and :cache on turn it off and on for this session; :cache clear empties it"
                )
            }
        }
    }

    static func interactive(_ settings: Settings) -> ExitStatus {
        let interpreter = makeInterpreter(settings, interactive: true, repl: true)
        let session = Session(interpreter: interpreter, output: interpreter.output, errors: StandardError())
        attachCommands(session)
        var history: String? =
            environment["BRPSH_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".brpsh_history")
        // Reading a FIFO blocks forever and a directory is no history: only a regular file (or none yet) is used.
        if let h = history, (try? FileLock.requireRegularOrAbsent(h, what: "the history file")) == nil {
            Reporter.warning("\(h) is not a regular file; history is kept for this session only")
            history = nil
        }
        let reader = EditLineReader(historyPath: history, completer: Completer(session: session))
        print("brpsh \(Provenance.version) — :help for commands, help for builtins, Ctrl-D to quit")
        _ = loop(session, reader: reader, showPrompts: true)
        print("")
        return .ok
    }

    /// Reads lines into a session until end of input or `:quit`.
    public static func loop(_ session: Session, reader: LineReader, showPrompts: Bool) -> ExitStatus {
        var entry: [String] = []
        while true {
            let result = reader.readLine(prompt: showPrompts ? session.prompt : "")
            switch result {
            case .eof:
                // Ctrl-D inside an open bracket or block drops that input (as Python does); at an empty prompt it
                // leaves. At the end of a pipe, an unfinished input is an error.
                if session.isContinuing {
                    if showPrompts {
                        session.cancelPending()
                        entry.removeAll()
                        print("")
                        continue
                    }
                    session.finishPending()
                }
                return session.hadError ? .runtime : .ok
            case .interrupted:
                session.cancelPending()
                entry.removeAll()
                if showPrompts { print("^C") }
            case .line(let line):
                entry.append(line)
                let r = session.push(line)
                if r != .needMore {
                    reader.addHistory(entry.joined(separator: "\n"))
                    entry.removeAll()
                }
                if r == .quit { return session.hadError ? .runtime : .ok }
            }
        }
    }
}
