import Foundation
import Interpreter
import Lang
import NASLib

/// A search space declared in brpsh (docs/spaces.md): `space(cell: "edges", nodes: 5, ops: [...])`,
/// `space(cell: "inputs", ...)`, `space(choices: {...}, blocks: 6)`, with an optional `valid:` constraint.
final class DeclaredSpaceObject: HostObject, MemberTable {
    let space: DeclaredSpace
    /// A choice space's values as declared (numbers stay numbers in `a.choices`).
    let values: [[Value]]
    let label: String
    /// The constraint: a function of a model returning true for the models the space keeps.
    let valid: Value?
    /// Calls the constraint (and cost functions) from the call that uses the space now, so an error in them points
    /// at that call (`calledBy`).
    var call: (Value, [Value]) throws -> Value
    /// The first error the constraint raised while a search drew or mutated models (reported when the search ends
    /// or at the next answer it is told).
    var constraintFailure: Error?

    /// Tries for one valid model by rejection (drawing or mutating) before giving up.
    static let tries = 10_000
    /// Spaces up to this size are enumerated for `all`, iteration and counting under a constraint.
    static let enumerable = 1_000_000

    init(
        _ space: DeclaredSpace, values: [[Value]], label: String, valid: Value?,
        call: @escaping (Value, [Value]) throws -> Value
    ) {
        self.space = space
        self.values = values
        self.label = label
        self.valid = valid
        self.call = call
    }

    var typeName: String { "declared space" }

    static let members: [Member<DeclaredSpaceObject>] = [
        Member("name", "the space's label (name: in the declaration)") { o in .string(o.label) },
        Member("kind", "edges, inputs, nodes or choices") { o in
            switch o.space.kind {
            case .edges: return .string("edges")
            case .inputs: return .string("inputs")
            case .nodes: return .string("nodes")
            case .choices: return .string("choices")
            }
        },
        Member("size", "how many models it has (under valid:, counted by enumeration)") { o in
            if o.valid != nil { return .int(try o.all("size under valid:").count) }
            guard let n = o.space.count else {
                throw BuiltinError(
                    "the space has \(DeclaredSpaceObject.countText(o.space)) models, more than an integer holds")
            }
            return .int(n)
        },
        Member("ops", "a cell space's ops") { o in .list(o.space.ops.map(Value.string)) },
        Member("keys", "a choice space's keys") { o in
            guard case .choices(let keys, _, _) = o.space.kind else { return .list([]) }
            return .list(keys.map(Value.string))
        },
        Member("features", "the columns of the graph encoding's features") { o in
            .list(o.space.featureNames.map(Value.string))
        },
        Member("declaration", "the declaration as text (journals and caches hold it)") { o in .string(o.identity) },
        Member("all", "every (valid) model, in enumeration order") { o in .list(try o.all("all").map(o.value)) },
        Member("sample", "s.sample(n, seed:): n distinct random models, uniform over the valid ones") { o in
            .builtin(o.sampleMethod)
        },
        Member("mutate", "s.mutate(a, seed:): a valid model one choice away") { o in .builtin(o.mutateMethod) },
        Member("parse", "s.parse(text): the model a text form names") { o in
            return .builtin(
                BuiltinFunction(
                    "parse", [BuiltinParameter("text", .string, "a model's text form")],
                    doc: "The model a text form names."
                ) { c in
                    o.value(try nas { try o.space.parse(try c.string("text")) })
                })
        },
        Member("contains", "s.contains(a): whether a model (or its text) is in the space and valid") { o in
            return .builtin(
                BuiltinFunction(
                    "contains", [BuiltinParameter("a", .any, "a model or its text")],
                    doc: "Whether the model is in the space and valid."
                ) { c in
                    o.calledBy(c)
                    guard let a = try? o.model(c["a"], "a") else { return .bool(false) }
                    return .bool(try o.isValid(a))
                })
        },
        Member("encode", "s.encode(a): the graph the predictors read (adjacency, features)") { o in
            return .builtin(
                BuiltinFunction(
                    "encode", [BuiltinParameter("a", .any, "a model or its text")],
                    doc: "The graph the predictors read."
                ) { c in
                    let g = o.space.graph(try o.model(c["a"], "a"))
                    guard case .record(var r) = ArchObject.graphValue(g) else { return .nil }
                    r["feature_names"] = .list(o.space.featureNames.map(Value.string))
                    return .record(r)
                })
        },
    ]

    /// What identifies the space for journals and caches: the declaration, and the constraint's source text.
    var identity: String {
        guard let v = valid else { return space.description }
        return space.description + " valid: " + Self.functionText(v)
    }

    static func functionText(_ v: Value) -> String {
        switch v {
        case .function(let f): return f.declaration.range.text
        case .builtin(let b): return "builtin " + b.name
        default: return v.describeForError
        }
    }

