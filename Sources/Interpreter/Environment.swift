/// The variables of one function activation (or of the top level), with a link to the
/// environment the function was defined in. Blocks (`if`, `for`, `while`) do not create
/// environments: only functions do.
public final class Environment {
    public private(set) var values: [String: Value] = [:]
    public let parent: Environment?

    public init(parent: Environment? = nil) {
        self.parent = parent
    }

    /// The innermost binding of `name`, searching outwards.
    public func lookup(_ name: String) -> Value? {
        var env: Environment? = self
        while let e = env {
            if let v = e.values[name] { return v }
            env = e.parent
        }
        return nil
    }

    /// The environment holding the innermost binding of `name`.
    public func owner(of name: String) -> Environment? {
        var env: Environment? = self
        while let e = env {
            if e.values[name] != nil { return e }
            env = e.parent
        }
        return nil
    }

    /// Assignment: updates the innermost existing binding, or creates one here.
    public func assign(_ name: String, _ value: Value) {
        (owner(of: name) ?? self).values[name] = value
    }

    /// Creates or replaces a binding in this environment only (parameters, `let`).
    public func define(_ name: String, _ value: Value) {
        values[name] = value
    }

    public func remove(_ name: String) {
        values[name] = nil
    }

    public func removeAll() {
        values.removeAll()
    }

    /// Mutates a binding in place (without copying a list held only there).
    public func modify<T>(_ name: String, _ body: (inout Value) throws -> T) rethrows -> T? {
        guard let env = owner(of: name) else { return nil }
        return try body(&env.values[name]!)
    }
}
