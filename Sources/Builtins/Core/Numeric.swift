import Foundation
import Interpreter
import Lang

extension CoreBuiltins {
    /// The numeric builtins, each checked to return finite numbers: a result that would be infinite or not a number
    /// (`sqrt(-1)`, `log(0)`, `exp(1000)`) is an error naming the call, never a value printed as `inf` or `nan`.
    static func numeric() -> [BuiltinFunction] {
        numericBuiltins().map { f in
            f.wrapping { body, c in
                let v = try body(c)
                if let bad = nonFinite(v) {
                    let args = ([c["x"], c["xs"]].first { !$0.isNil }).map { String(Format.repr($0).prefix(60)) } ?? ""
                    throw BuiltinError("\(f.name)(\(args)) \(bad)")
                }
                return v
            }
        }
    }

    /// Why a result is not a finite number ("is not a number", "is infinite"), or nil when it is finite.
    static func nonFinite(_ v: Value) -> String? {
        let d: Double
        switch v {
        case .number(let x): d = x
        case .quantity(let q): d = q.value
        case .list(let xs): return xs.lazy.compactMap(nonFinite).first
        default: return nil
        }
        if d.isNaN { return "is not a real number" }
        if d.isInfinite { return "is infinite (no float holds it; the largest is about 1.8e308)" }
        return nil
    }

    static func numericBuiltins() -> [BuiltinFunction] {
        let xs = BuiltinParameter("xs", .any, "a list or range of numbers or quantities of one unit")
        let x = BuiltinParameter("x", .oneOf([.number, .quantity(.time), .quantity(.percentage), .quantity(.energy)]))
        return [
            BuiltinFunction(
                "sum", [xs], doc: "The sum (0 for an empty list; quantities keep their unit).",
                body: { c in try sum(try numbers(c)) }),
            BuiltinFunction(
                "mean", [xs], doc: "The arithmetic mean.",
                body: { c in try mean(try numbers(c, nonEmpty: true), c) }),
            BuiltinFunction(
                "std",
                [xs, BuiltinParameter("ddof", .int, default: .int(1), "1: sample (n-1) std, 0: population std")],
                doc: "The standard deviation (sample, n-1, by default).",
                body: { c in try std(try numbers(c, nonEmpty: true), ddof: try c.int("ddof", min: 0), c) }),
            BuiltinFunction(
                "median", [xs], doc: "The median (the mean of the two middle values for an even count).",
                body: { c in
                    let v = try sortedNumbers(c)
                    let n = v.count
                    return n % 2 == 1 ? v[n / 2] : try mean([v[n / 2 - 1], v[n / 2]], c)
                }),
            BuiltinFunction(
                "min", [BuiltinParameter("xs", .any, "a list, or several values")],
                variadic: BuiltinParameter("more", .any),
                doc: "The smallest value: min(xs) or min(a, b, ...).",
                body: { c in try extreme(c, smallest: true) }),
            BuiltinFunction(
                "max", [BuiltinParameter("xs", .any, "a list, or several values")],
                variadic: BuiltinParameter("more", .any),
                doc: "The largest value: max(xs) or max(a, b, ...).",
                body: { c in try extreme(c, smallest: false) }),
            BuiltinFunction(
                "round", [x, BuiltinParameter("digits", .int, default: .int(0))],
                doc: "Rounds half away from zero to the given decimals; round(x) of a number is an integer.",
                body: { c in
                    let d = try c.int("digits", min: -15, max: 15)
                    let p = pow(10.0, Double(d))
                    func r(_ v: Double) -> Double { (v * p).rounded(.toNearestOrAwayFromZero) / p }
                    switch c["x"] {
                    case .quantity(let q): return .quantity(Quantity(r(q.value), q.unit))
                    case .int(let i): return .int(i)
                    case let v:
                        let y = r(v.asDouble!)
                        if d == 0 && !c.isGiven("digits"), abs(y) < 9e15 { return .int(Int(y)) }
                        return .number(y)
                    }
                }),
            unary("abs", "The absolute value.", Swift.abs, keepsUnit: true),
            unary("floor", "Rounds down.", { $0.rounded(.down) }, keepsUnit: true),
            unary("ceil", "Rounds up.", { $0.rounded(.up) }, keepsUnit: true),
            unary("sqrt", "The square root.", Foundation.sqrt),
            unary("log", "The natural logarithm.", Foundation.log),
            unary("exp", "e to the power x.", Foundation.exp),
            BuiltinFunction(
                "int", [BuiltinParameter("x", .oneOf([.number, .string]))],
                doc: "An integer from a number (truncating) or from text.",
                body: { c in
                    if case .string(let s) = c["x"] {
                        guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else {
                            throw c.fail("x", "not an integer: \(Format.quoted(s))")
                        }
                        return .int(i)
                    }
                    let d = try c.double("x")
                    guard d.isFinite, abs(d) < 9e18 else {
                        throw c.fail("x", "\(Format.number(d)) is not a finite integer")
                    }
                    return .int(Int(d))
                }),
            BuiltinFunction(
                "number", [BuiltinParameter("x", .oneOf([.number, .string]))],
                doc: "A number from a number or from text.",
                body: { c in
                    if case .string(let s) = c["x"] {
                        guard let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite else {
                            throw c.fail("x", "not a number: \(Format.quoted(s))")
                        }
                        return .number(d)
                    }
                    return .number(try c.double("x"))
                }),
        ]
    }

