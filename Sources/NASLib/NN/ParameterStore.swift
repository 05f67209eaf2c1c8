/// All of a model's parameters in one contiguous buffer, with their gradients in another, so
/// an optimiser updates everything in one fused pass. Tensors are named slices of it.
///
/// The buffers are owned manually (not Swift arrays) so layers, optimiser and trainer share
/// them through pointers without copies or exclusivity conflicts.
// Sendable, unchecked: the buffers are written by one training loop; its parallel parts write disjoint ranges.
public final class ParameterStore<T: Real>: @unchecked Sendable {
    public struct Slice: Sendable, Equatable {
        public let name: String
        public let offset: Int
        public let rows: Int
        public let cols: Int
        public var count: Int { rows * cols }
        public var range: Range<Int> { offset..<(offset + count) }
    }

    public private(set) var slices: [Slice] = []
    public private(set) var values: UnsafeMutablePointer<T>
    public private(set) var grads: UnsafeMutablePointer<T>
    public private(set) var count = 0
    private var capacity = 0

    public init() {
        values = .allocate(capacity: 1)
        grads = .allocate(capacity: 1)
    }

    deinit {
        values.deallocate()
        grads.deallocate()
    }

    /// Adds a rows × cols tensor (a vector has rows = 1) filled with zeros.
    @discardableResult
    public func add(_ name: String, _ rows: Int, _ cols: Int) -> Slice {
        let s = Slice(name: name, offset: count, rows: rows, cols: cols)
        let newCount = count + s.count
        if newCount > capacity {
            let cap = max(newCount, capacity * 2)
            for (old, assign) in [
                (values, { (p: UnsafeMutablePointer<T>) in self.values = p }),
                (grads, { (p: UnsafeMutablePointer<T>) in self.grads = p }),
            ] {
                let fresh = UnsafeMutablePointer<T>.allocate(capacity: cap)
                fresh.initialize(from: old, count: count)
                old.deallocate()
                assign(fresh)
            }
            capacity = cap
        }
        (values + count).initialize(repeating: 0, count: s.count)
        (grads + count).initialize(repeating: 0, count: s.count)
        count = newCount
        slices.append(s)
        return s
    }

    /// A copy of the parameters (best-epoch weights, saving).
    public func snapshot() -> [T] { Array(UnsafeBufferPointer(start: values, count: count)) }

    public func restore(_ snapshot: [T]) {
        precondition(snapshot.count == count, "restore: \(snapshot.count) values for \(count) parameters")
        snapshot.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: count) }
    }

    public var gradients: [T] { Array(UnsafeBufferPointer(start: grads, count: count)) }

    public func zeroGrads(_ range: Range<Int>? = nil) {
        let r = range ?? 0..<count
        (grads + r.lowerBound).update(repeating: 0, count: r.count)
    }

    /// Fills a slice with U(-bound, bound).
    public func uniform(_ s: Slice, bound: T, _ rng: inout SeededRandom) {
        for i in s.range { values[i] = T(rng.uniform(-Double(bound), Double(bound))) }
    }

    public func fill(_ s: Slice, _ v: T) {
        (values + s.offset).update(repeating: v, count: s.count)
    }

    public func slice(named name: String) -> Slice? { slices.first { $0.name == name } }
}
