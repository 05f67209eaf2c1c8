import Builtins
import Foundation
import Interpreter
import Lang

/// Runs brpsh as the command line asked; returns the exit status.
public enum App {
    public static func main(_ arguments: [String]) -> Int32 {
        let options: CLI.Options
        do {
            options = try CLI.parse(arguments)
        } catch let e as CLI.UsageError {
            Terminal.writeError("brpsh: \(e.message)\n\(CLI.usage)")
            return ExitCode.usage.rawValue
        } catch {
            return ExitCode.usage.rawValue
        }
        switch options.mode {
        case .help:
            print(CLI.usage, terminator: "")
            return 0
        case .version:
            print("brpsh \(CLI.version)")
            return 0
        case .builtinsMarkdown:
            print(Help.markdown(Builtins.all()), terminator: "")
            return 0
        default:
            break
        }
        Terminal.installInterruptHandler()
        return Terminal.withLargeStack(routeInterrupts: true) { run(options).rawValue }
    }

    static func makeInterpreter(_ options: CLI.Options, interactive: Bool) -> Interpreter {
        let out: OutputSink = options.silent ? StringSink() : StandardOutput(interactive: interactive && !options.quiet)
        let interpreter = Builtins.makeInterpreter(output: out)
        if let s = options.seed { interpreter.seed = s }
        return interpreter
    }

    static func run(_ options: CLI.Options) -> ExitCode {
        switch options.mode {
        case .file(let path):
            guard let text = readScript(path) else { return .noInput }
            return runScript(SourceFile(name: path, text: text), options)
        case .code(let code):
            return runScript(SourceFile(name: "-c", text: code), options)
        case .stdin:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return runScript(SourceFile(name: "<stdin>", text: String(decoding: data, as: UTF8.self)), options)
        case .repl:
            return Terminal.stdinIsTerminal ? interactive(options) : piped(options)
        case .check(let script, let expected):
            return check(script, expected, options)
        case .help, .version, .builtinsMarkdown:
            return .ok
        }
    }

    static func readScript(_ path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            Terminal.writeError("brpsh: cannot open '\(path)': no such file\n")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.writeError("brpsh: cannot read '\(path)'\n")
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func runScript(_ file: SourceFile, _ options: CLI.Options) -> ExitCode {
        let start = Date()
        let interpreter = makeInterpreter(options, interactive: Terminal.stdoutIsTerminal)
        let run = RunContext.of(interpreter)
        run.outDir = options.outDir
        run.useCache = options.useCache
        run.quiet = options.quiet
        run.overrides = options.overrides.map { ($0.name, $0.text) }
        if let dir = options.outDir {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                Terminal.writeError("brpsh: cannot create the output directory '\(dir)': \(error.localizedDescription)\n")
                return .noInput
            }
        }
        // Everything the run prints goes to the transcript too; each cell's output to the notebook.
        let transcript = TranscriptSink(interpreter.output)
        let recorder = RecordingSink(transcript) { interpreter.extensions["cell"] as? Int ?? 0 }
        interpreter.output = recorder
        let notebook = Notebook()
        var displays: [Any] = []
        var cell = 1
        interpreter.extensions["cell"] = cell as AnyObject
        let runner = ScriptRunner(interpreter: interpreter, errors: { text in
            transcript.log(text)
            if !options.silent { Terminal.writeError(text) }
        })
        let status = runner.run(file, overrides: options.overrides, display: { value, _ in
            displays.append(ResultsFile.plain(value))
            recorder.display(value, text: Format.display(value, terminal: recorder.isInteractive))
        }, afterStatement: { stmt, error in
            if let e = error { recorder.error("error", e) }
            notebook.add(Notebook.Cell(source: stmt.range.text, outputs: recorder.take(), count: cell))
            cell += 1
            interpreter.extensions["cell"] = cell as AnyObject
        })
        if let path = options.notebook {
            do { try notebook.write(to: path) } catch { Terminal.writeError("brpsh: \(error.localizedDescription)\n") }
        }
        if let dir = options.outDir {
            let record = Provenance.record(interpreter, script: file.name, scriptText: file.text,
                                           arguments: Array(CommandLine.arguments), start: start, end: Date(), status: status.rawValue)
            let files: [(String, String)] = [
                ("provenance.json", (try? JSON.encode(record, pretty: true)) ?? "{}"),
                ("transcript.txt", transcript.text),
                ("results.json", ResultsFile.json(displays: displays, outputs: OutputLog.paths(interpreter), outDir: dir)),
            ]
            for (name, text) in files {
                let path = (dir as NSString).appendingPathComponent(name)
                if !FileManager.default.createFile(atPath: path, contents: Data((text + (text.hasSuffix("\n") ? "" : "\n")).utf8)) {
                    Terminal.writeError("brpsh: cannot write \(path)\n")
                }
            }
        }
        return status
    }

