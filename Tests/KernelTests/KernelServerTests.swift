import Foundation
import Testing

@testable import Kernel

/// A stand-in language: `print X` streams X, `show X` shows X as the cell's result, `progress` draws a progress line
/// and clears it, `fail` fails with a structured error, `wait` runs until interrupted (at most 10 s), `exit` quits.
final class StandInLanguage: KernelLanguage {
    private(set) var ran: [(number: Int, code: String)] = []
    private let interrupted = InterruptFlag()

    var info: KernelLanguageInfo {
        KernelLanguageInfo(
            implementation: "standin", version: "0.1", name: "standin", mimetype: "text/x-standin",
            fileExtension: ".si", banner: "a stand-in")
    }

    var executionCount: Int { ran.count + 1 }
    var history: [(number: Int, code: String)] { ran }

    func execute(_ code: String, output: CellOutput) -> CellResult {
        defer { ran.append((ran.count + 1, code)) }
        interrupted.clear()
        for line in code.split(separator: "\n").map(String.init) {
            if line.hasPrefix("print ") {
                output.stream("stdout", String(line.dropFirst(6)) + "\n")
            } else if line.hasPrefix("show ") {
                output.show(["text/plain": String(line.dropFirst(5))])
            } else if line == "progress" {
                output.progress("1/2")
                output.progress("2/2")
                output.progress("")
            } else if line == "fail" {
                return .error(CellError(name: "StandInError", value: "it failed", traceback: ["it failed", "at 1"]))
            } else if line == "wait" {
                let deadline = Date().addingTimeInterval(10)
                while !interrupted.isSet, Date() < deadline { usleep(10_000) }
                if interrupted.isSet {
                    return .error(CellError(name: "KeyboardInterrupt", value: "interrupted", traceback: []))
                }
            } else if line == "exit" {
                return .quit
            }
        }
        return .ok
    }

    func isComplete(_ code: String) -> CodeCompleteness { code.hasSuffix("(") ? .incomplete : .complete }

    func complete(line: String, cursor: Int) -> (start: Int, matches: [String]) {
        // Completes the word before the cursor from a fixed list.
        let before = Array(line.utf8.prefix(cursor))
        var start = before.count
        while start > 0, before[start - 1] != UInt8(ascii: " ") { start -= 1 }
        let word = String(decoding: before[start...], as: UTF8.self)
        return (start, ["print", "progress", "show"].filter { $0.hasPrefix(word) })
    }

    func inspect(_ name: String) -> String? { name == "show" ? "show X: the cell's result" : nil }

    func interrupt() { interrupted.set() }
}

final class InterruptFlag: @unchecked Sendable {  // Sendable, unchecked: the value is read and written under `lock`
    private var value = false
    private let lock = NSLock()
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
    func clear() { lock.withLock { value = false } }
}

/// A frontend over ZeroMQ: signed requests on shell and control, IOPub read by a subscriber.
final class StandInFrontend {
    let shell: ZMQSocket
    let control: ZMQSocket
    let iopub: ZMQSocket
    let signer: KernelMessage.Signer
    let replies: KernelMessage.Signer
    let session = UUID().uuidString.lowercased()

    init(_ c: KernelServer.Connection) throws {
        shell = try ZMQSocket(.dealer, connect: c.endpoint("shell_port"))
        control = try ZMQSocket(.dealer, connect: c.endpoint("control_port"))
        iopub = try ZMQSocket(.sub, connect: c.endpoint("iopub_port"))
        signer = KernelMessage.Signer(key: c.key)
        replies = KernelMessage.Signer(key: c.key)
    }

    func send(_ socket: ZMQSocket, _ type: String, _ content: [String: Any]) throws -> KernelMessage {
        let m = KernelMessage.make(type, content: content, parent: nil, session: session)
        try socket.send(try m.encode(signer))
        return m
    }

    func receive(_ socket: ZMQSocket, seconds: Double = 10) throws -> KernelMessage {
        guard !ZMQSocket.poll([socket], milliseconds: Int(seconds * 1000)).isEmpty else {
            throw KernelServer.KernelError("no message within \(seconds) s")
        }
        return try KernelMessage.decode(try socket.receive(), replies)
    }

    /// IOPub messages caused by `request`, up to its `idle` status.
    func published(for request: KernelMessage) throws -> [KernelMessage] {
        var out: [KernelMessage] = []
        while true {
            let m = try receive(iopub)
            guard m.parentHeader["msg_id"] as? String == request.id else { continue }
            if m.type == "status", m.content["execution_state"] as? String == "idle" { return out }
            out.append(m)
        }
    }
}

/// The Kernel library on its own: the protocol core driven over real ZeroMQ sockets with a stand-in language (brpsh's
/// own kernel is driven by Jupyter's clients in REPLTests/KernelTests.swift).
@Suite(.serialized) struct KernelServerTests {
    static func connection() throws -> (KernelServer.Connection, String) {
        let dir = NSTemporaryDirectory() + "brpsh-kernel-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/connection.json"
        let o: [String: Any] = [
            "transport": "ipc", "ip": dir + "/k", "key": "a-secret", "signature_scheme": "hmac-sha256",
            "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
        ]
        try JSONSerialization.data(withJSONObject: o).write(to: URL(fileURLWithPath: file))
        return (try KernelServer.Connection(file: file), dir)
    }

