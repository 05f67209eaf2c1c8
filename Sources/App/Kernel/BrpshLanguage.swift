import Builtins
import Foundation
import Interpreter
import Kernel
import Lang
import REPL

/// brpsh as a Jupyter kernel's language: one `Session`, the REPL's, runs every cell, so a cell behaves exactly as the
/// same input at the `In [n]:` prompt. The protocol (sockets, dispatch, busy/idle, cursor arithmetic) is the Kernel
/// library's `KernelServer`; this adapter turns brpsh's values into MIME bundles and its failures into `CellError`s.
final class BrpshLanguage: KernelLanguage {
    let session: Session
    let sink: KernelSink

    init() {
        sink = KernelSink()
        let interpreter = Builtins.makeInterpreter(
            output: sink, settings: App.sessionSettings(App.Settings(), repl: true))
        session = Session(interpreter: interpreter, output: sink, errors: sink.errors)
        App.attachCommands(session)
        session.output = sink  // attachCommands records for :notebook; the kernel streams instead
        interpreter.output = sink
    }

    var info: KernelLanguageInfo {
        KernelLanguageInfo(
            implementation: "brpsh", version: Provenance.version, name: "brpsh", mimetype: "text/x-brpsh",
            fileExtension: ".brp",
            banner: "brpsh \(Provenance.version): hardware-aware NAS (BRP-NAS) in a small language")
    }

    var executionCount: Int { session.count }

    var history: [(number: Int, code: String)] { session.inputs.map { ($0.number, $0.text) } }

    func execute(_ code: String, output: CellOutput) -> CellResult {
        sink.begin(output)
        defer { sink.end() }
        Interrupt.clear()
        switch session.executeCell(code) {
        case .quit: return .quit
        case .failed:
            let text = sink.errorText ?? session.lastFailure?.text ?? "error"
            let lines = text.components(separatedBy: "\n")
            return .error(
                CellError(
                    name: Self.errorName(session.lastFailure?.kind), value: lines.first ?? text, traceback: lines))
        default: return .ok
        }
    }

    /// The protocol's error name for a failure: `KeyboardInterrupt` for an interrupted cell, `BrpshError` for a
    /// diagnostic of the language (syntax, usage, runtime), `Error` for a REPL command's.
    static func errorName(_ kind: Session.Failure.Kind?) -> String {
        switch kind {
        case .pipeline(.interrupted): return "KeyboardInterrupt"
        case .pipeline: return "BrpshError"
        case .command, nil: return "Error"
        }
    }

    func isComplete(_ code: String) -> CodeCompleteness {
        switch session.completeness(code) {
        case .complete: return .complete
        case .incomplete: return .incomplete
        case .invalid: return .invalid
        }
    }

    func complete(line: String, cursor: Int) -> (start: Int, matches: [String]) {
        let r = Completer(session: session).complete(line: line, cursor: cursor)
        return (r.start, r.candidates)
    }

    func inspect(_ name: String) -> String? {
        guard session.interpreter.builtins[name] != nil || session.interpreter.globals.lookup(name) != nil else {
            return nil
        }
        return session.helpText?(name)
    }

    func interrupt() { Interrupt.request() }
}

/// Where a cell's brpsh output goes: `print` as the stdout stream, progress as one display updated in place,
/// warnings as the stderr stream, a shown value as the cell's result, `display(...)` and saved figures as displays
/// (text/plain, text/html for tables, image/svg+xml for figures); errors are collected for the `error` message.
final class KernelSink: OutputSink {
    private var cell: CellOutput?
    private(set) var errorText: String?
    /// Errors of the session (syntax and runtime) are kept for the `error` message.
    let errors: ErrorCollector

    init() {
        errors = ErrorCollector()
        errors.owner = self
    }

    /// Progress is shown in place (a carriage return rewrites the line in Jupyter's stream output).
    var isInteractive: Bool { true }

    func begin(_ output: CellOutput) {
        cell = output
        errorText = nil
    }

    func end() { cell = nil }

    func collectError(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .newlines)
        errorText = errorText.map { $0 + "\n" + trimmed } ?? trimmed
    }

    func write(_ text: String) {
        guard let cell else { return }
        if text.hasPrefix("\r") {
            cell.progress(text.replacingOccurrences(of: "\u{1B}[K", with: "").replacingOccurrences(of: "\r", with: ""))
        } else {
            cell.stream("stdout", text)
        }
    }

    /// Warnings and notes (a training that failed, a result read from the cache) as the cell's stderr stream.
    func warn(_ text: String) {
        guard let cell, !cell.silent else { return Stderr.write(text) }
        cell.stream("stderr", text)
    }

    func showSaved(_ value: Value, path: String) {
        guard let cell, let svg = RichDisplay.svg(value) else { return }
        cell.display(["image/svg+xml": svg, "text/plain": "saved \(path)"])
    }

    /// The MIME bundle of a value: text/plain (a figure as the terminal draws it, without colour), text/html for
    /// tables, image/svg+xml for figures.
    static func bundle(_ value: Value) -> [String: Any] {
        var data: [String: Any] = ["text/plain": RichDisplay.text(value)]
        if let html = RichDisplay.html(value) { data["text/html"] = html }
        if let svg = RichDisplay.svg(value) { data["image/svg+xml"] = svg }
        return data
    }

    /// A value the cell shows (a top-level expression): the cell's result unless more output follows.
    func display(_ value: Value, text: String) { cell?.show(KernelSink.bundle(value)) }

    /// A value shown by `display(...)`: always `display_data`.
    func displayData(_ value: Value, text: String) { cell?.display(KernelSink.bundle(value)) }
}

/// The session's error sink in the kernel.
final class ErrorCollector: OutputSink {
    weak var owner: KernelSink?
    func write(_ text: String) { owner?.collectError(text) }
}
