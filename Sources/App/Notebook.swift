import Builtins
import Foundation
import Infra
import Interpreter
import Lang

/// A Jupyter notebook (nbformat 4) of a script or a REPL session: one code cell per top-level
/// statement or REPL input, with its text output, tables as HTML and plots as SVG.
public final class Notebook {
    public struct Cell {
        public var source: String
        public var outputs: [[String: Any]] = []
        public var count: Int
    }

    public private(set) var cells: [Cell] = []

    public init() {}

    public func add(_ cell: Cell) { cells.append(cell) }

    /// The notebook as nbformat-4 JSON.
    public func json() throws -> Data {
        let nb: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": [
                "kernelspec": ["name": "brpsh", "display_name": "brpsh", "language": "brpsh"],
                "language_info": ["name": "brpsh", "version": Provenance.version, "file_extension": ".brp"],
            ],
            "cells": cells.enumerated().map { i, c -> [String: Any] in
                [
                    "cell_type": "code", "id": String(format: "cell-%04d", i), "metadata": [String: Any](),
                    "execution_count": c.count, "source": Notebook.lines(c.source), "outputs": c.outputs,
                ]
            },
        ]
        return try JSONSerialization.data(withJSONObject: nb, options: [.prettyPrinted, .sortedKeys])
    }

    /// Source text as notebook lines (each keeps its newline but the last).
    static func lines(_ s: String) -> [String] {
        let parts = s.components(separatedBy: "\n")
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }.filter {
            !$0.isEmpty
        }
    }

    public func write(to path: String) throws {
        do { try DurableFile.write(try json(), to: path) } catch let e as InfraError { throw CommandFailure(e.message) }
    }
}

/// Records what one cell prints and displays, passing it on to the real output.
public final class RecordingSink: OutputSink {
    let inner: OutputSink
    public var outputs: [[String: Any]] = []
    var stream = ""
    let count: () -> Int

    public init(_ inner: OutputSink, count: @escaping () -> Int) {
        self.inner = inner
        self.count = count
    }

    public var isInteractive: Bool { inner.isInteractive }

    public func write(_ text: String) {
        // Progress lines (carriage returns) are terminal-only.
        if !text.hasPrefix("\r") { stream += text }
        inner.write(text)
    }

    public func warn(_ text: String) { inner.warn(text) }

    public func display(_ value: Value, text: String) {
        record(value, result: true)
        inner.display(value, text: text)
    }

    /// A value shown by `display(...)`: a `display_data` output (a cell has one `execute_result`, its own result).
    public func displayData(_ value: Value, text: String) {
        record(value, result: false)
        inner.displayData(value, text: text)
    }

    private func record(_ value: Value, result: Bool) {
        flush()
        var data: [String: Any] = ["text/plain": Notebook.lines(RichDisplay.text(value))]
        if let html = RichDisplay.html(value) { data["text/html"] = Notebook.lines(html) }
        if let svg = RichDisplay.svg(value) { data["image/svg+xml"] = Notebook.lines(svg) }
        if result {
            outputs.append([
                "output_type": "execute_result", "execution_count": count(), "data": data, "metadata": [String: Any](),
            ])
        } else {
            outputs.append(["output_type": "display_data", "data": data, "metadata": [String: Any]()])
        }
    }

    /// Adds an error output.
    public func error(_ name: String, _ message: String) {
        flush()
        outputs.append([
            "output_type": "error", "ename": name, "evalue": message,
            "traceback": message.components(separatedBy: "\n"),
        ])
    }

    public func flush() {
        if !stream.isEmpty {
            outputs.append(["output_type": "stream", "name": "stdout", "text": Notebook.lines(stream)])
            stream = ""
        }
    }

    /// The outputs so far, and a fresh start for the next cell.
    public func take() -> [[String: Any]] {
        flush()
        defer { outputs = [] }
        return outputs
    }
}

/// HTML and SVG forms of values, for notebooks: lists of records (and objects whose plain value
/// is one) as tables, plottable objects as SVG.
public enum RichDisplay {
    public static func svg(_ v: Value) -> String? { FigureDisplay.svg(v) }

    /// text/plain: a figure as the terminal draws it (without colour), anything else as the REPL shows it.
    public static func text(_ v: Value) -> String { FigureDisplay.text(v) ?? Format.display(v, terminal: false) }

    public static func html(_ v: Value) -> String? {
        var rows: [Value]? = nil
        switch v {
        case .list(let xs): rows = xs
        case .object(let o): if case .list(let xs)? = o.plainValue() { rows = xs }
        default: break
        }
        guard let r = rows, let t = Table(records: r) else { return nil }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        var h = "<table>\n<thead><tr>" + t.columns.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in t.rows { h += "<tr>" + row.map { "<td>\(esc(Table.cell($0)))</td>" }.joined() + "</tr>\n" }
        return h + "</tbody>\n</table>"
    }
}
