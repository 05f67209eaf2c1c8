/// The five NAS-Bench-201 operations. The raw value is the LatBench/eagle op code.
public enum NB201Op: Int, CaseIterable, Sendable, Comparable {
    case none = 0
    case skip = 1
    case conv1x1 = 2
    case conv3x3 = 3
    case avgpool = 4

    /// The name used in arch strings (`nor_conv_3x3`).
    public var name: String {
        switch self {
        case .none: return "none"
        case .skip: return "skip_connect"
        case .conv1x1: return "nor_conv_1x1"
        case .conv3x3: return "nor_conv_3x3"
        case .avgpool: return "avg_pool_3x3"
        }
    }

    public init?(name: String) {
        guard let op = NB201Op.allCases.first(where: { $0.name == name }) else { return nil }
        self = op
    }

    /// The NASLib code: 0 skip_connect, 1 none, 2 nor_conv_3x3, 3 nor_conv_1x1, 4 avg_pool_3x3.
    public var naslibCode: Int {
        switch self {
        case .skip: return 0
        case .none: return 1
        case .conv3x3: return 2
        case .conv1x1: return 3
        case .avgpool: return 4
        }
    }

    public init?(naslibCode: Int) {
        guard let op = NB201Op.allCases.first(where: { $0.naslibCode == naslibCode }) else { return nil }
        self = op
    }

    public static func < (a: NB201Op, b: NB201Op) -> Bool { a.rawValue < b.rawValue }
}
