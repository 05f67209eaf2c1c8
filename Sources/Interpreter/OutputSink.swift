import Foundation

/// Where output goes. Injected, so tests and notebooks capture it without a terminal.
public protocol OutputSink: AnyObject {
    /// Plain text, as `print` writes it (the text includes its newline).
    func write(_ text: String)
    /// A displayed result: the value and the text it shows as. Rich front ends (notebooks)
    /// may render the value differently (a table as HTML, a plot as SVG).
    func display(_ value: Value, text: String)
    /// A value shown by `display(...)` rather than as an input's result (Jupyter: `display_data`, not the
    /// execution's one `execute_result`); elsewhere shown as `display` shows it.
    func displayData(_ value: Value, text: String)
    /// Whether a human watches this output live (progress lines are shown only then).
    var isInteractive: Bool { get }
    /// A figure was saved to `path` (`save(plot(...), "f.svg")`): rich front ends show it inline too.
    func showSaved(_ value: Value, path: String)
    /// A warning or note for the person running the code (the text includes its newline): standard error by
    /// default, so a script's stdout stays its results; the Jupyter kernel shows it in the cell as a stderr stream.
    func warn(_ text: String)
}

extension OutputSink {
    public func display(_ value: Value, text: String) { write(text + "\n") }
    public func displayData(_ value: Value, text: String) { display(value, text: text) }
    public var isInteractive: Bool { false }
    public func showSaved(_ value: Value, path: String) {}
    public func warn(_ text: String) { Stderr.write(text) }
}

/// Standard error, unbuffered.
public enum Stderr {
    public static func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Collects output in a string (tests, `:time`, captured runs).
public final class StringSink: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ s: String) { text += s }
    public func clear() { text = "" }
}

/// Writes to standard output, unbuffered per call.
public final class StandardOutput: OutputSink {
    public let isInteractive: Bool
    /// A progress line is on the terminal, not ended: text that follows clears it first (a warning on stderr used to
    /// run on from it: `… ETA 0swarning: ...`).
    private var progressOpen = false
    public init(interactive: Bool) { isInteractive = interactive }

    public func write(_ s: String) {
        if s.hasPrefix("\r") {
            progressOpen = s != "\r\u{1B}[K" && !s.hasSuffix("\n")
        } else if progressOpen {
            progressOpen = false
            raw("\r\u{1B}[K")
        }
        raw(s)
    }

    public func warn(_ text: String) {
        if progressOpen {
            progressOpen = false
            raw("\r\u{1B}[K")
        }
        Stderr.write(text)
    }

    private func raw(_ s: String) {
        // write(2) on descriptor 1, unbuffered, retried until all is written; anything `print` left in C's
        // stdio buffers goes first, so the order of the output is kept.
        fflush(nil)
        var s = s
        s.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(STDOUT_FILENO, buf.baseAddress! + offset, buf.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
