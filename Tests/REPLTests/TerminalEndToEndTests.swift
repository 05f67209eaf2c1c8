import Foundation
import TestSupport
import Testing

/// The built `brpsh` binary in a real pseudo-terminal (tmux): prompts, history across two
/// sessions, completion, carets and Ctrl-C. CI installs tmux; without it the test is skipped.
@Suite(.serialized) struct TerminalEndToEndTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("brpsh").path
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    final class Pane {
        let name = "brpsh-e2e-\(UInt32.random(in: 0...UInt32.max))"
        let tmux: String

        init(tmux: String, history: String) throws {
            self.tmux = tmux
            try run([
                "new-session", "-d", "-s", name, "-x", "150", "-y", "50",
                "env BRPSH_HISTORY=\(history) \(TerminalEndToEndTests.binary); sleep 30",
            ])
            try wait(for: "In [1]:")
        }

        /// Runs a tmux command on this pane's own server and returns what it printed.
        /// posix_spawn, not Foundation's Process: `new-session` forks the server, which would
        /// inherit Process's exit-monitoring socket and keep it open, so Process would wait
        /// forever; and the spawn gets an empty signal mask (the test's threads block signals,
        /// and a server and its panes would inherit that, deaf to SIGTERM and SIGHUP).
        @discardableResult
        func run(_ args: [String]) throws -> String {
            let out = NSTemporaryDirectory() + "\(name)-\(UInt32.random(in: 0...UInt32.max)).out"
            defer { try? FileManager.default.removeItem(atPath: out) }
            let pid = try TerminalEndToEndTests.spawn([tmux, "-L", name] + args, stdin: nil, stdout: out, blocking: [])
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }
        func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }
        func screen() throws -> String { try run(["capture-pane", "-t", name, "-p"]) }

        /// Waits until `text` shows `count` times on the screen.
        func wait(for text: String, count: Int = 1, timeout: Double = 10) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if try screen().components(separatedBy: text).count - 1 >= count { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("timed out waiting for \(text.debugDescription); screen:\n\(try screen())")
        }

        /// Stops this pane's server (and with it the pane).
        func close() { _ = try? run(["kill-server"]) }
    }

    /// BRPSH_HISTORY naming a FIFO: the REPL starts (reading it would block forever), says so, and works.
    @Test(.enabled(if: tmux != nil, "tmux is not installed (scripts/deps test installs it)"))
    func historyThatIsNotAFileIsNotRead() throws {
        let tmux = try #require(Self.tmux)
        let fifo = NSTemporaryDirectory() + "brpsh-history-fifo-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkfifo(fifo, 0o644) == 0)
        defer { try? FileManager.default.removeItem(atPath: fifo) }
        let pane = try Pane(tmux: tmux, history: fifo)
        defer { pane.close() }
        try pane.wait(for: "is not a regular file; history is kept for this session only")
        try pane.type("20 + 22\r")
        try pane.wait(for: "Out[1]: 42")
    }

    /// A warning after a training's progress line starts on a line of its own (it used to run on from the progress:
    /// `… ETA 0swarning: gcn(...)`).
    @Test(.enabled(if: tmux != nil && TestData.available, "tmux is not installed, or no benchmark data"))
    func warningAfterProgressStartsItsOwnLine() throws {
        let tmux = try #require(Self.tmux)
        let history = NSTemporaryDirectory() + "brpsh-history-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: history) }
        let pane = try Pane(tmux: tmux, history: history)
        defer { pane.close() }
        // A 2-epoch training of 30 models: its progress line is drawn, then it warns (unconverged, failed).
        try pane.type(":cache off\r")
        try pane.wait(for: "In [1]:", count: 2)
        try pane.type("p = gcn(device: \"d-cpu\", n: 30, valid: 10, epochs: 2, hidden: 8, seed: 1)\r")
        try pane.wait(for: "In [2]:", timeout: 60)
        let screen = try pane.screen()
        #expect(screen.contains("warning: gcn("), "\(screen)")
        for line in screen.split(separator: "\n") where line.contains("warning:") {
            #expect(line.hasPrefix("warning:"), "a warning ran on from another line: \(line)")
        }
    }

    @Test(.enabled(if: tmux != nil, "tmux is not installed (scripts/deps test installs it)"))
    func promptsHistoryCompletionCaretsAndInterrupt() throws {
        let tmux = try #require(Self.tmux)
        let history = NSTemporaryDirectory() + "brpsh-history-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: history) }

        let first = try Pane(tmux: tmux, history: history)
        defer { first.close() }
        try first.type("histmark = 41\r")
        try first.wait(for: "In [2]:")
        try first.type("1 + 1\r")
        try first.wait(for: "Out[2]: 2")
        // Completion of a variable, then of a builtin's named parameter.
        try first.type("histm")
        try first.keys("Tab")
        try first.wait(for: "In [3]: histmark")
        try first.type(" + round(1.5, dig")
        try first.keys("Tab")
        try first.wait(for: "round(1.5, digits:")
        try first.type("0)\r")
        try first.wait(for: "Out[3]: 43")
        // The parameter, not the builtin `devices` that shares the prefix.
        try first.type("gcn(dev")
        try first.keys("Tab")
        try first.wait(for: "gcn(device:")
        try first.keys("C-u")
        // An error shows its caret and keeps the session.
        try first.type("histmark + \"s\"\r")
        try first.wait(for: "^~~~~~~~~~~~~~")
        // Ctrl-C drops a half-typed continuation and gives a fresh prompt.
        try first.type("xs = [1,\r")
        try first.wait(for: "...:")
        try first.keys("C-c")
        try first.wait(for: "In [5]:", count: 2)
        try first.type("while true { }\r")
        Thread.sleep(forTimeInterval: 0.5)
        try first.keys("C-c")
        try first.wait(for: "interrupted")
        try first.type("histmark\r")
        try first.wait(for: "Out[6]: 41")
        try first.type(":quit\r")
        Thread.sleep(forTimeInterval: 0.3)

        // A second session recalls the first one's lines with the Up arrow.
        let second = try Pane(tmux: tmux, history: history)
        defer { second.close() }
        for _ in 0..<2 { try second.keys("Up") }
        try second.wait(for: "In [1]: histmark")
        try second.keys("C-u")
        try second.type("histmark = 1\r")
        try second.type("histmark\r")
        try second.wait(for: "Out[2]: 1")
    }

    /// An IPython user's habits in a real terminal: `?name` and `name?` show a builtin's help, `%time` times a
    /// statement, `help` lists the builtins, `!cmd` gets a hint, and `exit` ends the session.
    @Test(.enabled(if: tmux != nil, "tmux is not installed (scripts/deps test installs it)"))
    func ipythonHabits() throws {
        let tmux = try #require(Self.tmux)
        let history = NSTemporaryDirectory() + "brpsh-history-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: history) }
        let pane = try Pane(tmux: tmux, history: history)
        defer { pane.close() }
        try pane.type("?truth\r")
        try pane.wait(for: "The device's measured latency as a latency predictor")
        try pane.type("round?\r")
        try pane.wait(for: "round(x, digits: 0)")
        try pane.type("%time x = 6 * 7\r")
        try pane.wait(for: "time: ")
        try pane.type("x\r")
        try pane.wait(for: "Out[")
        try pane.wait(for: ": 42")
        try pane.type("help\r")
        try pane.wait(for: "brpsh builtins (help name for details):")
        try pane.type("!ls\r")
        try pane.wait(for: "brpsh does not run shell commands")
        try pane.type("exit\r")
        Thread.sleep(forTimeInterval: 0.5)
        // The session has ended: input goes to nothing and no new prompt appears.
        let prompts = try pane.screen().components(separatedBy: "In [").count
        try pane.type("1 + 1\r")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try pane.screen().components(separatedBy: "In [").count == prompts)
        #expect(!(try pane.screen().contains("Out[") && pane.screen().contains(": 2\n")))
    }

    /// A parent that blocks signals (as the test's own threads do) must not leave brpsh deaf
    /// to SIGTERM: it resets its signal mask at startup.
    @Test func sigtermStopsBrpshEvenWhenTheParentBlockedIt() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let pid = try Self.spawn([Self.binary], stdin: fds[0], stdout: "/dev/null", blocking: [SIGTERM, SIGHUP])
        close(fds[0])
        // Wait until it reads its input (it is past startup), then ask it to stop.
        let line = "print(1)\n"
        _ = line.withCString { write(fds[1], $0, strlen($0)) }
        Thread.sleep(forTimeInterval: 0.5)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(10)
        var done: pid_t = 0
        while done == 0 && Date() < deadline {
            done = waitpid(pid, &status, WNOHANG)
            if done == 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        close(fds[1])
        if done == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            Issue.record("brpsh ignored SIGTERM")
            return
        }
        // Terminated by the signal (low 7 bits of the status).
        #expect(status & 0x7f == SIGTERM)
    }

    /// Starts a program with this signal mask, stdin from a descriptor (or /dev/null), stdout
    /// to a file, stderr discarded.
    static func spawn(_ args: [String], stdin: Int32?, stdout: String, blocking signals: [Int32]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let fd = stdin {
            posix_spawn_file_actions_adddup2(&actions, fd, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for s in signals { sigaddset(&mask, s) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, args[0], &actions, &attributes, argv, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return pid
    }
}
