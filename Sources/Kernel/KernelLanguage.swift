import Foundation

/// What a language gives the kernel: the protocol core (`KernelServer`) knows sockets, signing, dispatch and
/// busy/idle; a language knows how to run a cell, complete and inspect code, and what ran before. brpsh implements
/// it in the front end (App's `BrpshLanguage`); the kernel's own tests run a stand-in language.
public protocol KernelLanguage: AnyObject {
    /// `kernel_info_reply`'s description of the language.
    var info: KernelLanguageInfo { get }
    /// The number the next execution gets (`execution_count`).
    var executionCount: Int { get }
    /// The inputs that ran, with their numbers (for `history_request`).
    var history: [(number: Int, code: String)] { get }
    /// Runs a cell on the shell thread, its output sent through `output` as it is produced.
    func execute(_ code: String, output: CellOutput) -> CellResult
    /// Whether code is complete, an unfinished input, or invalid (`is_complete_request`).
    func isComplete(_ code: String) -> CodeCompleteness
    /// Completions for one line of code with the cursor at a UTF-8 offset: where the completed word starts (UTF-8
    /// offset in the line) and the candidates. The kernel does the protocol's code-point cursor arithmetic.
    func complete(line: String, cursor: Int) -> (start: Int, matches: [String])
    /// Help for a name (Shift-Tab), nil when the name is unknown.
    func inspect(_ name: String) -> String?
    /// Asks a running cell to stop at its next check (called on the control thread).
    func interrupt()
}

public struct KernelLanguageInfo {
    public var implementation: String
    public var version: String
    public var name: String
    public var mimetype: String
    public var fileExtension: String
    public var banner: String

    public init(
        implementation: String, version: String, name: String, mimetype: String, fileExtension: String,
        banner: String
    ) {
        self.implementation = implementation
        self.version = version
        self.name = name
        self.mimetype = mimetype
        self.fileExtension = fileExtension
        self.banner = banner
    }
}

public enum CodeCompleteness: String {
    case complete, incomplete, invalid
}

/// How a cell ended.
public enum CellResult {
    case ok
    /// The cell asked to leave (`exit`): the frontend is asked to close (`ask_exit`).
    case quit
    case error(CellError)
}

/// A cell's error as the protocol carries it: a name (`KeyboardInterrupt` for an interrupted cell), the message and
/// the traceback lines. Built by the language from its own structured failure, never recovered from rendered text.
public struct CellError: Equatable {
    public var name: String
    public var value: String
    public var traceback: [String]

    public init(name: String, value: String, traceback: [String]) {
        self.name = name
        self.value = value
        self.traceback = traceback
    }
}
