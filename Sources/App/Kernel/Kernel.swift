import Builtins
import Foundation
import Interpreter
import Kernel
import Lang
import REPL

/// brpsh as a Jupyter kernel (messaging protocol 5.3 over ZeroMQ): one `Session`, the REPL's, runs every cell, so a
/// cell behaves exactly as the same input at the `In [n]:` prompt. The shell socket is served on the thread that
/// runs the code (a large stack, like the command line's); heartbeat and control have threads of their own, so an
/// `interrupt_request` reaches a long training while it runs. IOPub is shared under a lock.
// Sendable, unchecked: the control thread uses only the control socket, the shutdown flag, the interrupt flag and
// `publish` (under `iopubLock`); everything else belongs to the shell thread.
final class Kernel: @unchecked Sendable {
    struct Connection {
        let ip: String
        let transport: String
        let key: String
        let scheme: String
        let ports: [String: Int]

        init(file: String) throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw KernelError("cannot read the connection file '\(file)'")
            }
            guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw KernelError("the connection file '\(file)' is not a JSON object")
            }
            ip = o["ip"] as? String ?? "127.0.0.1"
            transport = o["transport"] as? String ?? "tcp"
            key = o["key"] as? String ?? ""
            scheme = o["signature_scheme"] as? String ?? "hmac-sha256"
            var ports: [String: Int] = [:]
            for name in ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] {
                guard let p = o[name] as? Int, (1...65535).contains(p) else {
                    throw KernelError("the connection file '\(file)' has no valid \(name)")
                }
                ports[name] = p
            }
            self.ports = ports
            guard scheme == "hmac-sha256" || key.isEmpty else {
                throw KernelError("signature scheme '\(scheme)' is not supported (hmac-sha256 is)")
            }
        }

        func endpoint(_ port: String) -> String { "\(transport)://\(ip):\(ports[port]!)" }
    }

    struct KernelError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    let shell: ZMQSocket, control: ZMQSocket, stdin: ZMQSocket, iopub: ZMQSocket, heartbeat: ZMQSocket
    let signer: KernelMessage.Signer
    let sessionID = UUID().uuidString.lowercased()
    let iopubLock = NSLock()
    let session: Session
    let sink: KernelSink
    var executionCount: Int { session.count }
    /// Set by a shutdown request; the shell loop ends.
    let stopping = ShutdownFlag()
    /// The kernel ended because its parent process died.
    var lostFrontend = false

    init(_ connection: Connection) throws {
        shell = try ZMQSocket(.router, bind: connection.endpoint("shell_port"))
        control = try ZMQSocket(.router, bind: connection.endpoint("control_port"))
        stdin = try ZMQSocket(.router, bind: connection.endpoint("stdin_port"))
        iopub = try ZMQSocket(.pub, bind: connection.endpoint("iopub_port"))
        heartbeat = try ZMQSocket(.rep, bind: connection.endpoint("hb_port"))
        signer = KernelMessage.Signer(key: connection.key)
        sink = KernelSink()
        let interpreter = Builtins.makeInterpreter(
            output: sink, settings: App.sessionSettings(App.Settings(), repl: true))
        session = Session(interpreter: interpreter, output: sink, errors: sink.errors)
        App.attachCommands(session)
        session.output = sink  // attachCommands records for :notebook; the kernel streams instead
        interpreter.output = sink
        sink.kernel = self
    }

    /// Serves until a shutdown request.
    func run() {
        let hb = Thread { [heartbeat] in heartbeat.echoForever() }
        hb.start()
        let controlThread = Thread { [self] in self.serveControl() }
        controlThread.start()
        publish("status", ["execution_state": "starting"], parent: nil)
        let parent = getppid()
        while !stopping.isSet {
            let ready = ZMQSocket.poll([shell], milliseconds: 200)
            guard !ready.isEmpty else {
                // The process that started the kernel is gone (it was reparented): nobody will ever ask again.
                if getppid() != parent {
                    Kernel.log("the process that started the kernel is gone; exiting")
                    lostFrontend = true
                    return
                }
                continue
            }
            guard let message = receive(shell) else { continue }
            handleShell(message)
        }
    }

    func receive(_ socket: ZMQSocket) -> KernelMessage? {
        do {
            return try KernelMessage.decode(try socket.receive(), signer)
        } catch {
            Kernel.log("dropped \(error)")
            return nil
        }
    }

    static func log(_ text: String) { FileHandle.standardError.write(Data("brpsh kernel: \(text)\n".utf8)) }

    // MARK: Sending

    func send(_ socket: ZMQSocket, _ message: KernelMessage) {
        do {
            try socket.send(try message.encode(signer))
        } catch {
            Kernel.log("cannot send \(message.type): \(error)")
        }
    }

    func reply(_ socket: ZMQSocket, to request: KernelMessage, _ type: String, _ content: [String: Any]) {
        send(
            socket,
            KernelMessage.make(
                type, content: content, parent: request, session: sessionID, identities: request.identities))
    }

    func publish(_ type: String, _ content: [String: Any], parent: KernelMessage?) {
        let m = KernelMessage.make(
            type, content: content, parent: parent, session: sessionID, identities: [Data(type.utf8)])
        iopubLock.withLock { send(iopub, m) }
    }

    func busy(_ request: KernelMessage, _ body: () -> Void) {
        publish("status", ["execution_state": "busy"], parent: request)
        body()
        publish("status", ["execution_state": "idle"], parent: request)
    }

    // MARK: Control

    func serveControl() {
        while !stopping.isSet {
            guard !ZMQSocket.poll([control], milliseconds: 200).isEmpty, let m = receive(control) else { continue }
            switch m.type {
            case "interrupt_request":
                Interrupt.request()
                reply(control, to: m, "interrupt_reply", ["status": "ok"])
            case "shutdown_request":
                let restart = m.content["restart"] as? Bool ?? false
                reply(control, to: m, "shutdown_reply", ["status": "ok", "restart": restart])
                Interrupt.request()
                stopping.set()
            case "kernel_info_request":
                busy(m) { reply(control, to: m, "kernel_info_reply", kernelInfo) }
            default:
                Kernel.log("ignored control message \(m.type)")
            }
        }
    }

    // MARK: Shell

    func handleShell(_ m: KernelMessage) {
        switch m.type {
        case "kernel_info_request":
            busy(m) { reply(shell, to: m, "kernel_info_reply", kernelInfo) }
        case "execute_request":
            execute(m)
        case "complete_request":
            busy(m) { reply(shell, to: m, "complete_reply", complete(m.content)) }
        case "inspect_request":
            busy(m) { reply(shell, to: m, "inspect_reply", inspect(m.content)) }
        case "is_complete_request":
            busy(m) {
                let state = session.completeness(m.content["code"] as? String ?? "")
                var content: [String: Any] = ["status": state.rawValue]
                if state == .incomplete { content["indent"] = "" }
                reply(shell, to: m, "is_complete_reply", content)
            }
        case "history_request":
            busy(m) { reply(shell, to: m, "history_reply", ["status": "ok", "history": history(m.content)]) }
        case "comm_info_request":
            busy(m) { reply(shell, to: m, "comm_info_reply", ["status": "ok", "comms": [String: Any]()]) }
        case "shutdown_request":
            let restart = m.content["restart"] as? Bool ?? false
            reply(shell, to: m, "shutdown_reply", ["status": "ok", "restart": restart])
            stopping.set()
        default:
            Kernel.log("ignored shell message \(m.type)")
        }
    }

    /// The inputs of this session (session 0) that ran: the last `n` (tail), those numbered start..<stop (range),
    /// or those matching a glob pattern (search; `unique` keeps the last of equal inputs). With `output`, each entry
    /// is (input, nil): results are not kept as text.
    func history(_ c: [String: Any]) -> [[Any]] {
        var entries = session.inputs.filter { $0.number > 0 }.map { ($0.number, $0.text) }
        switch c["hist_access_type"] as? String ?? "tail" {
        case "range":
            let start = c["start"] as? Int ?? 0
            let stop = c["stop"] as? Int ?? Int.max
            entries = entries.filter { $0.0 >= start && $0.0 < stop }
        case "search":
            let pattern = c["pattern"] as? String ?? "*"
            entries = entries.filter { Kernel.glob(pattern, $0.1) }
            if c["unique"] as? Bool ?? false {
                var seen = Set<String>()
                entries = entries.reversed().filter { seen.insert($0.1).inserted }.reversed()
            }
            if let n = c["n"] as? Int, n >= 0 { entries = Array(entries.suffix(n)) }
        default:
            if let n = c["n"] as? Int, n >= 0 { entries = Array(entries.suffix(n)) }
        }
        let output = c["output"] as? Bool ?? false
        return entries.map { [0, $0.0, output ? [$0.1, NSNull()] as [Any] : $0.1] as [Any] }
    }

    /// Shell-style glob: `*` any run, `?` one character, the rest literal.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern)
        let s = Array(text)
        var pi = 0
        var si = 0
        var star = -1
        var mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == "?" || p[pi] == s[si] {
                pi += 1
                si += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = si
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    var kernelInfo: [String: Any] {
        [
            "status": "ok", "protocol_version": KernelMessage.protocolVersion, "implementation": "brpsh",
            "implementation_version": Provenance.version,
            "language_info": [
                "name": "brpsh", "version": Provenance.version, "mimetype": "text/x-brpsh", "file_extension": ".brp",
                "pygments_lexer": "text", "codemirror_mode": "text/plain",
            ],
            "banner": "brpsh \(Provenance.version): hardware-aware NAS (BRP-NAS) in a small language",
            "help_links": [Any](),
        ]
    }

    func execute(_ m: KernelMessage) {
        let code = m.content["code"] as? String ?? ""
        let silent = m.content["silent"] as? Bool ?? false
        publish("status", ["execution_state": "busy"], parent: m)
        let count = executionCount
        if !silent { publish("execute_input", ["code": code, "execution_count": count], parent: m) }
        sink.begin(m, count: count, silent: silent)
        Interrupt.clear()
        let result = session.executeCell(code)
        let errorText = sink.end()
        if result == .failed, let text = errorText {
            let lines = text.components(separatedBy: "\n")
            let ename = lines.first.map(Kernel.errorName) ?? "Error"
            let error: [String: Any] = ["ename": ename, "evalue": lines.first ?? text, "traceback": lines]
            if !silent { publish("error", error, parent: m) }
            reply(
                shell, to: m, "execute_reply",
                error.merging(["status": "error", "execution_count": count]) { a, _ in a })
        } else {
            // `exit` / `:quit`: ask the frontend to leave (jupyter console does; a notebook keeps the kernel).
            let payload: [Any] = result == .quit ? [["source": "ask_exit", "keepkernel": false] as [String: Any]] : []
            reply(
                shell, to: m, "execute_reply",
                ["status": "ok", "execution_count": count, "user_expressions": [String: Any](), "payload": payload])
        }
        publish("status", ["execution_state": "idle"], parent: m)
    }

    /// `In[3]:1:5: error: ...` → `SyntaxError` when the input did not run, else `RuntimeError`.
    static func errorName(_ first: String) -> String {
        if first == "interrupted" || first.hasSuffix(": interrupted") { return "KeyboardInterrupt" }
        return first.contains(": error: ") ? "BrpshError" : "Error"
    }

    /// The line holding the cursor (code points in the protocol), completed by the REPL's completer.
    func complete(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let scalars = Array(code.unicodeScalars)
        let cursor = Kernel.cursor(content, length: scalars.count)
        var lineStart = cursor
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var lineEnd = cursor
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        let line = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd]))
        let cursorBytes = String(String.UnicodeScalarView(scalars[lineStart..<cursor])).utf8.count
        let result = Completer(session: session).complete(line: line, cursor: cursorBytes)
        let startScalars = String(decoding: Array(line.utf8.prefix(result.start)), as: UTF8.self).unicodeScalars.count
        return [
            "status": "ok", "matches": result.candidates, "cursor_start": lineStart + startScalars,
            "cursor_end": cursor,
            "metadata": [String: Any](),
        ]
    }

    /// A request's `cursor_pos` (code points), clamped to the code: a negative, too large or missing position is
    /// the nearest end (missing: the end, as Jupyter means it).
    static func cursor(_ content: [String: Any], length: Int) -> Int {
        guard let p = content["cursor_pos"] as? Int else { return length }
        return max(0, min(p, length))
    }

    /// The builtin or function named at the cursor (Shift-Tab).
    func inspect(_ content: [String: Any]) -> [String: Any] {
        let code = Array((content["code"] as? String ?? "").unicodeScalars)
        var cursor = Kernel.cursor(content, length: code.count)
        func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s == "_" || ("0"..."9").contains(s) }
        if cursor > 0, code[cursor - 1] == "(" { cursor -= 1 }  // Shift-Tab right after `gcn(`
        var start = cursor
        var end = cursor
        while start > 0, isWord(code[start - 1]) { start -= 1 }
        while end < code.count, isWord(code[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(code[start..<end]))
        guard !name.isEmpty,
            session.interpreter.builtins[name] != nil || session.interpreter.globals.lookup(name) != nil,
            let text = session.helpText?(name)
        else {
            return ["status": "ok", "found": false, "data": [String: Any](), "metadata": [String: Any]()]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": text], "metadata": [String: Any]()]
    }
}