    @Test func aStandInLanguageIsServedOverTheProtocol() throws {
        let (c, dir) = try Self.connection()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let language = StandInLanguage()
        let server = try KernelServer(c, language: language, log: { _ in })
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            server.run(watchParent: false)
            done.signal()
        }
        thread.start()
        let f = try StandInFrontend(c)
        usleep(200_000)  // the subscriber joins before anything is published

        let info = try f.send(f.shell, "kernel_info_request", [:])
        let infoReply = try f.receive(f.shell)
        #expect(infoReply.type == "kernel_info_reply" && infoReply.parentHeader["msg_id"] as? String == info.id)
        #expect((infoReply.content["language_info"] as? [String: Any])?["name"] as? String == "standin")
        #expect(infoReply.content["protocol_version"] as? String == KernelMessage.protocolVersion)
        _ = try f.published(for: info)

        // Output in order; the shown value is the one execute_result, at the end.
        let run = try f.send(
            f.shell, "execute_request", ["code": "show 41\nprint a\nprogress\nshow 42", "silent": false])
        let reply = try f.receive(f.shell)
        #expect(reply.content["status"] as? String == "ok" && reply.content["execution_count"] as? Int == 1)
        let out = try f.published(for: run)
        #expect(
            out.map(\.type) == [
                "status", "execute_input", "display_data", "stream", "display_data", "update_display_data",
                "execute_result",
            ])
        #expect((out[2].content["data"] as? [String: Any])?["text/plain"] as? String == "41")
        #expect(out[3].content["text"] as? String == "a\n")
        #expect((out[6].content["data"] as? [String: Any])?["text/plain"] as? String == "42")

        // A structured error, as the language gave it.
        let bad = try f.send(f.shell, "execute_request", ["code": "fail"])
        let badReply = try f.receive(f.shell)
        #expect(
            badReply.content["status"] as? String == "error" && badReply.content["ename"] as? String == "StandInError")
        let error = try #require(try f.published(for: bad).first { $0.type == "error" })
        #expect(error.content["traceback"] as? [String] == ["it failed", "at 1"])

        // Silent: no output at all besides the status.
        let quiet = try f.send(f.shell, "execute_request", ["code": "print x\nshow 1", "silent": true])
        _ = try f.receive(f.shell)
        #expect(try f.published(for: quiet).map(\.type) == ["status"])

        // Completion and inspection with the protocol's code-point cursor (é is two UTF-8 bytes).
        _ = try f.send(f.shell, "complete_request", ["code": "é pr", "cursor_pos": 4])
        let completion = try f.receive(f.shell)
        #expect(completion.content["matches"] as? [String] == ["print", "progress"])
        #expect(completion.content["cursor_start"] as? Int == 2 && completion.content["cursor_end"] as? Int == 4)
        _ = try f.send(f.shell, "inspect_request", ["code": "show(", "cursor_pos": 5])
        #expect((try f.receive(f.shell)).content["found"] as? Bool == true)
        _ = try f.send(f.shell, "is_complete_request", ["code": "f("])
        let completeness = try f.receive(f.shell)
        #expect(completeness.content["status"] as? String == "incomplete")

        // History: every execution, numbered.
        _ = try f.send(f.shell, "history_request", ["hist_access_type": "tail", "n": 2])
        let history = try #require((try f.receive(f.shell)).content["history"] as? [[Any]])
        #expect(history.map { $0[1] as? Int } == [2, 3])

        // An interrupt on the control socket reaches a running cell.
        let long = try f.send(f.shell, "execute_request", ["code": "wait"])
        usleep(100_000)
        _ = try f.send(f.control, "interrupt_request", [:])
        #expect((try f.receive(f.control)).type == "interrupt_reply")
        let longReply = try f.receive(f.shell)
        #expect(longReply.parentHeader["msg_id"] as? String == long.id)
        #expect(longReply.content["ename"] as? String == "KeyboardInterrupt")

        // A cell that quits asks the frontend to leave.
        _ = try f.send(f.shell, "execute_request", ["code": "exit"])
        let quit = try f.receive(f.shell)
        #expect(((quit.content["payload"] as? [[String: Any]])?.first)?["source"] as? String == "ask_exit")

        // A message signed with another key is dropped, never answered.
        let forged = KernelMessage.make("kernel_info_request", content: [:], parent: nil, session: f.session)
        try f.shell.send(try forged.encode(KernelMessage.Signer(key: "not-the-key")))
        #expect(ZMQSocket.poll([f.shell], milliseconds: 300).isEmpty)

        // Shutdown ends the server.
        _ = try f.send(f.control, "shutdown_request", ["restart": false])
        #expect((try f.receive(f.control)).type == "shutdown_reply")
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test func glob() {
        #expect(KernelServer.glob("p*", "print 1") && KernelServer.glob("?how*", "show 2"))
        #expect(!KernelServer.glob("p?", "print") && KernelServer.glob("*", ""))
    }
}
