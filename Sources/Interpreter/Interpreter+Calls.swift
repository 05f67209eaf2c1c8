import Lang

/// An evaluated argument at a call site.
public struct CallArgument {
    public let label: String?
    public let value: Value
    public let range: SourceRange?
    public let labelRange: SourceRange?
    /// A trailing closure: bound to the last parameter.
    public let trailing: Bool

    public init(
        label: String? = nil, value: Value, range: SourceRange? = nil, labelRange: SourceRange? = nil,
        trailing: Bool = false
    ) {
        self.label = label
        self.value = value
        self.range = range
        self.labelRange = labelRange
        self.trailing = trailing
    }

    /// The argument as if it were named (a trailing closure takes the last parameter's name).
    func labelled(_ name: String) -> CallArgument {
        CallArgument(label: name, value: value, range: range, labelRange: range, trailing: true)
    }
}

extension Interpreter {
    /// Calls a function value with evaluated arguments.
    public func call(_ callee: Value, _ args: [CallArgument], at range: SourceRange?, calleeName: String? = nil) throws
        -> Value
    {
        switch callee {
        case .function(let f):
            return try callUser(f, args, at: range)
        case .builtin(let b):
            return try callBuiltin(b, args, at: range)
        default:
            let what = calleeName.map { "'\($0)' (\(callee.describeForError))" } ?? callee.describeForError
            throw RuntimeError(RuntimeMessages.notCallable(what), at: range)
        }
    }

    /// Calls a function value with positional arguments (from builtins: map, sort's key, ...).
    public func call(_ callee: Value, _ values: [Value], at range: SourceRange? = nil) throws -> Value {
        try call(callee, values.map { CallArgument(value: $0) }, at: range)
    }

    func callUser(_ f: UserFunction, _ args: [CallArgument], at range: SourceRange?) throws -> Value {
        try Interrupt.check()  // a builtin calling a function millions of times (sort's key, map) stays interruptible
        let decl = f.declaration
        let env = Environment(parent: f.closure)
        let names = decl.parameters.map(\.name)
        let bound = try bind(args, to: names, function: "'\(f.name)'", at: range)
        // The depth counts from here, so a default argument that calls the function (fn f(x: f())) is bounded too.
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > maxCallDepth {
            throw RuntimeError(RuntimeMessages.tooDeep(maxCallDepth, f.name), at: range)
        }
        for (i, p) in decl.parameters.enumerated() {
            if let v = bound[i] {
                env.define(p.name, v)
            } else if let d = p.defaultValue {
                env.define(p.name, try eval(d, env))
            } else {
                throw RuntimeError(RuntimeMessages.missingArgument(p.name, f.name, parameters: names), at: range)
            }
        }
        do {
            return try executeBlock(decl.body, env)
        } catch ControlFlow.returnValue(let v) {
            return v
        } catch ControlFlow.breakLoop {
            throw RuntimeError(RuntimeMessages.outsideLoop("break", in: f.name), at: range)
        } catch ControlFlow.continueLoop {
            throw RuntimeError(RuntimeMessages.outsideLoop("continue", in: f.name), at: range)
        } catch var e as RuntimeError {
            if e.trace.count < 12, let r = range {
                e.trace.append("  in '\(f.name)', called at \(r.file.name):\(r.location)")
            } else if e.trace.count == 12 {
                e.trace.append("  ...")
            }
            throw e
        }
    }

    /// Matches arguments to parameter names: positional first, then named. Unknown and
    /// duplicate names are errors that list the accepted names.
    func bind(
        _ args: [CallArgument], to names: [String], function: String, at range: SourceRange?,
        variadic: Bool = false
    ) throws -> [Value?] {
        var bound = [Value?](repeating: nil, count: names.count)
        var position = 0
        for a in Interpreter.placeTrailing(args, names, variadic: variadic) {
            if let label = a.label {
                guard let i = names.firstIndex(of: label) else {
                    throw RuntimeError(CallMessages.unknownArgument(label, names, function), at: a.labelRange ?? range)
                }
                if bound[i] != nil {
                    throw RuntimeError(CallMessages.givenTwice(label, names, function), at: a.labelRange ?? range)
                }
                bound[i] = a.value
            } else {
                if position >= names.count {
                    if variadic { continue }
                    throw RuntimeError(CallMessages.tooMany(names, function), at: a.range ?? range)
                }
                bound[position] = a.value
                position += 1
            }
        }
        return bound
    }

