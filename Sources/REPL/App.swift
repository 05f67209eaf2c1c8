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
        let out = StandardOutput(interactive: interactive && !options.quiet)
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
        let interpreter = makeInterpreter(options, interactive: Terminal.stdoutIsTerminal)
        let runner = ScriptRunner(interpreter: interpreter, errors: Terminal.writeError)
        return runner.run(file, overrides: options.overrides)
    }

    /// Lines from a pipe: the REPL's semantics without prompts or labels.
    static func piped(_ options: CLI.Options) -> ExitCode {
        let session = Session(interpreter: makeInterpreter(options, interactive: false),
                              output: StandardOutput(interactive: false), errors: StandardError(), numbered: false)
        let status = loop(session, reader: PlainLineReader(), showPrompts: false)
        return status
    }

    static func interactive(_ options: CLI.Options) -> ExitCode {
        let interpreter = makeInterpreter(options, interactive: true)
        let session = Session(interpreter: interpreter, output: interpreter.output, errors: StandardError())
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
