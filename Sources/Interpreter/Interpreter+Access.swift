import Lang

extension Interpreter {
    /// `start..end` and `start..end step s`, inclusive. A bare-number step of a quantity range
    /// takes the range's unit (`1ms..7ms step 0.1` steps by 0.1ms).
    func makeRange(_ start: Value, _ end: Value, _ step: Value?, _ e: Expr) throws -> Value {
        do {
            switch (start, end, step) {
            case (.int(let a), .int(let b), nil):
                return .range(try RangeValue.integers(a, b))
            case (.int(let a), .int(let b), .int(let s)?):
                return .range(try RangeValue.integers(a, b, step: s))
            case (.quantity(let a), .quantity(let b), _):
                guard a.unit.dimension == b.unit.dimension else {
                    throw RuntimeError(RuntimeMessages.rangeUnits(a.unit.symbol, b.unit.symbol), at: e.range)
                }
                let s = try quantityStep(step, unit: a.unit, e)
                return .range(try RangeValue.reals(a.value, b.unit.convert(b.value, to: a.unit), step: s, unit: a.unit))
            default:
                guard let a = start.asDouble, let b = end.asDouble else {
                    throw RuntimeError(RuntimeMessages.rangeEnds(start, end), at: e.range)
                }
                var s = 1.0
                if let st = step {
                    guard let d = st.asDouble else {
                        throw RuntimeError(RuntimeMessages.rangeStepType(st), at: e.range)
                    }
                    s = d
                }
                return .range(try RangeValue.reals(a, b, step: s, unit: nil))
            }
        } catch let f as RangeValue.Failure {
            switch f {
            case .zeroStep: throw RuntimeError(RuntimeMessages.rangeZeroStep, at: e.range)
            case .tooLarge: throw RuntimeError(RuntimeMessages.rangeTooLarge(RangeValue.maxCount), at: e.range)
            }
        }
    }

    private func quantityStep(_ step: Value?, unit: PhysicalUnit, _ e: Expr) throws -> Double {
        switch step {
        case nil: return 1
        case .quantity(let q)?:
            guard q.unit.dimension == unit.dimension else {
                throw RuntimeError(RuntimeMessages.rangeStepUnit(q.unit.symbol, unit.symbol), at: e.range)
            }
            return q.unit.convert(q.value, to: unit)
        case let v?:
            guard let d = v.asDouble else {
                throw RuntimeError(RuntimeMessages.rangeStepKind(v), at: e.range)
            }
            return d
        }
    }

    /// `xs[i]`, `xs[-1]`, `xs[1..3]` (inclusive slice), `s[i]`, `r["key"]`, `range[i]`.
    public func subscriptValue(_ base: Value, _ index: Value, at r: SourceRange?, indexRange: SourceRange?) throws
        -> Value
    {
        let ir = indexRange ?? r!
        switch (base, index) {
        case (.list(let xs), .range(let sel)):
            return .list(try sliceIndices(sel, count: xs.count, at: ir).map { xs[$0] })
        case (.list(let xs), _):
            return xs[try listIndex(index, count: xs.count, at: ir)]
        case (.string(let s), .range(let sel)):
            let chars = Array(s)
            return .string(String(try sliceIndices(sel, count: chars.count, at: ir).map { chars[$0] }))
        case (.string(let s), _):
            let chars = Array(s)
            return .string(String(chars[try listIndex(index, count: chars.count, at: ir)]))
        case (.range(let rv), _):
            return rv.element(try listIndex(index, count: rv.count, at: ir))
        case (.record(let rec), .string(let key)):
            guard let v = rec[key] else { throw RuntimeError(noField(key, rec.keys, "record"), at: ir) }
            return v
        case (.object(let o), _) where o.sequence() != nil:
            let xs = o.sequence()!
            if case .range(let sel) = index {
                return .list(try sliceIndices(sel, count: xs.count, at: ir).map { xs[$0] })
            }
            return xs[try listIndex(index, count: xs.count, at: ir)]
        default:
            throw RuntimeError(RuntimeMessages.cannotIndex(base, with: index), at: ir)
        }
    }

    func sliceIndices(_ sel: RangeValue, count: Int, at r: SourceRange) throws -> [Int] {
        try (try sel.elements()).map { try listIndex($0, count: count, at: r) }
    }

    func noField(_ name: String, _ names: [String], _ what: String) -> String {
        let list = names.isEmpty ? "" : " (fields: \(names.joined(separator: ", ")))"
        let suggestion = Suggest.didYouMean(name, names)
        return "\(what) has no field '\(name)'" + (suggestion.isEmpty ? list : suggestion)
    }

    /// `r.K`, `x.ms`, `p.test`, `p.predict`.
    public func field(of base: Value, _ name: String, at r: SourceRange?) throws -> Value {
        switch base {
        case .record(let rec):
            guard let v = rec[name] else { throw RuntimeError(noField(name, rec.keys, "record"), at: r) }
            return v
        case .quantity(let q):
            return try quantityField(q, name, at: r)
        case .object(let o):
            do {
                if let v = try o.member(name) { return v }
            } catch let e as BuiltinError {
                throw RuntimeError(e.message, at: r)
            }
            throw RuntimeError(noField(name, o.memberNames, o.typeName), at: r)
        case .range(let rv):
            switch name {
            case "count": return .int(rv.count)
            case "list": return .list((try rv.elements()))
            default: throw RuntimeError(noField(name, ["count", "list"], "range"), at: r)
            }
        default:
            throw RuntimeError(RuntimeMessages.noField(base.describeForError, name), at: r)
        }
    }

    /// `.value`, `.unit`, the value in any unit of its dimension (`x.ms`, `x.s`), and for
    /// percentages `.ratio` (5% → 0.05) and `.percent` (5% → 5).
    func quantityField(_ q: Quantity, _ name: String, at r: SourceRange?) throws -> Value {
        switch name {
        case "value": return .number(q.value)
        case "unit": return .string(q.unit.symbol)
        case "ratio" where q.unit.dimension == .percentage: return .number(q.base)
        case "percent" where q.unit.dimension == .percentage: return .number(q.value)
        default:
            if let u = PhysicalUnit(suffix: name), u.dimension == q.unit.dimension {
                let v = q.unit.convert(q.value, to: u)
                guard v.isFinite || !q.value.isFinite else {
                    throw RuntimeError(
                        "\(Format.repr(.quantity(q))) in \(u.symbol) overflows a float (beyond about 1.8e308)", at: r)
                }
                return .number(v)
            }
            var names =
                ["value", "unit"] + PhysicalUnit.units(of: q.unit.dimension).filter { $0 != .percent }.map(\.symbol)
            if q.unit.dimension == .percentage { names += ["ratio", "percent"] }
            throw RuntimeError(RuntimeMessages.noQuantityField(q.unit.dimension.rawValue, name, fields: names), at: r)
        }
    }
}