    /// A trailing closure (when the function has parameters and is not variadic) becomes a
    /// named argument for the last parameter, as in Swift.
    static func placeTrailing(_ args: [CallArgument], _ names: [String], variadic: Bool) -> [CallArgument] {
        guard let last = names.last, !variadic, let t = args.last, t.trailing, t.label == nil else { return args }
        return args.dropLast() + [t.labelled(last)]
    }

    func callBuiltin(_ b: BuiltinFunction, _ rawArgs: [CallArgument], at range: SourceRange?) throws -> Value {
        let names = b.parameters.map(\.name)
        let args = Interpreter.placeTrailing(rawArgs, b.trailingClosureTargets, variadic: b.variadic != nil)
        let positional = args.filter { $0.label == nil }
        let restArgs = b.variadic == nil ? [] : Array(positional.dropFirst(names.count))
        let bound = try bind(args, to: names, function: "'\(b.name)'", at: range, variadic: b.variadic != nil)
        var values: [String: Value] = [:]
        var ranges: [String: SourceRange] = [:]
        for (i, p) in b.parameters.enumerated() {
            let arg = args.first { $0.label == p.name } ?? (i < positional.count ? positional[i] : nil)
            if let r = arg?.range { ranges[p.name] = r }
            guard let v = bound[i] else {
                guard let d = p.defaultValue else {
                    throw RuntimeError(RuntimeMessages.missingBuiltinArgument(p.name, b), at: range)
                }
                values[p.name] = d
                continue
            }
            guard p.type.accepts(v) else {
                throw RuntimeError(
                    BuiltinCall.badArgument(p.name, b.name, p.type.describe, v), at: ranges[p.name] ?? range)
            }
            values[p.name] = v
        }
        if let vp = b.variadic {
            for a in restArgs where !vp.type.accepts(a.value) {
                throw RuntimeError(
                    BuiltinCall.badArgument(vp.name, b.name, vp.type.describe, a.value), at: a.range ?? range)
            }
        }
        let callInfo = BuiltinCall(
            interpreter: self, function: b, values: values, ranges: ranges, rest: restArgs.map(\.value), range: range,
            given: Set(args.compactMap(\.label) + names.prefix(positional.count)))
        do {
            return try b.body(callInfo)
        } catch let e as BuiltinError {
            let at = e.argument.flatMap { ranges[$0] } ?? range
            throw RuntimeError(e.message, at: at)
        } catch is Interrupted {
            throw RuntimeError(RuntimeMessages.interrupted, at: range)
        } catch let e as RuntimeError {
            throw e
        } catch let e as ControlFlow {
            throw e
        } catch {
            // Any other error from a builtin's body (an operator's, a range's) is placed at the call.
            throw RuntimeError(Interpreter.message(of: error), at: range)
        }
    }

    /// An error's message (brpsh's error types describe themselves by their message).
    static func message(of error: Error) -> String { String(describing: error) }
}

extension BuiltinFunction {
    /// Where a trailing closure goes: the last parameter that takes a function, or else the
    /// last parameter (as for user functions).
    var trailingClosureTargets: [String] {
        let target = parameters.last { p in
            if case .function = p.type { return true }
            if case .optional(.function) = p.type { return true }
            return false
        }?.name
        return target.map { [$0] } ?? parameters.map(\.name)
    }
}

/// The argument-matching errors, shared by calls at run time and the static check.
enum CallMessages {
    static func unknownArgument(_ label: String, _ names: [String], _ function: String) -> String {
        "unknown argument '\(label)' to \(function)" + Suggest.didYouMean(label, names)
            + " (accepted: \(names.joined(separator: ", ")))"
    }
    static func givenTwice(_ label: String, _ names: [String], _ function: String) -> String {
        "argument '\(label)' given twice to \(function) (accepted: \(names.joined(separator: ", ")))"
    }
    static func tooMany(_ names: [String], _ function: String) -> String {
        "too many arguments to \(function) (takes \(names.count): \(names.joined(separator: ", ")))"
    }
}
