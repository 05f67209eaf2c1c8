import Foundation

/// The protocol core of a Jupyter kernel (messaging protocol 5.3 over ZeroMQ): the five sockets, signing, dispatch,
/// busy/idle, history, the cursor arithmetic of completion and inspection; the language behind it is a
/// `KernelLanguage`. The shell socket is served on the thread that calls `run()` (the front end gives it a large
/// stack); heartbeat and control have threads of their own, so an `interrupt_request` reaches a long cell while it
/// runs. IOPub is shared under a lock.
// Sendable, unchecked: the control thread uses only the control socket, the shutdown flag, the language's
// `interrupt` and `publish` (under `iopubLock`); everything else belongs to the shell thread.
public final class KernelServer: @unchecked Sendable {
    public struct Connection {
        public let ip: String
        public let transport: String
        public let key: String
        public let scheme: String
        public let ports: [String: Int]

        public init(file: String) throws {
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

        public func endpoint(_ port: String) -> String { "\(transport)://\(ip):\(ports[port]!)" }
    }

    public struct KernelError: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    let shell: ZMQSocket, control: ZMQSocket, stdin: ZMQSocket, iopub: ZMQSocket, heartbeat: ZMQSocket
    let signer: KernelMessage.Signer
    let sessionID = UUID().uuidString.lowercased()
    let iopubLock = NSLock()
    let language: KernelLanguage
    /// Set by a shutdown request; the shell loop ends.
    let stopping = ShutdownFlag()
    /// The kernel ended because its parent process died.
    public private(set) var lostFrontend = false
    /// Where the kernel's own diagnostics go (the kernel log: standard error).
    let log: (String) -> Void

    public init(
        _ connection: Connection, language: KernelLanguage,
        log: @escaping (String) -> Void = { FileHandle.standardError.write(Data("kernel: \($0)\n".utf8)) }
    ) throws {
        shell = try ZMQSocket(.router, bind: connection.endpoint("shell_port"))
        control = try ZMQSocket(.router, bind: connection.endpoint("control_port"))
        stdin = try ZMQSocket(.router, bind: connection.endpoint("stdin_port"))
        iopub = try ZMQSocket(.pub, bind: connection.endpoint("iopub_port"))
        heartbeat = try ZMQSocket(.rep, bind: connection.endpoint("hb_port"))
        signer = KernelMessage.Signer(key: connection.key)
        self.language = language
        self.log = log
    }