    func value(_ a: DeclaredArch) -> Value { .object(DeclaredArchObject(a, self)) }

    /// Whether the constraint keeps `a` (true without one); an error when it does not answer true or false.
    func isValid(_ a: DeclaredArch) throws -> Bool {
        guard let f = valid else { return true }
        let r = try call(f, [value(a)])
        guard case .bool(let b) = r else {
            throw BuiltinError(
                "valid: must return true or false, got \(r.describeForError) for \(space.text(a))", argument: "valid")
        }
        return b
    }

    /// The constraint as a search sees it: an error makes the model invalid and is kept to report.
    func keeps(_ a: DeclaredArch) -> Bool {
        do { return try isValid(a) } catch {
            if constraintFailure == nil { constraintFailure = error }
            return false
        }
    }

    /// The space as used by call `c`: a search, a measurement or a method. Starts with no constraint error.
    @discardableResult
    func calledBy(_ c: BuiltinCall) -> DeclaredSpaceObject {
        call = c.call
        constraintFailure = nil
        return self
    }

    /// Rethrows the constraint's first error during a search.
    func checkConstraint() throws {
        if let e = constraintFailure { throw e }
    }

    /// A uniformly random valid model, or nil after `tries` rejections.
    func draw(_ rng: inout SeededRandom) -> DeclaredArch? {
        for _ in 0..<Self.tries {
            let a = space.random(&rng)
            if keeps(a) { return a }
            if constraintFailure != nil { return nil }
        }
        return nil
    }

    /// A valid model one mutation from `a`, or nil after `tries` rejections.
    func mutate(_ a: DeclaredArch, _ rng: inout SeededRandom) -> DeclaredArch? {
        for _ in 0..<Self.tries {
            guard let m = space.mutated(a, &rng) else { return nil }
            if keeps(m) { return m }
            if constraintFailure != nil { return nil }
        }
        return nil
    }

    /// Every valid model in enumeration order; an error for a space too large to enumerate.
    func all(_ what: String) throws -> [DeclaredArch] {
        guard let n = space.count, n <= Self.enumerable else {
            throw BuiltinError(
                "\(what) enumerates the space, which has \(Self.countText(space)) models (at most \(Self.enumerable) are enumerated)"
            )
        }
        var out: [DeclaredArch] = []
        for i in 0..<n {
            if i % 4096 == 0 { try Interrupt.check() }
            let a = space.arch(index: i)
            if try isValid(a) { out.append(a) }
        }
        return out
    }

    /// A model from a value: a declared arch of this space, or its text form.
    func model(_ v: Value, _ argument: String) throws -> DeclaredArch {
        switch v {
        case .object(let o as DeclaredArchObject):
            guard o.arch.space == space else {
                throw BuiltinError("the model belongs to another space (\(o.arch.space))", argument: argument)
            }
            return o.arch
        case .string(let s): return try nas { try space.parse(s) }
        default:
            throw BuiltinError(
                "a model of the space or its text expected, got \(v.describeForError)", argument: argument)
        }
    }

    var sampleMethod: BuiltinFunction {
        BuiltinFunction(
            "sample",
            [
                BuiltinParameter("n", .int, "how many distinct models"),
                BuiltinParameter("seed", .optional(.int), default: .nil, "default: the session seed"),
            ],
            doc: "n distinct models drawn uniformly at random among the valid ones (reproducible from the seed)."
        ) { c in
            self.calledBy(c)
            let n = try c.int("n", min: 0, max: Limits.budget)
            let out = try self.distinct(n, c)
            return .list(out.map(self.value))
        }
    }

    /// `n` distinct valid models drawn uniformly from the call's seed (`s.sample`, `measure(space:)`); an error at
    /// `n` when 10,000 draws in a row give no new one.
    func distinct(_ n: Int, _ c: BuiltinCall) throws -> [DeclaredArch] {
        var rng = SeededRandom(seed: try c.seed())
        var seen = Set<DeclaredArch>()
        var out: [DeclaredArch] = []
        var rejected = 0
        while out.count < n {
            let a = space.random(&rng)
            if !seen.contains(a), try isValid(a) {
                seen.insert(a)
                out.append(a)
                rejected = 0
            } else {
                rejected += 1
                guard rejected < Self.tries else {
                    throw c.fail(
                        "n",
                        out.isEmpty
                            ? "no valid architecture after \(Self.tries) tries"
                            : "only \(out.count) distinct valid architectures found (\(Self.tries) tries in a row gave no new one)"
                    )
                }
            }
        }
        return out
    }

