/// An object from a host library (NASLib) seen by the language: a predictor, an architecture,
/// a search result. Like Lua userdata or Wren foreign objects, the interpreter knows only
/// this interface; the Builtins module implements it.
public protocol HostObject: AnyObject {
    /// The name `type(x)` returns (`"gcn"`, `"arch"`).
    var typeName: String { get }
    /// Field and method names, for completion and error messages.
    var memberNames: [String] { get }
    /// A field's value, or a bound method as a `.builtin`; nil when there is no such member.
    func member(_ name: String) throws -> Value?
    /// The text shown when the value is printed or displayed.
    func display() -> String
    /// The text shown on a terminal (a figure draws itself; by default the same as `display()`).
    func display(terminal: Bool) -> String
    /// A one-line form for inside lists and records (`arch(6111)`).
    func inlineDisplay() -> String
    /// A member's one-line doc, for help (`help(p)`, `p.predict?`); nil when it has none.
    func memberDoc(_ name: String) -> String?
    /// The value as plain data (records, lists, numbers) for `json` and `save`; nil if none.
    func plainValue() -> Value?
    /// The value as a tidy table for `save(x, "x.csv")`: records of plain cells (one value per cell, numbers as
    /// numbers), one row per observation; nil (the default) saves `plainValue()`'s records.
    func csvRows() -> [Value]?
    /// Everything that determines what the object computes, as plain data, for result-cache keys: two objects
    /// with the same identity must give the same results. nil (the default) makes a call that takes the object
    /// uncacheable, so a forgotten identity can only cost time, never give a wrong cached result.
    var cacheIdentity: Value? { get }
    /// The elements, when the object is a sequence (`for a in space("nb201")`, `len`).
    func sequence() -> [Value]?
    /// What `len` gives: by default the sequence's length; an object too large to list (a declared space of
    /// billions of models) counts itself.
    func length() throws -> Int?
    /// Equality for `==` (identity unless the object is a value, like an architecture).
    func isEqual(to other: any HostObject) -> Bool
}

extension HostObject {
    public func plainValue() -> Value? { nil }
    public func memberDoc(_ name: String) -> String? { nil }
    public func csvRows() -> [Value]? { nil }
    public var cacheIdentity: Value? { nil }
    public func inlineDisplay() -> String { "<\(typeName)>" }
    public func display(terminal: Bool) -> String { display() }
    public func sequence() -> [Value]? { nil }
    public func length() throws -> Int? { sequence()?.count }
    public func isEqual(to other: any HostObject) -> Bool { self === other }
}

/// The state a host library keeps per interpreter (the builtins' session: data, run record, caches).
public protocol HostState: AnyObject {}

/// One member of a host object type: its name, its one-line doc and how its value is computed from the object
/// (a field's value, or a bound method as a `.builtin`).
public struct Member<Object: AnyObject>: Sendable {
    public let name: String
    public let doc: String
    public let value: @Sendable (Object) throws -> Value

    public init(_ name: String, _ doc: String, _ value: @escaping @Sendable (Object) throws -> Value) {
        self.name = name
        self.doc = doc
        self.value = value
    }
}

/// An object whose members are declared once, as a table of name → doc → implementation (Lua's `luaL_Reg`): its
/// member names, docs and values all come from the table, so a member cannot be listed without its doc and code,
/// nor answer without being listed. Help lists a type's members from the table without an object.
public protocol MemberTable: HostObject {
    static var members: [Member<Self>] { get }
}

extension MemberTable {
    public var memberNames: [String] { Self.members.map(\.name) }
    public func memberDoc(_ name: String) -> String? { Self.members.first { $0.name == name }?.doc }
    public func member(_ name: String) throws -> Value? { try Self.members.first { $0.name == name }?.value(self) }
    /// The names and docs, for help about a builtin's result before one exists.
    public static var memberTable: [(name: String, doc: String)] { members.map { ($0.name, $0.doc) } }
}
