import Figures
import Interpreter
import Lang

/// Objects that know how to draw themselves (`plot(o)`).
protocol Plottable {
    func figure() throws -> Figure
}

/// A figure in the language: drawn on the terminal, saved as SVG with `save(fig, "f.svg")`.
final class FigureObject: HostObject, MemberTable, Plottable {
    let value: Figure
    init(_ f: Figure) { value = f }

    var typeName: String { "figure" }

    static let members: [Member<FigureObject>] = [
        Member("svg", "the figure as SVG text") { o in .string(SVGRenderer().render(o.value)) },
        Member("panels", "how many panels it has") { o in .int(o.value.panels.count) },
        Member("save", "f.save(\"file.svg\"): writes it (also save(f, file))") { o in
            return .builtin(
                BuiltinFunction("save", [BuiltinParameter("file", .string)], doc: "Writes the figure as SVG.") { c in
                    let path = try Output.write(SVGRenderer().render(o.value), to: try c.string("file"), c)
                    OutputLog.of(c.interpreter).figures[path] = FigureBox(o.value)
                    return .nil
                })
        },
    ]

    func figure() throws -> Figure { value }

    var summary: String {
        let series = value.panels.reduce(0) { $0 + $1.series.count }
        let titles = value.panels.map(\.title).filter { !$0.isEmpty }
        return "figure(\(value.panels.count) panel\(value.panels.count == 1 ? "" : "s"), \(series) series"
            + (titles.isEmpty ? "" : ": " + titles.joined(separator: "; ")) + ") — save(fig, \"file.svg\") writes it"
    }

    func display() -> String { summary }
    func display(terminal: Bool) -> String { terminal ? TerminalRenderer(color: true).render(value) : summary }
    func inlineDisplay() -> String { "figure" }
}

/// Figures for other layers (notebooks).
public enum FigureDisplay {
    /// The SVG drawing of a value that can be plotted, else nil.
    public static func svg(_ v: Value) -> String? {
        guard case .object(let o) = v, let p = o as? Plottable, let f = try? p.figure() else { return nil }
        return SVGRenderer().render(f)
    }

    /// A figure as the terminal draws it, without colour (a notebook's text/plain, `jupyter console`).
    public static func text(_ v: Value, columns: Int = 100) -> String? {
        guard case .object(let o) = v, let p = o as? Plottable, let f = try? p.figure() else { return nil }
        return TerminalRenderer(color: false, columns: columns).render(f)
    }
}
