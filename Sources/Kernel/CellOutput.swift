import Foundation

/// Where one cell's output goes: text as `stream` messages, a progress line as one display updated in place, values
/// as MIME bundles. A value the cell shows (`show`) is held back until something else is output: then it goes out as
/// `display_data` (a cell that shows several values), or, when the cell ends, as the execution's one
/// `execute_result`, so output keeps its order and the protocol's one result per execution holds. A silent
/// execution outputs nothing. Used on the shell thread only.
public final class CellOutput {
    private let publish: (String, [String: Any]) -> Void
    private let count: Int
    public let silent: Bool
    /// The last value the cell showed, not sent yet (its MIME bundle).
    private var pending: [String: Any]?
    /// The display that shows the current progress line.
    private var progressID: String?

    init(count: Int, silent: Bool, publish: @escaping (String, [String: Any]) -> Void) {
        self.count = count
        self.silent = silent
        self.publish = publish
    }

    /// Text on the cell's `stdout` or `stderr` stream.
    public func stream(_ name: String, _ text: String) {
        guard !silent else { return }
        flush()
        publish("stream", ["name": name, "text": text])
    }

    /// A progress line: one display, updated in place (`update_display_data`), so a saved notebook keeps its last
    /// state instead of every update. An empty line ends it; the display keeps the last line it showed (an empty
    /// display would be left in the notebook).
    public func progress(_ line: String) {
        guard !silent else { return }
        flush()
        if let id = progressID {
            if line.isEmpty {
                progressID = nil
                return
            }
            publish(
                "update_display_data",
                ["data": ["text/plain": line], "metadata": [String: Any](), "transient": ["display_id": id]])
        } else if !line.isEmpty {
            let id = UUID().uuidString.lowercased()
            progressID = id
            publish(
                "display_data",
                ["data": ["text/plain": line], "metadata": [String: Any](), "transient": ["display_id": id]])
        }
    }

    /// A value the cell shows as its result (held back, see the type's comment).
    public func show(_ bundle: [String: Any]) {
        guard !silent else { return }
        flush()
        pending = bundle
    }

    /// A value displayed now (`display_data`).
    public func display(_ bundle: [String: Any]) {
        guard !silent else { return }
        flush()
        publish("display_data", ["data": bundle, "metadata": [String: Any]()])
    }

    /// Something else is output: a held-back value goes out first, as a display.
    private func flush() {
        guard let data = pending else { return }
        pending = nil
        publish("display_data", ["data": data, "metadata": [String: Any]()])
    }

    /// The cell ended: the held-back value is the execution's result.
    func finish() {
        if let data = pending, !silent {
            publish("execute_result", ["execution_count": count, "data": data, "metadata": [String: Any]()])
        }
        pending = nil
    }
}
