import Interpreter
import NASLib

/// The NAS-Bench-201 space: `s = space("nb201")`, `len(s)`, `s.all`, `s.sample(10, seed: 1)`,
/// `for a in s { ... }` (in official index order).
final class SpaceObject: HostObject, DocumentedMembers {
    let context: NASContext
    init(_ context: NASContext) { self.context = context }

    var typeName: String { "space" }
    static let memberTable: [(name: String, doc: String)] = [
        ("name", "the space's name"),
        ("size", "how many archs it has"),
        ("all", "every arch"),
        ("connected", "the archs whose input reaches the output"),
        ("sample", "s.sample(n, seed:): n distinct random archs"),
    ]

    /// Archs in official index order (needs the NB201 table), else in code order.
    func archs() throws -> [NB201Arch] {
        let index = try nas { try context.benchmark().index() }
        return index.codes.map(NB201Arch.init(code:))
    }

    func wrap(_ archs: [NB201Arch]) -> Value { .list(archs.map { .object(ArchObject($0, context)) }) }

    func member(_ name: String) throws -> Value? {
        switch name {
        case "name": return .string("nb201")
        case "size": return .int(NB201Arch.count)
        case "all": return wrap(try archs())
        case "connected": return wrap(try archs().filter(\.connected))
        case "sample": return .builtin(sampleMethod)
        default: return nil
        }
    }

    var sampleMethod: BuiltinFunction {
        BuiltinFunction(
            "sample",
            [
                BuiltinParameter("n", .int, "how many distinct archs"),
                BuiltinParameter("seed", .optional(.int), default: .nil, "default: the session seed"),
                BuiltinParameter("connected", .bool, default: .bool(false), "only archs whose output is reachable"),
            ],
            doc: "n distinct archs drawn uniformly at random (reproducible from the seed)."
        ) { c in
            var pool = try self.archs()
            if try c.bool("connected") { pool = pool.filter(\.connected) }
            let n = try c.int("n", min: 0, max: pool.count)
            var rng = SeededRandom(seed: try c.seed())
            return self.wrap(rng.sample(pool, n))
        }
    }

    func display() -> String { "space(nb201: 15625 archs, 15284 connected, 6466 isomorphism classes)" }
    func sequence() -> [Value]? { (try? archs()).map { $0.map { .object(ArchObject($0, context)) } } }
    func plainValue() -> Value? { .string("nb201") }
    var cacheIdentity: Value? { .string("space:nb201") }
}
