import Lang

/// A `--set name=value` override.
public struct Override: Sendable, Equatable {
    public let name: String
    public let text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// `--set name=value`: replaces the value of the script's first top-level assignment
/// `name = ...`, so a paper's script reruns with other settings unedited.
///
/// The value is read as a brpsh literal when it is one (`100`, `5ms`, `"x"`, `[1, 2]`,
/// `{K: 50}`, `true`, `nil`); anything else is taken as a string (`--set device=m-gpu`).
public enum Overrides {
    public struct Failure: Error {
        public let message: String
    }

    public static func apply(_ overrides: [Override], to program: inout Program) throws {
        for o in overrides {
            let value = literal(o)
            guard let i = program.statements.firstIndex(where: { assigned($0) == o.name }) else {
                let names = program.statements.compactMap(assigned)
                var seen = Set<String>()
                let unique = names.filter { seen.insert($0).inserted }
                let list =
                    unique.isEmpty
                    ? "the script assigns no top-level names" : "it assigns: " + unique.joined(separator: ", ")
                throw Failure(
                    message: "--set \(o.name): the script has no top-level assignment '\(o.name) = ...' (\(list))")
            }
            let stmt = program.statements[i]
            let kind: Stmt.Kind
            switch stmt.kind {
            case .assign(let target, _, _): kind = .assign(target: target, op: nil, value: value)
            case .letBinding(let name, let r, _): kind = .letBinding(name: name, nameRange: r, value: value)
            default: continue
            }
            program.statements[i] = Stmt(kind, stmt.range)
        }
    }

    /// The names a program assigns at top level (what `--set` can override), in order.
    public static func assignedNames(_ program: Program) -> [String] { program.statements.compactMap(assigned) }

    static func assigned(_ s: Stmt) -> String? {
        switch s.kind {
        case .assign(let target, nil, _):
            if case .identifier(let name) = target.kind { return name }
            return nil
        case .letBinding(let name, _, _): return name
        default: return nil
        }
    }

    /// The override's value as an expression: a literal if it reads as one, else a string.
    static func literal(_ o: Override) -> Expr {
        let file = SourceFile(name: "--set \(o.name)", text: o.text)
        let parsed = Parser.parse(file)
        if parsed.diagnostics.isEmpty, parsed.program.statements.count == 1,
            case .expression(let e) = parsed.program.statements[0].kind, isConstant(e)
        {
            return e
        }
        return Expr(.literal(.string(o.text)), SourceRange(file: file, start: 0, end: file.bytes.count))
    }

    static func isConstant(_ e: Expr) -> Bool {
        switch e.kind {
        case .literal: return true
        case .unary(.negate, let x): return isConstant(x)
        case .list(let xs): return xs.allSatisfy(isConstant)
        case .record(let fs): return fs.allSatisfy { isConstant($0.value) }
        case .range(let a, let b, let s): return isConstant(a) && isConstant(b) && (s.map(isConstant) ?? true)
        default: return false
        }
    }
}
