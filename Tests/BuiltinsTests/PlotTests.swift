import Figures
import Foundation
import FoundationXML
import Interpreter
import Lang
import REPL
import Testing

@testable import Builtins

/// SVG output is checked for structure: well-formed XML, the expected panels, series and labels.
@Suite struct PlotTests {
    final class SVGSummary: NSObject, XMLParserDelegate {
        var panels = 0
        var seriesLabels: [String] = []
        var texts: [String] = []
        var text = ""
        var width = 0.0
        var frames: [(x: Double, width: Double)] = []
        var legends: [Double] = []
        var inLegend = false
        func parser(
            _ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "g", attributes["class"] == "panel" { panels += 1 }
            if name == "svg" { width = Double(attributes["width"] ?? "") ?? 0 }
            if name == "g" { inLegend = attributes["class"] == "legend" }
            if name == "rect", let x = attributes["x"].flatMap(Double.init) {
                if inLegend {
                    legends.append(x)
                } else if attributes["fill"] == "none", attributes["stroke"] == "black" {
                    frames.append((x, Double(attributes["width"] ?? "") ?? 0))
                }
            }
            if attributes["class"] == "series", let l = attributes["data-label"] { seriesLabels.append(l) }
            text = ""
        }
        func parser(_ p: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(text) }
        }
    }

    func run(_ code: String) throws -> (String, String) {
        let out = StringSink()
        let interpreter = Builtins.makeInterpreter(
            output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "t", text: code))
        let err = failure?.description ?? ""
        #expect(failure == nil, "\(err)")
        return (out.text, err)
    }

    func parse(_ path: String) throws -> SVGSummary {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let parser = XMLParser(data: data)
        let s = SVGSummary()
        parser.delegate = s
        #expect(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return s
    }

    @Test func linePlotWithLegendAndUnits() throws {
        let path = NSTemporaryDirectory() + "brpsh-plot-\(UInt32.random(in: 0...UInt32.max)).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try run(
            """
            t = 1ms..7ms step 0.5
            f = plot([{x: t, y: map(t) { v -> v.ms ** 2 }, label: "square <&>"}, {x: t, y: map(t) { v -> 10 * v.ms }, label: "linear", kind: "scatter"}], title: "Demo", xlabel: "limit")
            save(f, "\(path)")
            """)
        let s = try parse(path)
        #expect(s.panels == 1)
        #expect(s.seriesLabels == ["square <&>", "linear"])
        #expect(s.texts.contains("Demo") && s.texts.contains("limit (ms)") && s.texts.contains("square <&>"))
        #expect(s.texts.contains("2") && s.texts.contains("40"))  // tick labels
    }

    /// A legend of many series would hide data in any corner, so it goes beside the frame and the
    /// figure grows; a small one stays inside the frame.
    @Test func largeLegendGoesBesideTheFrame() throws {
        let path = NSTemporaryDirectory() + "brpsh-legend-\(UInt32.random(in: 0...UInt32.max)).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try run(
            """
            xs = [1, 2, 3, 4]
            few = plot([{x: xs, y: xs, label: "one"}, {x: xs, y: [4, 3, 2, 1], label: "two"}])
            many = plot(map(1..7) { k -> {x: xs, y: map(xs) { v -> v * k }, label: "series number \\(k)"} })
            save(few, "\(path).few.svg")
            save(many, "\(path)")
            """)
        defer { try? FileManager.default.removeItem(atPath: path + ".few.svg") }
        let few = try parse(path + ".few.svg")
        let many = try parse(path)
        #expect(few.frames.count == 1 && many.frames.count == 1 && few.legends.count == 1 && many.legends.count == 1)
        let f = few.frames[0]
        let m = many.frames[0]
        #expect(few.legends[0] > f.x && few.legends[0] < f.x + f.width)
        #expect(many.legends[0] > m.x + m.width)
        #expect(many.width > few.width && m.width == f.width)
    }

    /// A logarithmic y axis: decade ticks (with 2 and 5 between when it spans two decades), and
    /// non-positive values are an error naming the argument.
    @Test func logarithmicYAxis() throws {
        let path = NSTemporaryDirectory() + "brpsh-log-\(UInt32.random(in: 0...UInt32.max)).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try run(
            """
            save(plot(x: [1, 2, 3, 4], y: [0.8, 0.2, 0.05, 0.03], ylog: true), "\(path)")
            """)
        let s = try parse(path)
        for tick in ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"] {
            #expect(s.texts.contains(tick), "tick \(tick)")
        }
        #expect(!s.texts.contains("0.4"))
        let out = StringSink()
        let failure = Pipeline(
            interpreter: Builtins.makeInterpreter(
                output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        )
        .run(SourceFile(name: "t", text: "plot(x: [1, 2], y: [1, 0], ylog: true)"))
        let err = failure?.description ?? ""
        #expect(failure != nil)
        #expect(
            err.contains("bad argument 'ylog' to 'plot' (a logarithmic axis needs positive y values, found 0)"),
            "\(err)")
    }

    @Test func trainingHistoryAndGrid() throws {
        let path = NSTemporaryDirectory() + "brpsh-grid-\(UInt32.random(in: 0...UInt32.max)).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try run(
            """
            h = map(0..9) { e -> {epoch: e, train_loss: 1 / (e + 1), valid_loss: 1.2 / (e + 1), lr: 0.001} }
            a = plot(h)
            b = scatter(x: [1, 2, 3], y: [3, 1, 2], label: "points")
            save(grid([a, b], cols: 2, title: "Grid"), "\(path)")
            """)
        let s = try parse(path)
        #expect(s.panels == 3)
        #expect(s.seriesLabels.contains("validation") && s.seriesLabels.contains("points"))
        #expect(s.texts.contains("Grid"))
    }

    @Test func csvAndJSONOutputs() throws {
        let dir = NSTemporaryDirectory() + "brpsh-save-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try run(
            """
            rows = [{name: "a,b", t: 1.5ms, n: 1}, {name: "c", t: 250us, n: nil}]
            save(rows, "\(dir)/r.csv")
            save({k: [1, 2]}, "\(dir)/k.json")
            """)
        let csv = try String(contentsOfFile: dir + "/r.csv", encoding: .utf8)
        #expect(csv == "name,t (ms),n\n\"a,b\",1.5,1\nc,0.25,\n")
        let json = try String(contentsOfFile: dir + "/k.json", encoding: .utf8)
        #expect(json == "{\n  \"k\": [1, 2]\n}\n")
    }

    @Test func terminalChartDraws() throws {
        let out = StringSink()
        let interpreter = Builtins.makeInterpreter(
            output: out, settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        let failure = Pipeline(interpreter: interpreter).run(
            SourceFile(name: "t", text: "plot(x: [0, 1, 2, 3], y: [0, 1, 4, 9], label: \"sq\")")
        ) { v, _ in
            out.write(Format.display(v, terminal: true))
        }
        #expect(failure == nil)
        #expect(out.text.unicodeScalars.contains { $0.value >= 0x2801 && $0.value <= 0x28FF })
        #expect(out.text.contains("sq"))
    }
}