    /// Reruns a script into a scratch directory and compares its results.json with `expected`.
    static func check(_ script: String, _ expected: String, _ options: CLI.Options) -> ExitCode {
        guard let text = readScript(script) else { return .noInput }
        guard let data = FileManager.default.contents(atPath: expected),
              let want = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            Terminal.writeError("brpsh: cannot read the expected results '\(expected)'\n")
            return .noInput
        }
        var o = options
        o.silent = true
        o.outDir = NSTemporaryDirectory() + "brpsh-check-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: o.outDir!) }
        let status = runScript(SourceFile(name: script, text: text), o)
        let resultsPath = (o.outDir! as NSString).appendingPathComponent("results.json")
        guard status == .ok, let gotData = FileManager.default.contents(atPath: resultsPath),
              let got = try? JSONSerialization.jsonObject(with: gotData, options: [.fragmentsAllowed]) else {
            Terminal.writeError("check: the rerun failed (exit status \(status.rawValue))\n")
            return .runtime
        }
        var checker = ResultCheck(rtol: o.rtol, atol: o.atol)
        if let w = want as? [String: Any], let g = got as? [String: Any] {
            checker.compare(w["displays"] ?? [], g["displays"] ?? [], path: "displays")
            checker.compare(w["outputs"] ?? [:], g["outputs"] ?? [:], path: "outputs")
        } else {
            checker.compare(want, got)
        }
        if checker.differences.isEmpty {
            print("check: \(checker.compared) recorded values agree (rtol \(o.rtol), atol \(o.atol))")
            return .ok
        }
        print("check: \(checker.differences.count) of \(checker.compared) recorded values differ (rtol \(o.rtol), atol \(o.atol)):")
        for d in checker.differences.prefix(50) { print("  " + d) }
        if checker.differences.count > 50 { print("  ... and \(checker.differences.count - 50) more") }
        return .differs
    }

    /// Lines from a pipe: the REPL's semantics without prompts or labels.
    static func piped(_ options: CLI.Options) -> ExitCode {
        let interpreter = makeInterpreter(options, interactive: false)
        let session = Session(interpreter: interpreter, output: interpreter.output, errors: StandardError(), numbered: false)
        attachCommands(session, options)
        let status = loop(session, reader: PlainLineReader(), showPrompts: false)
        return status
    }

    /// The REPL commands that need the whole app: `:notebook file.ipynb` (every input so far, with
    /// its outputs) and `:cache` / `:cache clear`.
    public static func attachCommands(_ session: Session, _ options: CLI.Options) {
        let interpreter = session.interpreter
        RunContext.of(interpreter).useCache = options.useCache
        RunContext.of(interpreter).quiet = options.quiet
        let recorder = RecordingSink(interpreter.output) { session.count - 1 }
        interpreter.output = recorder
        session.output = recorder
        let notebook = Notebook()
        session.onInput = { text, n in notebook.add(Notebook.Cell(source: text, outputs: recorder.take(), count: n)) }
        session.onError = { message in recorder.error("error", message) }
        session.extraCommands[":notebook"] = { s, arg in
            guard !arg.isEmpty else { throw CLI.UsageError(message: "give a file name, e.g. :notebook session.ipynb") }
            try notebook.write(to: arg)
            s.output.write("wrote \(notebook.cells.count) cells to \(arg)\n")
        }
        session.extraCommands[":cache"] = { s, arg in
            let cache = ResultCache()
            switch arg {
            case "":
                let (n, bytes) = cache.size()
                s.output.write(String(format: "cache %@: %d entries, %.1f MB\n", cache.directory, n, Double(bytes) / 1e6))
            case "clear":
                s.output.write("removed \(cache.clear()) cache entries from \(cache.directory)\n")
            default:
                throw CLI.UsageError(message: ":cache shows the cache size; :cache clear empties it")
            }
        }
    }

    static func interactive(_ options: CLI.Options) -> ExitCode {
        let interpreter = makeInterpreter(options, interactive: true)
        let session = Session(interpreter: interpreter, output: interpreter.output, errors: StandardError())
        attachCommands(session, options)
        let history = ProcessInfo.processInfo.environment["BRPSH_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".brpsh_history")
        let reader = EditLineReader(historyPath: history, completer: Completer(session: session))
        print("brpsh \(CLI.version) — :help for commands, help for builtins, Ctrl-D to quit")
        _ = loop(session, reader: reader, showPrompts: true)
        print("")
        return .ok
    }

    /// Reads lines into a session until end of input or `:quit`.
    public static func loop(_ session: Session, reader: LineReader, showPrompts: Bool) -> ExitCode {
        var entry: [String] = []
        while true {
            let result = reader.readLine(prompt: showPrompts ? session.prompt : "")
            switch result {
            case .eof:
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