/// A flag another thread sets once.
final class ShutdownFlag: @unchecked Sendable {  // Sendable, unchecked: the value is read and written under `lock`
    private var value = false
    private let lock = NSLock()
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Where a cell's output goes: `print` as `stream` messages, progress as one display updated in place, `display(...)`
/// as `display_data`, the cell's result as its one `execute_result` (text/plain, text/html for tables,
/// image/svg+xml for figures), errors collected for the `error` message.
///
/// A value the cell shows is held back until something else is output: then it goes out as `display_data` (a cell
/// that shows several values), or, when the cell ends, as the execution's one `execute_result`, so output keeps
/// its order and the protocol's one result per execution holds.
final class KernelSink: OutputSink {
    weak var kernel: Kernel?
    private var parent: KernelMessage?
    private var count = 0
    private var silent = false
    private var errorText: String?
    /// The last value the cell showed, not sent yet (its MIME bundle).
    private var pending: [String: Any]?
    /// Errors of the session (syntax and runtime) are kept for the `error` message.
    let errors: ErrorCollector

    init() {
        errors = ErrorCollector()
        errors.owner = self
    }

    /// Progress is shown in place (a carriage return rewrites the line in Jupyter's stream output).
    var isInteractive: Bool { true }

    func begin(_ request: KernelMessage, count: Int, silent: Bool) {
        parent = request
        progressID = nil
        pending = nil
        self.count = count
        self.silent = silent
        errorText = nil
    }

