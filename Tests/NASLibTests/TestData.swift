import Foundation
import NASLib
import Testing

/// The benchmark data for tests: `BRPSH_DATA` (CI sets it to ../shared/data).
enum TestData {
    static let directory: DataDirectory? = try? DataDirectory.fromEnvironment()
    static let available = directory != nil
    /// One shared, lazily filled benchmark for all data tests.
    static let benchmark: Benchmark? = directory.map(Benchmark.init(directory:))
}

extension Trait where Self == ConditionTrait {
    static var needsData: Self { .enabled(if: TestData.available, "BRPSH_DATA is not set") }
}
