import Foundation
import NASLib
import Testing

/// The benchmark data for tests: the data brpsh ships (or `BRPSH_DATA` when set). Tests that read it are
/// reported as skipped, with the reason, when it cannot be found.
public enum TestData {
    static let resolved: Result<DataDirectory, Error> = Result {
        try DataLocation.resolve(environment: ProcessInfo.processInfo.environment)
    }
    public static let directory: DataDirectory? = try? resolved.get()
    public static let available = directory != nil
    /// Why the data tests are skipped.
    public static var reason: String {
        if case .failure(let e) = resolved { return "no benchmark data: \(e)" }
        return ""
    }
    /// One shared, lazily filled benchmark for all data tests.
    public static let benchmark: Benchmark? = directory.map(Benchmark.init(directory:))
}

extension Trait where Self == ConditionTrait {
    public static var needsData: Self { .enabled(if: TestData.available, Comment(rawValue: TestData.reason)) }
}