    /// Sends the held-back value as the execution's result; returns the cell's error text, if it failed.
    func end() -> String? {
        defer { parent = nil }
        if let data = pending, let kernel, !silent {
            kernel.publish(
                "execute_result", ["execution_count": count, "data": data, "metadata": [String: Any]()], parent: parent)
        }
        pending = nil
        return errorText
    }

    /// Something else is output: a held-back value goes out first, as a display.
    private func flush() {
        guard let data = pending, let kernel else { return }
        pending = nil
        kernel.publish("display_data", ["data": data, "metadata": [String: Any]()], parent: parent)
    }

    func collectError(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .newlines)
        errorText = errorText.map { $0 + "\n" + trimmed } ?? trimmed
    }

    /// The display that shows the current progress line (updated in place).
    private var progressID: String?

    func write(_ text: String) {
        guard let kernel, !silent else { return }
        flush()
        if text.hasPrefix("\r") {
            // A progress line: one display, updated in place (update_display_data), so a saved notebook keeps its
            // last state instead of every update. When the work ends the line is cleared; the display keeps the last
            // line it showed (an empty display would be left in the notebook).
            let line = text.replacingOccurrences(of: "\u{1B}[K", with: "").replacingOccurrences(of: "\r", with: "")
            if let id = progressID {
                if line.isEmpty {
                    progressID = nil
                    return
                }
                kernel.publish(
                    "update_display_data",
                    [
                        "data": ["text/plain": line], "metadata": [String: Any](),
                        "transient": ["display_id": id],
                    ], parent: parent)
            } else if !line.isEmpty {
                let id = UUID().uuidString.lowercased()
                progressID = id
                kernel.publish(
                    "display_data",
                    [
                        "data": ["text/plain": line], "metadata": [String: Any](),
                        "transient": ["display_id": id],
                    ], parent: parent)
            }
            return
        }
        kernel.publish("stream", ["name": "stdout", "text": text], parent: parent)
    }

