import CEditLine
import Foundation
import Interpreter

/// Line editing, history and completion through libedit's readline-compatible interface.
/// The only file that imports libedit.
///
/// libedit calls completion through a C function pointer that cannot capture context, so the
/// completer lives in one static slot while a reader exists (there is one terminal).
public final class EditLineReader: LineReader {
    /// The history file, or nil for none (kept in memory for the session only).
    let historyPath: String?
    // Unsafe but sound: libedit calls back on the thread that called readline, the only one using these.
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var matches: [String] = []

    public init(historyPath: String?, completer: Completer) {
        self.historyPath = historyPath
        EditLineReader.completer = completer
        brpsh_rl_set_name(UnsafePointer(strdup("brpsh")))
        // Word boundaries for completion: `gcn(dev` completes `dev`, `p.te` completes `te`.
        brpsh_rl_set_word_breaks(UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{([,.+-*/%")))
        brpsh_rl_set_completion { text, start, end in
            EditLineReader.completions(text, start, end)
        }
        // Ctrl-C: libedit's own handler would put the terminal in cooked mode and keep
        // reading. Instead our handler sets the interrupt flag (in whichever thread the
        // signal lands), and this reader, which waits for input in short polls, answers
        // end-of-input so readline returns at once.
        brpsh_rl_set_catch_signals(0)
        brpsh_rl_set_getc { _ in
            var byte: UInt8 = 0
            while true {
                if Interrupt.isRequested { return -1 }
                var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                let ready = poll(&fds, 1, 50)
                if ready == 0 || (ready < 0 && errno == EINTR) { continue }
                let n = read(STDIN_FILENO, &byte, 1)
                if n == 1 { return Int32(byte) }
                if n < 0 && errno == EINTR { continue }
                return -1
            }
        }
        // libedit initialises itself here, reading the settings above.
        using_history()
        stifle_history(5000)
        if let path = historyPath { _ = read_history(path) }
    }

    public func readLine(prompt: String) -> LineReaderResult {
        Interrupt.clear()
        guard let cLine = readline(prompt) else {
            if Interrupt.isRequested {
                Interrupt.clear()
                return .interrupted
            }
            return .eof
        }
        defer { free(cLine) }
        if Interrupt.isRequested {
            Interrupt.clear()
            return .interrupted
        }
        return .line(String(cString: cLine))
    }

    public func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
        if let path = historyPath { _ = write_history(path) }
    }

    static func completions(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<
        UnsafeMutablePointer<CChar>?
    >? {
        brpsh_rl_set_completion_over(1)
        guard let completer = completer, let buffer = brpsh_rl_line_buffer() else { return nil }
        let line = String(cString: buffer)
        let result = completer.complete(line: line, cursor: Int(end))
        // libedit replaces the text between its word start and the cursor; our word may
        // start elsewhere (':' commands), so return candidates relative to libedit's word.
        let offset = Int(start) - result.start
        matches = offset < 0 ? [] : result.candidates.compactMap { String(Substring($0).utf8.dropFirst(offset)) }
        if matches.isEmpty { return nil }
        // A lone function name completes with '(' (then its parameters complete), a
        // parameter name `device:` with a space.
        brpsh_rl_set_append_character(Int32(UInt8(ascii: " ")))
        if matches.count == 1, completer.isCallable(result.candidates[0]) {
            brpsh_rl_set_append_character(Int32(UInt8(ascii: "(")))
        }
        return rl_completion_matches(text) { _, state in
            let i = Int(state)
            guard i < EditLineReader.matches.count else { return nil }
            return strdup(EditLineReader.matches[i])
        }
    }
}
