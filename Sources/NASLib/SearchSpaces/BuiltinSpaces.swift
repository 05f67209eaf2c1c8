/// The built-in spaces as declarations (docs/spaces.md): NAS-Bench-201's cell, NAS-Bench-101's cell and DARTS's
/// cells are ordinary declared spaces, and their graph encodings are these declarations' (NB201Arch, NB101Cell and
/// DartsGenotype keep their own types for the benchmark tables, the NB101 files and the DARTS code's text form).
extension DeclaredSpace {
    /// NAS-Bench-201: 4 nodes, the five ops in LatBench's code order; the enumeration order is NB201Arch's code, the
    /// text form its arch string (tested on all 15,625 models).
    public static let nb201 = try! DeclaredSpace(edges: 4, ops: NB201Op.allCases.map(\.name))

    /// NAS-Bench-101: up to 7 nodes and 9 edges, the three ops in the encoding's column order.
    public static let nb101 = try! DeclaredSpace(
        nodes: 7, maxEdges: 9,
        ops: [NB101Cell.Op.conv3x3, .conv1x1, .maxpool].map(\.rawValue))

    /// DARTS: a normal and a reduction cell of 4 nodes, each reading 2 of the nodes before it (2 cell inputs), the
    /// seven ops of a derived genotype.
    public static let darts = try! DeclaredSpace(
        inputs: 4, inputs: 2, cellInputs: 2, ops: DartsGenotype.Op.allCases.map(\.rawValue),
        cells: ["normal", "reduce"])

    /// The built-in spaces by name.
    public static let builtIn: [(name: String, space: DeclaredSpace)] = [
        ("nb201", nb201), ("nb101", nb101), ("darts", darts),
    ]
}