    /// Warnings and notes (a training that failed, a result read from the cache) as the cell's stderr stream.
    func warn(_ text: String) {
        guard let kernel, !silent else { return Stderr.write(text) }
        flush()
        kernel.publish("stream", ["name": "stderr", "text": text], parent: parent)
    }

    func showSaved(_ value: Value, path: String) {
        guard let kernel, !silent, let svg = RichDisplay.svg(value) else { return }
        flush()
        kernel.publish(
            "display_data",
            [
                "data": ["image/svg+xml": svg, "text/plain": "saved \(path)"],
                "metadata": [String: Any](),
            ], parent: parent)
    }

    /// The MIME bundle of a value: text/plain (a figure as the terminal draws it, without colour), text/html for
    /// tables, image/svg+xml for figures.
    static func bundle(_ value: Value) -> [String: Any] {
        var data: [String: Any] = ["text/plain": RichDisplay.text(value)]
        if let html = RichDisplay.html(value) { data["text/html"] = html }
        if let svg = RichDisplay.svg(value) { data["image/svg+xml"] = svg }
        return data
    }

    /// A value the cell shows (a top-level expression): held back (see the type's comment).
    func display(_ value: Value, text: String) {
        guard kernel != nil, !silent else { return }
        flush()
        pending = KernelSink.bundle(value)
    }

    /// A value shown by `display(...)`: always `display_data`.
    func displayData(_ value: Value, text: String) {
        guard let kernel, !silent else { return }
        flush()
        kernel.publish("display_data", ["data": KernelSink.bundle(value), "metadata": [String: Any]()], parent: parent)
    }
}

/// The session's error sink in the kernel.
final class ErrorCollector: OutputSink {
    weak var owner: KernelSink?
    func write(_ text: String) { owner?.collectError(text) }
}
