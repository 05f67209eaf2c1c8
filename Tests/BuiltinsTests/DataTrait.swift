import Builtins
import Testing

/// Tests that read the benchmark data run when `DataSetup` finds it (the shipped data, or BRPSH_DATA) and are
/// reported as skipped, with the reason, when it does not.
enum TestDataAvailability {
    static let problem: String? = {
        do {
            _ = try DataSetup.resolve()
            return nil
        } catch {
            return "no benchmark data: \(error)"
        }
    }()
}

extension Trait where Self == ConditionTrait {
    static var needsData: Self {
        .enabled(if: TestDataAvailability.problem == nil, Comment(rawValue: TestDataAvailability.problem ?? ""))
    }
}
