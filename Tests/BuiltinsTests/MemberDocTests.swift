import Interpreter
import Testing

@testable import Builtins

/// Every object type's members are one table of name and doc: every doc is written, names are unique, type names
/// are unique, and what help says a builtin gives is a real builtin's.
@Suite struct MemberDocTests {
    static let tables: [(type: String, table: [(name: String, doc: String)])] = [
        ("runs", RunsObject.memberTable), ("records", RecordsObject.memberTable), ("figure", FigureObject.memberTable),
        ("search", SearchObject.memberTable), ("arch", ArchObject.memberTable), ("space", SpaceObject.memberTable),
        ("oracle", OracleObject.memberTable), ("table", TableObject.memberTable),
        ("gcn_acc", AccuracyObject.memberTable),
        ("brp_predictor", PairObject.memberTable), ("latency table", MeasuredTableObject.memberTable),
        ("gcn", GCNObject.memberTable), ("layerwise", LayerwiseObject.memberTable), ("truth", TruthObject.memberTable),
        ("search session", AskTellObject.memberTable), ("comparison", ComparisonObject.memberTable),
        ("evaluator", EvaluatorObject.memberTable), ("fewshot", FewShotObject.memberTable),
        ("declared space", DeclaredSpaceObject.memberTable), ("declared arch", DeclaredArchObject.memberTable),
    ]

    @Test func everyMemberHasADoc() {
        for (type, table) in Self.tables {
            #expect(!table.isEmpty, "\(type)")
            #expect(Set(table.map(\.name)).count == table.count, "\(type) lists a member twice")
            for m in table { #expect(m.doc.count >= 8, "\(type).\(m.name) has no doc") }
        }
        #expect(Set(Self.tables.map(\.type)).count == Self.tables.count, "two object types share a name")
    }

    @Test func helpNamesRealBuiltins() {
        let names = Set(Builtins.all().map(\.name))
        for (builtin, result) in Help.results {
            #expect(names.contains(builtin), "\(builtin) is not a builtin")
            #expect(Self.tables.contains { $0.type == result.0 }, "\(builtin) gives an unknown type \(result.0)")
        }
    }
}
