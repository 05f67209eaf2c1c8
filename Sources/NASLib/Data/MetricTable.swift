/// Values per NB201 arch (by arch code), NaN where an arch was not measured: a device's
/// latency in seconds or energy in joules, an accuracy in percent, FLOPs, a proxy score.
public struct MetricTable: Sendable {
    public let name: String
    public let values: [Double]

    public init(name: String, values: [Double]) {
        precondition(values.count == NB201Arch.count, "a metric table has one value per NB201 arch")
        self.name = name
        self.values = values
    }

    public subscript(arch: NB201Arch) -> Double? {
        let v = values[arch.code]
        return v.isNaN ? nil : v
    }

    /// The archs with a value, in code order.
    public var measured: [NB201Arch] { values.indices.filter { !values[$0].isNaN }.map(NB201Arch.init(code:)) }

    public var count: Int { values.reduce(0) { $0 + ($1.isNaN ? 0 : 1) } }
}
