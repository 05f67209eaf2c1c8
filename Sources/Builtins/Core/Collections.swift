import Interpreter
import Lang

extension CoreBuiltins {
    static func collections() -> [BuiltinFunction] {
        let seq = BuiltinParameter("xs", .any, "a list, range, string or sequence")
        let fnParam = BuiltinParameter("f", .function)
        return [
            BuiltinFunction(
                "list", [BuiltinParameter("x", .any, "a range, string, list or sequence")],
                doc: "The elements as a list (a range's values, a string's characters).",
                body: { c in .list(try elements(c, "x")) }),
            BuiltinFunction(
                "range",
                [
                    BuiltinParameter("start", .int), BuiltinParameter("end", .optional(.int), default: .nil),
                    BuiltinParameter("step", .int, default: .int(1)),
                ],
                doc: "Integers from start up to but excluding end (range(5) is 0..4), like Python's range.",
                body: { c in
                    var start = try c.int("start")
                    var end: Int
                    if let e = try c.optionalInt("end") { end = e } else { (start, end) = (0, start) }
                    let step = try c.int("step")
                    guard step != 0 else { throw c.fail("step", "must not be zero") }
                    // Excluding `end` (checked: at Int.min / Int.max the range is empty anyway).
                    let (last, overflow) =
                        step > 0 ? end.subtractingReportingOverflow(1) : end.addingReportingOverflow(1)
                    if start == end || overflow { return .range(try RangeValue.integers(0, -1)) }
                    end = last
                    do {
                        return .range(try RangeValue.integers(start, end, step: step))
                    } catch {
                        throw c.fail("end", "a range of more than \(RangeValue.maxCount) elements is too large")
                    }
                }),
            BuiltinFunction(
                "keys", [BuiltinParameter("r", .record)], doc: "The field names of a record, in order.",
                body: { c in
                    guard case .record(let r) = c["r"] else { return .nil }
                    return .list(r.keys.map(Value.string))
                }),
            BuiltinFunction(
                "values", [BuiltinParameter("r", .record)], doc: "The field values of a record, in order.",
                body: { c in
                    guard case .record(let r) = c["r"] else { return .nil }
                    return .list(r.values)
                }),
            BuiltinFunction(
                "map", [seq, fnParam], doc: "f applied to each element: map([1, 2], fn(x) { x * 2 }) is [2, 4].",
                body: { c in .list(try elements(c, "xs").map { try c.call(c["f"], [$0]) }) }),
            BuiltinFunction(
                "filter", [seq, fnParam], doc: "The elements for which f returns true.",
                body: { c in
                    .list(
                        try elements(c, "xs").filter { x in
                            guard case .bool(let b) = try c.call(c["f"], [x]) else {
                                throw c.fail("f", "must return true or false")
                            }
                            return b
                        })
                }),
            BuiltinFunction(
                "reduce", [seq, fnParam, BuiltinParameter("initial", .any)],
                doc: "Folds the elements: reduce(xs, fn(acc, x) { acc + x }, 0).",
                body: { c in try elements(c, "xs").reduce(c["initial"]) { try c.call(c["f"], [$0, $1]) } }),
            BuiltinFunction(
                "sort",
                [
                    seq,
                    BuiltinParameter(
                        "key", .optional(.function), default: .nil, "a function giving each element's sort key"),
                    BuiltinParameter("reverse", .bool, default: .bool(false)),
                ],
                doc: "A sorted copy (stable; numbers, quantities, strings, or lists of them; by key when given).",
                body: { c in .list(try sortValues(c, try elements(c, "xs"))) }),
            BuiltinFunction(
                "reverse", [seq], doc: "The elements in reverse order.",
                body: { c in .list(try elements(c, "xs").reversed()) }),
            BuiltinFunction(
                "zip", variadic: BuiltinParameter("lists", .any, "lists or ranges"),
                doc: "Lists of corresponding elements: zip([1, 2], [\"a\", \"b\"]) is [[1, \"a\"], [2, \"b\"]].",
                body: { c in
                    let lists = try c.rest.map { try asElements($0, c, "lists") }
                    let n = lists.map(\.count).min() ?? 0
                    return .list((0..<n).map { i in .list(lists.map { $0[i] }) })
                }),
            BuiltinFunction(
                "enumerate", [seq], doc: "Pairs [index, element]: for i, x in enumerate(xs) { ... }.",
                body: { c in .list(try elements(c, "xs").enumerated().map { .list([.int($0.offset), $0.element]) }) }),
            BuiltinFunction(
                "append", [BuiltinParameter("xs", .list), BuiltinParameter("x", .any)],
                doc: "A new list with x added at the end (lists are values: write xs = append(xs, x)).",
                body: { c in .list(try elements(c, "xs") + [c["x"]]) }),
        ]
    }

    static func asElements(_ v: Value, _ c: BuiltinCall, _ name: String) throws -> [Value] {
        switch v {
        case .list(let xs): return xs
        case .range(let r): return (try r.elements())
        case .string(let s): return s.map { .string(String($0)) }
        case .object(let o) where o.sequence() != nil: return o.sequence()!
        default: throw c.fail(name, "list, range or string expected, got \(v.describeForError)")
        }
    }

    static func elements(_ c: BuiltinCall, _ name: String) throws -> [Value] {
        try asElements(c[name], c, name)
    }

    static func sortValues(_ c: BuiltinCall, _ xs: [Value]) throws -> [Value] {
        let keys = c.isNil("key") ? xs : try xs.map { try c.call(c["key"], [$0]) }
        // A stable merge sort on the indices, so equal keys keep their order.
        var order = try mergeSort(Array(xs.indices)) { i, j in
            try c.checkCancelled()
            do {
                return try Operators.ordering(keys[i], keys[j]) < 0
            } catch let e as Operators.Failure {
                throw c.fail("xs", e.message)
            }
        }
        if try c.bool("reverse") { order = stableReverse(order, keys) }
        return order.map { xs[$0] }
    }

    /// Descending order that keeps equal elements in their original order.
    static func stableReverse(_ order: [Int], _ keys: [Value]) -> [Int] {
        var groups: [[Int]] = []
        for i in order {
            if let last = groups.last?.last, Operators.equal(keys[last], keys[i]) {
                groups[groups.count - 1].append(i)
            } else {
                groups.append([i])
            }
        }
        return groups.reversed().flatMap { $0 }
    }

    static func mergeSort(_ xs: [Int], _ less: (Int, Int) throws -> Bool) throws -> [Int] {
        if xs.count <= 1 { return xs }
        let mid = xs.count / 2
        let a = try mergeSort(Array(xs[..<mid]), less)
        let b = try mergeSort(Array(xs[mid...]), less)
        var out: [Int] = []
        out.reserveCapacity(xs.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if try less(b[j], a[i]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out += a[i...]
        out += b[j...]
        return out
    }
}
