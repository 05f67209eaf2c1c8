/// The official NAS-Bench-201 index order (0..15624), which only the benchmark files define:
/// row i of `nb201/nats_tss_test_acc_200ep.csv` is index i.
public struct NB201Index: Sendable {
    /// code of the arch at each official index.
    public let codes: [Int]
    /// official index of each arch code.
    public let indices: [Int]

    /// Builds the mapping from arch strings in index order; all 15625 must appear once.
    public init(archStrings: [String], source: String) throws {
        guard archStrings.count == NB201Arch.count else {
            throw NASLibError("\(source): \(archStrings.count) archs, NB201 has 15625 (truncated file?)")
        }
        var codes = [Int](repeating: 0, count: NB201Arch.count)
        var indices = [Int](repeating: -1, count: NB201Arch.count)
        for (i, s) in archStrings.enumerated() {
            let arch: NB201Arch
            do {
                arch = try NB201Arch(string: s)
            } catch let e as NASLibError {
                throw NASLibError("\(source): row \(i + 2): \(e.message)")
            }
            guard indices[arch.code] < 0 else {
                throw NASLibError("\(source): row \(i + 2): arch \(Printable.escaped(s)) appears twice")
            }
            codes[i] = arch.code
            indices[arch.code] = i
        }
        self.codes = codes
        self.indices = indices
    }

    public func arch(index: Int) throws -> NB201Arch {
        guard index >= 0 && index < NB201Arch.count else {
            throw NASLibError("NB201 index \(index) is out of range 0...15624")
        }
        return NB201Arch(code: codes[index])
    }

    public func index(of arch: NB201Arch) -> Int { indices[arch.code] }
}
