import Foundation
import Interpreter
import Lang

extension CoreBuiltins {
    static func basics() -> [BuiltinFunction] {
        [
            BuiltinFunction(
                "print", variadic: BuiltinParameter("values", .any, "values to print, separated by spaces"),
                doc: "Prints values separated by spaces (strings without quotes), then a newline.",
                body: { c in
                    c.output.write(c.rest.map(Format.str).joined(separator: " ") + "\n")
                    return .nil
                }),
            BuiltinFunction(
                "warn", variadic: BuiltinParameter("values", .any, "values to say, separated by spaces"),
                doc:
                    "Says \"warning: \" and the values on standard error (in Jupyter, the cell's stderr stream), then a newline, and records them in the run's provenance.json (`warnings`); the script goes on.",
                body: { c in
                    Caching.warn(c, c.rest.map(Format.str).joined(separator: " "))
                    return .nil
                }),
            BuiltinFunction(
                "display", variadic: BuiltinParameter("values", .any, "values to show"),
                doc:
                    "Shows each value as a cell's result is shown (in Jupyter: a table as HTML, a figure as SVG), so one cell can show several.",
                body: { c in
                    for v in c.rest {
                        c.output.displayData(v, text: Format.display(v, terminal: c.output.isInteractive))
                    }
                    return .nil
                }),
            BuiltinFunction(
                "len", [BuiltinParameter("x", .any, "a list, string, range, record or sequence object")],
                doc: "The number of elements (characters of a string, fields of a record).",
                body: { c in
                    switch c["x"] {
                    case .list(let xs): return .int(xs.count)
                    case .string(let s): return .int(s.count)
                    case .range(let r): return .int(r.count)
                    case .record(let r): return .int(r.count)
                    case .object(let o):
                        guard let n = try o.length() else {
                            throw c.fail("x", "list, string, range or record expected, got \(c["x"].describeForError)")
                        }
                        return .int(n)
                    case let v: throw c.fail("x", "list, string, range or record expected, got \(v.describeForError)")
                    }
                }),
            BuiltinFunction(
                "type", [BuiltinParameter("x", .any)],
                doc:
                    "The type name of a value: int, number, quantity(time), string, list, record, range, function, ...",
                body: { c in .string(c["x"].typeName) }),
            BuiltinFunction(
                "assert",
                [
                    BuiltinParameter("condition", .bool),
                    BuiltinParameter("message", .string, default: .string("assertion failed")),
                ],
                doc: "Stops with a runtime error (exit status 70) when the condition is false.",
                body: { c in
                    if try c.bool("condition") { return .nil }
                    throw c.fail("assertion failed: \(try c.string("message"))")
                }),
            BuiltinFunction(
                "json", [BuiltinParameter("x", .any), BuiltinParameter("pretty", .bool, default: .bool(false))],
                doc: "The value as compact JSON text (quantities as strings like \"1.25ms\").",
                body: { c in
                    do {
                        return .string(try JSON.encode(c["x"], pretty: try c.bool("pretty")))
                    } catch let e as JSON.Failure {
                        throw c.fail("x", e.message)
                    }
                }),
            BuiltinFunction(
                "str", [BuiltinParameter("x", .any)],
                doc: "The value as text, as print shows it.",
                body: { c in .string(Format.str(c["x"])) }),
            BuiltinFunction(
                "repr", [BuiltinParameter("x", .any)],
                doc: "The value as text, as the REPL displays it (strings quoted).",
                body: { c in .string(Format.repr(c["x"])) }),
            BuiltinFunction(
                "format",
                [
                    BuiltinParameter(
                        "x", .oneOf([.number, .quantity(.time), .quantity(.percentage), .quantity(.energy)])),
                    BuiltinParameter("digits", .int, default: .int(2), "digits after the decimal point"),
                ],
                doc: "A number or quantity with a fixed number of decimals: format(85.234, 1) is \"85.2\".",
                body: { c in
                    let digits = try c.int("digits", min: 0, max: 17)
                    switch c["x"] {
                    case .quantity(let q): return .string(String(format: "%.\(digits)f", q.value) + q.unit.symbol)
                    case let v: return .string(String(format: "%.\(digits)f", v.asDouble!))
                    }
                }),
            BuiltinFunction(
                "seed", [BuiltinParameter("n", .oneOf([.int, .string]), "the new default seed")],
                doc: "Sets the session's default seed, used by every builtin called without seed:.",
                command: true,
                body: { c in
                    if case .string(let s) = c["n"] {
                        guard let n = Int(s) else { throw c.fail("n", "integer expected, got string \"\(s)\"") }
                        c.interpreter.seed = n
                    } else {
                        c.interpreter.seed = try c.int("n")
                    }
                    return .nil
                }),
            BuiltinFunction(
                "clock", doc: "Seconds since brpsh started (monotonic), for timing.",
                body: { _ in .number(Clock.seconds()) }),
            BuiltinFunction(
                "help", [BuiltinParameter("name", .any, default: .nil, "a builtin, a function, or its name")],
                doc: "Describes a builtin (signature, parameters) or lists them all.",
                command: true,
                body: { c in
                    c.output.write(Help.text(for: c["name"], in: c.interpreter) + "\n")
                    return .nil
                }),
            BuiltinFunction(
                "error", [BuiltinParameter("message", .string)],
                doc: "Stops with a runtime error carrying the message.",
                body: { c in throw c.fail(try c.string("message")) }),
        ]
    }
}

/// Monotonic time since the process started.
enum Clock {
    static let start = DispatchTime.now().uptimeNanoseconds
    static func seconds() -> Double {
        let origin = start  // initialised on first use: read it before the current time
        return Double(DispatchTime.now().uptimeNanoseconds - origin) / 1e9
    }
}
