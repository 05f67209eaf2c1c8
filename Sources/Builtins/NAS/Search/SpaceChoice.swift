import Interpreter
import NASLib

/// The space a search runs over (its `space:` argument), decided in one place: NAS-Bench-201 with its benchmark,
/// DARTS or NAS-Bench-101 (built in, no benchmark), or a space declared in brpsh. The searches switch over it, so a
/// new kind of space is a compile error at every site that must handle it.
enum SpaceChoice {
    case nb201
    case darts
    case nb101
    case declared(DeclaredSpaceObject)

    static let builtInNames = ["nb201", "darts", "nb101"]

    /// The call's `space:`: a built-in name, `space("nb201")`, or a declared space; an unknown name is an error at
    /// the argument, naming what `method` searches.
    static func of(_ c: BuiltinCall, searches: String = "nb201, darts and nb101") throws -> SpaceChoice {
        switch c["space"] {
        case .object(is SpaceObject): return .nb201
        case .object(let s as DeclaredSpaceObject): return .declared(s)
        default:
            let name = try c.string("space")
            switch name {
            case "nb201": return .nb201
            case "darts": return .darts
            case "nb101": return .nb101
            default:
                throw c.fail(
                    "space",
                    "unknown space \"\(name)\"\(Suggest.didYouMean(name, builtInNames)) (\(c.function.name) searches \(searches), or a space declared with space(...))"
                )
            }
        }
    }

    /// The name in journals, tables and messages (a declared space's label).
    var name: String {
        switch self {
        case .nb201: return "nb201"
        case .darts: return "darts"
        case .nb101: return "nb101"
        case .declared(let s): return s.label
        }
    }

    /// Whether the space has benchmark accuracies to search without an evaluator (and latency tables for limits).
    var hasBenchmark: Bool {
        if case .nb201 = self { return true }
        return false
    }

    /// The graph encoding's feature count (the binary relation predictor's input width).
    var features: Int {
        switch self {
        case .nb201: return DeclaredSpace.nb201.featureNames.count
        case .darts: return DeclaredSpace.darts.featureNames.count
        case .nb101: return DeclaredSpace.nb101.featureNames.count
        case .declared(let s): return s.space.featureNames.count
        }
    }
}
