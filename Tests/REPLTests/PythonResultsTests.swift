import Foundation
import Testing

/// brpsh's results read with pandas (docs/python.md): `Tests/Python/test_results_in_pandas.py` makes a bundle, CSVs
/// of a search and a comparison, a search journal and a sweep merge, and checks each loads with numeric columns.
/// Skipped, with the reason, when Python or pandas is missing (scripts/deps test installs pandas).
@Suite(.serialized) struct PythonResultsTests {
    static let pandasProblem = KernelTests.missingPython(["pandas"])

    @Test(.enabled(if: pandasProblem == nil, Comment(rawValue: pandasProblem ?? "")))
    func resultsLoadIntoPandas() throws {
        var env = ProcessInfo.processInfo.environment
        env["BRPSH"] = ArtifactTests.binary
        let (status, log) = try KernelTests.unittest("Tests/Python/test_results_in_pandas.py", env: env)
        #expect(status == 0, "\(log)")
        for name in ["test_compare_csv", "test_search_csv", "test_search_journal", "test_sweep_summary"] {
            #expect(log.contains(name), "\(name) did not run: \(log)")
        }
    }
}
