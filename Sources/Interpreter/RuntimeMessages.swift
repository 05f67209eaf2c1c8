import Lang

/// The catalogue of the interpreter's run-time messages (the parser's are in `Messages`), so every message
/// reads the same way: what went wrong, with the values involved described the same way everywhere.
public enum RuntimeMessages {
    // Calls.
    static func notCallable(_ what: String) -> String { "cannot call \(what): it is not a function" }
    static func tooDeep(_ limit: Int, _ name: String) -> String {
        "too many nested calls (more than \(limit)): runaway recursion in '\(name)'?"
    }
    static func missingArgument(_ p: String, _ f: String, parameters: [String]) -> String {
        "missing argument '\(p)' to '\(f)' (parameters: \(parameters.joined(separator: ", ")))"
    }
    static func missingBuiltinArgument(_ p: String, _ b: BuiltinFunction) -> String {
        "missing argument '\(p)' to '\(b.name)' (\(b.signature))"
    }
    static func outsideLoop(_ keyword: String, in f: String? = nil) -> String {
        "'\(keyword)' outside a loop" + (f.map { " in '\($0)'" } ?? "")
    }
    static let returnOutsideFunction = "'return' outside a function"
    static let interrupted = "interrupted"
    static func unknownCommand(_ name: String) -> String { "unknown command '\(name)'" }

    // Values, fields, indices.
    static func noRecordField(_ name: String) -> String { "record has no field '\(name)'" }
    static func cannotSetField(_ name: String, of v: Value) -> String {
        "cannot set field '\(name)' of \(v.describeForError)"
    }
    static func cannotAssignElement(of v: Value) -> String { "cannot assign an element of \(v.describeForError)" }
    static func indexNotInteger(_ v: Value) -> String { "index must be an integer, got \(v.describeForError)" }
    static func indexOutOfRange(_ i: Int, count: Int) -> String { "index \(i) out of range (length \(count))" }
    static func cannotIndex(_ base: Value, with index: Value) -> String {
        "cannot index \(base.describeForError) with \(index.describeForError)"
    }
    static func noField(_ base: String, _ name: String) -> String { "\(base) has no field '\(name)'" }
    static func noQuantityField(_ dimension: String, _ name: String, fields: [String]) -> String {
        "\(dimension) has no field '\(name)' (fields: \(fields.joined(separator: ", ")))"
    }

    // Operators.
    static func negationOverflow(_ i: Int) -> String { "integer overflow in -(\(i))" }
    static let divisionByZero = "division by zero"
    static let remainderByZero = "remainder by zero"
    static let orderNaN = "cannot order nan"
    static func integerOverflow(_ x: Int, _ op: String, _ y: Int) -> String { "integer overflow in \(x) \(op) \(y)" }
    static func powerOverflow(_ x: Int, _ y: Int) -> String {
        "integer overflow in \(x) ** \(y) (write \(x).0 ** \(y) for a float)"
    }
    static func repeatTooLarge(_ what: String, _ size: Int, _ n: Int, limit: Int) -> String {
        let unit = what == "list" ? "elements" : "bytes"
        let held = size > limit ? "more than \(limit) \(unit)" : "\(size)"
        return
            "a \(what) of \(held) repeated \(n) times is too large (the limit is \(limit) \(unit)\(what == "list" ? ", nested lists included" : ""))"
    }
    static func cannotApply(_ op: String, to v: Value) -> String { "cannot apply '\(op)' to \(v.describeForError)" }

    // Ranges.
    static func rangeUnits(_ a: String, _ b: String) -> String { "range ends have different units ('\(a)' and '\(b)')" }
    static func rangeEnds(_ a: Value, _ b: Value) -> String {
        "range ends must be numbers or quantities of one unit, got \(a.describeForError) and \(b.describeForError)"
    }
    static func rangeStepType(_ v: Value) -> String { "range step must be a number, got \(v.describeForError)" }
    static let rangeZeroStep = "range step must be a non-zero finite number"
    static func rangeTooLarge(_ limit: Int) -> String { "range is too large (more than \(limit) elements)" }
    static func rangeStepUnit(_ step: String, _ unit: String) -> String {
        "range step '\(step)' does not match the range's unit '\(unit)'"
    }
    static func rangeStepKind(_ v: Value) -> String {
        "range step must be a number or a quantity, got \(v.describeForError)"
    }

    // Statements.
    static func notIterable(_ v: Value) -> String { "cannot iterate over \(v.describeForError)" }
    static func cannotUnpack(_ v: Value, into n: Int) -> String {
        "cannot unpack \(v.describeForError) into \(n) loop variables"
    }
    static func conditionNotBool(_ v: Value) -> String { "condition must be true or false, got \(v.describeForError)" }
}
