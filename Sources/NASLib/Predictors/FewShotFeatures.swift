import Foundation

/// Features of every NB201 architecture that the few-shot model regresses on.
public enum FewShotFeatures {
    public static let structuralNames = [
        "skip", "conv1x1", "conv3x3", "pool", "live_skip", "live_conv1x1", "live_conv3x3", "live_pool",
    ]

    /// Which edges lie on a path from the input to the output through non-`none` edges.
    public static func liveEdges(_ a: NB201Arch) -> [Bool] {
        var fromInput = [true, false, false, false]
        for (e, (u, v)) in NB201Arch.edges.enumerated() where a.op(e) != .none && fromInput[u] { fromInput[v] = true }
        var toOutput = [false, false, false, true]
        for (e, (u, v)) in NB201Arch.edges.enumerated().reversed() where a.op(e) != .none && toOutput[v] {
            toOutput[u] = true
        }
        return NB201Arch.edges.enumerated().map { e, uv in a.op(e) != .none && fromInput[uv.0] && toOutput[uv.1] }
    }

    /// The eight raw structural features of one architecture.
    public static func rawStructural(_ a: NB201Arch) -> [Double] {
        var f = [Double](repeating: 0, count: 8)
        let live = liveEdges(a)
        for e in 0..<NB201Arch.edgeCount {
            let op = a.op(e).rawValue  // none 0, skip 1, conv1x1 2, conv3x3 3, pool 4
            guard op > 0 else { continue }
            f[op - 1] += 1
            if live[e] { f[4 + op - 1] += 1 }
        }
        return f
    }

    /// Structural features of every arch (by code), each standardized over the whole space: `[code][feature]`.
    public static let structural: [[Double]] = standardizedColumns(NB201Arch.all.map(rawStructural))

    /// Standardizes each column of a row-major table (mean 0, standard deviation 1 over all rows; a constant
    /// column becomes 0).
    static func standardizedColumns(_ rows: [[Double]]) -> [[Double]] {
        guard let width = rows.first?.count else { return rows }
        var out = rows
        for j in 0..<width {
            var sum = 0.0
            for r in rows { sum += r[j] }
            let mean = sum / Double(rows.count)
            var ss = 0.0
            for r in rows { ss += (r[j] - mean) * (r[j] - mean) }
            let sd = (ss / Double(rows.count)).squareRoot()
            for i in rows.indices { out[i][j] = sd > 0 ? (rows[i][j] - mean) / sd : 0 }
        }
        return out
    }

    /// A source table as one feature per arch: its latency, where it has none the latency its own structural ridge
    /// fit of log latency (λ = 10⁻³, on all of its measured models) predicts; then standardized over the space.
    public static func source(_ table: MetricTable) throws -> [Double] {
        standardizedColumns(try sourceLogs(table).map { [exp($0)] }).map { $0[0] }
    }

    /// A source table's log latency per arch, unmeasured archs filled in by its structural ridge fit.
    public static func sourceLogs(_ table: MetricTable) throws -> [Double] {
        var logs = table.values.map { $0.isNaN ? Double.nan : log($0) }
        let measured = logs.indices.filter { !logs[$0].isNaN }
        guard measured.count >= 10 else {
            throw NASLibError(
                "source \(table.name) has \(measured.count) models measured; a source needs a (nearly) complete table")
        }
        if measured.count < logs.count {
            let fit = try Ridge.fit(measured.map { structural[$0] }, measured.map { logs[$0] }, penalty: 1e-3)
            for i in logs.indices where logs[i].isNaN { logs[i] = fit.predict(structural[i]) }
        }
        return logs
    }
}
