import Interpreter
import NASLib

/// The NAS-Bench-201 space: `s = space("nb201")`, `len(s)`, `s.all`, `s.sample(10, seed: 1)`,
/// `for a in s { ... }` (in official index order).
final class SpaceObject: HostObject, MemberTable {
    let context: NASContext
    init(_ context: NASContext) { self.context = context }

    var typeName: String { "space" }

    static let members: [Member<SpaceObject>] = [
        Member("name", "the space's name") { o in .string("nb201") },
        Member("size", "how many archs it has") { o in .int(NB201Arch.count) },
        Member("all", "every arch") { o in o.wrap(try o.archs()) },
        Member("connected", "the archs whose input reaches the output") { o in o.wrap(try o.archs().filter(\.connected))
        },
        Member("sample", "s.sample(n, seed:): n distinct random archs") { o in .builtin(o.sampleMethod) },
    ]

    /// Archs in official index order (needs the NB201 table), else in code order.
    func archs() throws -> [NB201Arch] {
        let index = try nas { try context.benchmark().index() }
        return index.codes.map(NB201Arch.init(code:))
    }

    func wrap(_ archs: [NB201Arch]) -> Value { .list(archs.map { .object(ArchObject($0, context)) }) }

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