    var mutateMethod: BuiltinFunction {
        BuiltinFunction(
            "mutate",
            [
                BuiltinParameter("a", .any, "a model or its text"),
                BuiltinParameter("seed", .optional(.int), default: .nil, "default: the session seed"),
            ],
            doc: "A valid model one choice away from a (the mutation evolve uses)."
        ) { c in
            self.calledBy(c)
            let a = try self.model(c["a"], "a")
            var rng = SeededRandom(seed: try c.seed())
            for _ in 0..<Self.tries {
                guard let m = self.space.mutated(a, &rng) else {
                    throw c.fail("a", "the model has no neighbour in the space")
                }
                if try self.isValid(m) { return self.value(m) }
            }
            throw c.fail("a", "no valid architecture one mutation away after \(Self.tries) tries")
        }
    }

    func length() throws -> Int? {
        guard case .int(let n)? = try member("size") else { return nil }
        return n
    }

    func display() -> String {
        let size = valid == nil ? Self.countText(space) + " models" : "a constraint"
        switch space.kind {
        case .edges(let nodes):
            return "space(\(label): edges, \(nodes) nodes, \(space.ops.count) ops, \(size))"
        case .inputs(let nodes, let k, _, let cells):
            return
                "space(\(label): inputs, \(cells.count) cells of \(nodes) nodes reading \(k), \(space.ops.count) ops, \(size))"
        case .nodes(let maxNodes, let maxEdges):
            return
                "space(\(label): nodes, up to \(maxNodes) nodes and \(maxEdges) edges, \(space.ops.count) ops, \(size))"
        case .choices(let keys, _, let blocks):
            return "space(\(label): \(blocks) blocks choosing \(keys.joined(separator: ", ")), \(size))"
        }
    }

    /// The number of models with thousands separated (1,586,874,322,944), or in scientific form past Int.max.
    static func countText(_ space: DeclaredSpace) -> String {
        guard let n = space.count else {
            return space.approximateCount.isNaN ? "uncounted" : String(format: "%.3g", space.approximateCount)
        }
        var digits = Array(String(n))
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }

    func sequence() -> [Value]? {
        guard let n = space.count, n <= Self.enumerable else { return nil }
        return (try? all("iteration"))?.map(value)
    }

    func plainValue() -> Value? { .string(identity) }
    var cacheIdentity: Value? { .string("space:" + identity) }
}

/// A model of a declared space; `str(a)` is its text form, which `s.parse` reads back.
final class DeclaredArchObject: HostObject, MemberTable {
    let arch: DeclaredArch
    let owner: DeclaredSpaceObject

    init(_ arch: DeclaredArch, _ owner: DeclaredSpaceObject) {
        self.arch = arch
        self.owner = owner
    }

    /// The choice codes, canonical order.
    var codes: [Int] { arch.codes }
    var typeName: String { "declared arch" }

    static let members: [Member<DeclaredArchObject>] = [
        Member("str", "the text form ({arch} in evaluators)") { o in .string(o.arch.description) },
        Member("codes", "the choice codes, canonical order") { o in .list(o.codes.map(Value.int)) },
        Member("ops", "a cell's ops: edge by edge (edges), read by read (inputs), node by node (nodes)") { o in
            switch o.arch.space.kind {
            case .edges: return .list(o.codes.map { .string(o.arch.space.ops[$0]) })
            case .inputs:
                return .list(stride(from: 1, to: o.codes.count, by: 2).map { .string(o.arch.space.ops[o.codes[$0]]) })
            case .nodes: return .list(o.arch.space.cellOps(o.arch).map(Value.string))
            case .choices: return .list([])
            }
        },
        Member("inputs", "an inputs cell's reads: the node each read takes") { o in
            guard case .inputs = o.arch.space.kind else { return .list([]) }
            return .list(stride(from: 0, to: o.codes.count, by: 2).map { .int(o.codes[$0]) })
        },
        Member("adjacency", "a nodes cell's adjacency rows (row = source; input first, output last)") { o in
            guard case .nodes = o.arch.space.kind else { return .list([]) }
            return .list(o.arch.space.cellAdjacency(o.arch).map { .list($0.map(Value.int)) })
        },
        Member("choices", "a choice space's blocks: one record of key and value per block") { o in
            guard case .choices(let keys, _, let blocks) = o.arch.space.kind else { return .list([]) }
            return .list(
                (0..<blocks).map { b in
                    .record(Record(keys.indices.map { (keys[$0], o.owner.values[$0][o.codes[b * keys.count + $0]]) }))
                })
        },
        Member("graph", "the graph the predictors read (adjacency, features)") { o in
            ArchObject.graphValue(o.arch.cellGraph)
        },
        Member("space", "the space it belongs to") { o in .object(o.owner) },
    ]

    func display() -> String { arch.description }
    func inlineDisplay() -> String { Format.quoted(arch.description) }
    func plainValue() -> Value? { .string(arch.description) }
    var cacheIdentity: Value? { .string(owner.identity + " " + arch.description) }

    func isEqual(to other: any HostObject) -> Bool {
        guard let o = other as? DeclaredArchObject else { return false }
        return o.arch == arch
    }
}