    static func unary(_ name: String, _ doc: String, _ f: @escaping (Double) -> Double, keepsUnit: Bool = false)
        -> BuiltinFunction
    {
        let type: ParamType =
            keepsUnit
            ? .oneOf([.number, .quantity(.time), .quantity(.percentage), .quantity(.energy)]) : .number
        return BuiltinFunction(name, [BuiltinParameter("x", type)], doc: doc) { c in
            switch c["x"] {
            case .quantity(let q): return .quantity(Quantity(f(q.value), q.unit))
            case .int(let i) where keepsUnit:
                // Integers stay exact: floor and ceil keep them; abs is checked (|Int.min| overflows).
                guard name == "abs" else { return .int(i) }
                guard i != Int.min else { throw c.fail("x", "integer overflow: |\(i)| is not an integer") }
                return .int(Swift.abs(i))
            case let v: return .number(f(v.asDouble!))
            }
        }
    }

    /// The numbers (or quantities of one dimension) of the `xs` argument.
    static func numbers(_ c: BuiltinCall, nonEmpty: Bool = false) throws -> [Value] {
        let values = try elements(c, "xs")
        if nonEmpty && values.isEmpty { throw c.fail("xs", "the list is empty") }
        var dimension: PhysicalUnit.Dimension?? = nil
        for v in values {
            let d: PhysicalUnit.Dimension?
            switch v {
            case .int, .number: d = nil
            case .quantity(let q): d = q.unit.dimension
            default: throw c.fail("xs", "numbers expected, found \(v.describeForError)")
            }
            if let seen = dimension, seen != d { throw c.fail("xs", "mixes numbers and quantities of different units") }
            dimension = .some(d)
        }
        return values
    }

    static func sum(_ values: [Value]) throws -> Value {
        guard var acc = values.first else { return .int(0) }
        for v in values.dropFirst() { acc = try Operators.apply(.add, acc, v) }
        return acc
    }

    static func mean(_ values: [Value], _ c: BuiltinCall) throws -> Value {
        try Operators.apply(.divide, try sum(values.map(asReal)), .int(values.count))
    }

    /// Integers become numbers so that sums of large integer lists cannot overflow.
    static func asReal(_ v: Value) -> Value {
        if case .int(let i) = v { return .number(Double(i)) }
        return v
    }

    static func std(_ values: [Value], ddof: Int, _ c: BuiltinCall) throws -> Value {
        guard values.count > ddof else { throw c.fail("xs", "needs more than \(ddof) values") }
        let m = try mean(values, c)
        var unit: PhysicalUnit? = nil
        var deviations: [Double] = []
        for v in values {
            let d = try Operators.apply(.subtract, asReal(v), m)
            switch d {
            case .quantity(let q):
                unit = q.unit
                deviations.append(q.value)
            default: deviations.append(d.asDouble!)
            }
        }
        var s = (deviations.reduce(0.0) { $0 + $1 * $1 } / Double(values.count - ddof)).squareRoot()
        if !s.isFinite {
            // The squares overflowed: sum them relative to the largest deviation (std([1e308, -1e308]) is 1.4e308).
            // Only then, so every std that was finite keeps its bits.
            let scale = deviations.map(Swift.abs).max() ?? 0
            let acc = deviations.reduce(0.0) { $0 + ($1 / scale) * ($1 / scale) }
            s = scale * (acc / Double(values.count - ddof)).squareRoot()
        }
        return unit.map { .quantity(Quantity(s, $0)) } ?? .number(s)
    }

    static func sortedNumbers(_ c: BuiltinCall) throws -> [Value] {
        let v = try numbers(c, nonEmpty: true)
        return try v.sorted { try Operators.ordering($0, $1) < 0 }
    }

    static func extreme(_ c: BuiltinCall, smallest: Bool) throws -> Value {
        let candidates: [Value]
        if c.rest.isEmpty {
            candidates = try elements(c, "xs")
        } else {
            candidates = [c["xs"]] + c.rest
        }
        guard var best = candidates.first else { throw c.fail("xs", "the list is empty") }
        for v in candidates.dropFirst() {
            do {
                let o = try Operators.ordering(v, best)
                if smallest ? o < 0 : o > 0 { best = v }
            } catch let e as Operators.Failure {
                throw c.fail("xs", e.message)
            }
        }
        return best
    }
}