    /// Serves until a shutdown request, or until the process that started the kernel is gone (`watchParent`).
    public func run(watchParent: Bool = true) {
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
                if watchParent, getppid() != parent {
                    log("the process that started the kernel is gone; exiting")
                    lostFrontend = true
                    return
                }
                continue
            }
            guard let message = receive(shell) else { continue }
            handleShell(message)
        }
    }

    /// Ends `run()` (as a shutdown request does) at its next poll.
    public func stop() { stopping.set() }

    func receive(_ socket: ZMQSocket) -> KernelMessage? {
        do {
            return try KernelMessage.decode(try socket.receive(), signer)
        } catch {
            log("dropped \(error)")
            return nil
        }
    }

    // MARK: Sending

    func send(_ socket: ZMQSocket, _ message: KernelMessage) {
        do {
            try socket.send(try message.encode(signer))
        } catch {
            log("cannot send \(message.type): \(error)")
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
                language.interrupt()
                reply(control, to: m, "interrupt_reply", ["status": "ok"])
            case "shutdown_request":
                let restart = m.content["restart"] as? Bool ?? false
                reply(control, to: m, "shutdown_reply", ["status": "ok", "restart": restart])
                language.interrupt()
                stopping.set()
            case "kernel_info_request":
                busy(m) { reply(control, to: m, "kernel_info_reply", kernelInfo) }
            default:
                log("ignored control message \(m.type)")
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
                let state = language.isComplete(m.content["code"] as? String ?? "")
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
            log("ignored shell message \(m.type)")
        }
    }

    /// The inputs of this session (session 0) that ran: the last `n` (tail), those numbered start..<stop (range),
    /// or those matching a glob pattern (search; `unique` keeps the last of equal inputs). With `output`, each entry
    /// is (input, nil): results are not kept as text.
    func history(_ c: [String: Any]) -> [[Any]] {
        var entries = language.history.filter { $0.number > 0 }.map { ($0.number, $0.code) }
        switch c["hist_access_type"] as? String ?? "tail" {
        case "range":
            let start = c["start"] as? Int ?? 0
            let stop = c["stop"] as? Int ?? Int.max
            entries = entries.filter { $0.0 >= start && $0.0 < stop }
        case "search":
            let pattern = c["pattern"] as? String ?? "*"
            entries = entries.filter { KernelServer.glob(pattern, $0.1) }
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
        let i = language.info
        return [
            "status": "ok", "protocol_version": KernelMessage.protocolVersion, "implementation": i.implementation,
            "implementation_version": i.version,
            "language_info": [
                "name": i.name, "version": i.version, "mimetype": i.mimetype, "file_extension": i.fileExtension,
                "pygments_lexer": "text", "codemirror_mode": "text/plain",
            ],
            "banner": i.banner,
            "help_links": [Any](),
        ]
    }

    func execute(_ m: KernelMessage) {
        let code = m.content["code"] as? String ?? ""
        let silent = m.content["silent"] as? Bool ?? false
        publish("status", ["execution_state": "busy"], parent: m)
        let count = language.executionCount
        if !silent { publish("execute_input", ["code": code, "execution_count": count], parent: m) }
        let output = CellOutput(count: count, silent: silent) { [self] type, content in
            publish(type, content, parent: m)
        }
        let result = language.execute(code, output: output)
        output.finish()
        switch result {
        case .error(let e):
            let error: [String: Any] = ["ename": e.name, "evalue": e.value, "traceback": e.traceback]
            if !silent { publish("error", error, parent: m) }
            reply(
                shell, to: m, "execute_reply",
                error.merging(["status": "error", "execution_count": count]) { a, _ in a })
        case .ok, .quit:
            // A cell that asks to leave: the frontend is asked to (jupyter console does; a notebook keeps the kernel).
            let payload: [Any] = result.isQuit ? [["source": "ask_exit", "keepkernel": false] as [String: Any]] : []
            reply(
                shell, to: m, "execute_reply",
                ["status": "ok", "execution_count": count, "user_expressions": [String: Any](), "payload": payload])
        }
        publish("status", ["execution_state": "idle"], parent: m)
    }

    /// The line holding the cursor (code points in the protocol), completed by the language.
    func complete(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let scalars = Array(code.unicodeScalars)
        let cursor = KernelServer.cursor(content, length: scalars.count)
        var lineStart = cursor
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var lineEnd = cursor
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        let line = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd]))
        let cursorBytes = String(String.UnicodeScalarView(scalars[lineStart..<cursor])).utf8.count
        let result = language.complete(line: line, cursor: cursorBytes)
        let startScalars = String(decoding: Array(line.utf8.prefix(result.start)), as: UTF8.self).unicodeScalars.count
        return [
            "status": "ok", "matches": result.matches, "cursor_start": lineStart + startScalars,
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

    /// The name at the cursor (Shift-Tab), described by the language.
    func inspect(_ content: [String: Any]) -> [String: Any] {
        let code = Array((content["code"] as? String ?? "").unicodeScalars)
        var cursor = KernelServer.cursor(content, length: code.count)
        func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s == "_" || ("0"..."9").contains(s) }
        if cursor > 0, code[cursor - 1] == "(" { cursor -= 1 }  // Shift-Tab right after `gcn(`
        var start = cursor
        var end = cursor
        while start > 0, isWord(code[start - 1]) { start -= 1 }
        while end < code.count, isWord(code[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(code[start..<end]))
        guard !name.isEmpty, let text = language.inspect(name) else {
            return ["status": "ok", "found": false, "data": [String: Any](), "metadata": [String: Any]()]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": text], "metadata": [String: Any]()]
    }
}

extension CellResult {
    var isQuit: Bool {
        if case .quit = self { return true }
        return false
    }
}

/// A flag another thread sets once.
final class ShutdownFlag: @unchecked Sendable {  // Sendable, unchecked: the value is read and written under `lock`
    private var value = false
    private let lock = NSLock()
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