/// Axis limits never drop data silently; terminal charts fill the terminal's width and put panels side by side.
@Suite struct PlotLimitTests {
    static func run(_ code: String) throws -> Interpreter {
        let interpreter = Builtins.makeInterpreter(
            output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "t", text: code))
        #expect(failure == nil, "\(failure?.description ?? "")")
        return interpreter
    }

    /// Bars: one rect per finite value, heights proportional to the values from a zero baseline, error bars, the
    /// categories under the groups; on the terminal one line per bar. Heat maps: a shaded cell with its value each.
    @Test func barsAndHeatMaps() throws {
        let i = try Self.run(
            """
            rows = [{d: "a", p: "x", v: 36.0, s: 4.0}, {d: "a", p: "y", v: 6.0, s: 1.0}, {d: "b", p: "x", v: 18.0, s: 2.0}, {d: "b", p: "y", v: nil, s: 0}]
            b = bars(rows, x: "d", y: "v", by: "p", err: "s")
            h = heatmap([[1, 0.5], [nil, 0.25]], rows: ["r1", "r2"], cols: ["c1", "c2"], digits: 2)
            bsvg = b.svg
            hsvg = h.svg
            """)
        guard case .string(let bsvg)? = i.globals.lookup("bsvg"), case .string(let hsvg)? = i.globals.lookup("hsvg")
        else {
            Issue.record("no svg")
            return
        }
        let heights = bsvg.split(separator: "\n").filter { $0.contains("class=\"bar\"") }.compactMap {
            line -> Double? in
            guard let r = line.range(of: "height=\"") else { return nil }
            return Double(line[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(heights.count == 3)
        if heights.count == 3 {
            #expect(abs(heights[0] / heights[1] - 2) < 0.01 && abs(heights[0] / heights[2] - 6) < 0.05)
        }
        #expect(bsvg.components(separatedBy: "class=\"err\"").count == 4)
        #expect(bsvg.contains(">a</text>") && bsvg.contains(">b</text>"))
        #expect(
            hsvg.components(separatedBy: "class=\"cell\"").count == 4 && hsvg.contains(">0.25</text>")
                && hsvg.contains(">r2</text>"))
        guard case .object(let bo)? = i.globals.lookup("b"), let bf = bo as? FigureObject,
            case .object(let ho)? = i.globals.lookup("h"), let hf = ho as? FigureObject
        else {
            Issue.record("no figures")
            return
        }
        let text = TerminalRenderer(color: false, columns: 80).render(bf.value).split(separator: "\n")
        #expect(text.contains { $0.hasPrefix("a  x  ") && $0.hasSuffix("36.0 ± 4.00") })
        #expect(text.contains { $0.hasPrefix("   y  ") && $0.hasSuffix("–") })
        let heat = TerminalRenderer(color: false, columns: 80).render(hf.value)
        #expect(heat.contains("█ 1.00") && heat.contains("░ 0.25"))
        let bad = Pipeline(
            interpreter: Builtins.makeInterpreter(
                output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        )
        .run(SourceFile(name: "t", text: "heatmap([[1, 2]], rows: [\"a\", \"b\"])"))
        #expect(bad?.description.contains("a 1×2 matrix for 2 row and 2 column labels") == true)
    }

    @Test func limitsAreNamedAndCounted() throws {
        let i = try Self.run(
            """
            f = plot(x: [1, 2, 3, 4], y: [60, 69, 70, 71], label: "a", ylim: [68, nil], xlim: [nil, 3.5])
            svg = f.svg
            """)
        guard case .string(let svg)? = i.globals.lookup("svg") else {
            Issue.record("no svg")
            return
        }
        #expect(svg.contains("2 points outside the axes are not drawn"))  // (1, 60) below, (4, 71) right
        guard case .object(let o)? = i.globals.lookup("f"), let fig = o as? FigureObject else {
            Issue.record("no figure")
            return
        }
        let text = TerminalRenderer(color: false, columns: 100).render(fig.value)
        #expect(text.contains("(2 points outside the axes are not drawn)"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
        #expect(text.contains("68┤") && text.contains("70┤"))  // y labels at the ticks, not only the ends
        let bad = Pipeline(
            interpreter: Builtins.makeInterpreter(
                output: StringSink(), settings: SessionSettings(environment: ProcessInfo.processInfo.environment))
        )
        .run(SourceFile(name: "t", text: "plot(x: [1, 2], y: [1, 2], ylim: [3, 1])"))
        #expect(bad?.description.contains("the low end must be below the high end") == true)
    }

    @Test func panelsSideBySideWhenWide() throws {
        let i = try Self.run(
            "g = grid([plot(x: [1, 2], y: [1, 2], title: \"a\"), plot(x: [1, 2], y: [2, 1], title: \"b\")], cols: 2)")
        guard case .object(let o)? = i.globals.lookup("g"), let fig = o as? FigureObject else {
            Issue.record("no figure")
            return
        }
        let wide = TerminalRenderer(color: false, columns: 140).render(fig.value).split(separator: "\n")
        #expect(wide.first?.contains("a") == true && wide.first?.contains("b") == true)  // one row of two panels
        let narrow = TerminalRenderer(color: false, columns: 60).render(fig.value).split(separator: "\n")
        #expect(narrow.count > 2 * 14)  // stacked
    }
}
