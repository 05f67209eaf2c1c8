import Foundation
import NASLib
import TestSupport
import Testing

/// Tables are joined to architectures by architecture, never by another file's row order.
@Suite struct JoinByArchTests {
    /// HELP's latency lists are joined through HELP's own arch map: a shuffled (otherwise identical) NB201 CSV changes
    /// the official index numbers it defines, not any arch's HELP latency or accuracy.
    @Test(.needsData) func shuffledNB201CSVChangesNoLatency() throws {
        let dir = NSTemporaryDirectory() + "brpsh-join-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: TestData.directory!.root, toPath: dir)
        try FileManager.default.removeItem(atPath: dir + "/sha256sums.txt")
        let csvPath = dir + "/" + DataFile.nb201TestAccuracy.path
        let text = try String(contentsOfFile: csvPath, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        var rng = SeededRandom(seed: 7)
        rng.shuffle(&lines)
        try ([header] + lines).joined(separator: "\n").appending("\n").write(
            toFile: csvPath, atomically: true, encoding: .utf8)

        let shuffled = Benchmark(directory: try DataDirectory(root: dir))
        let original = TestData.benchmark!
        #expect(try shuffled.index().codes != original.index().codes, "the shuffle kept the index order")
        for name in ["help-fpga", "help-pixel2", "help-titan-rtx-256"] {
            #expect(
                try shuffled.table(named: name).values.elementsEqual(original.table(named: name).values) {
                    $0 == $1 || ($0.isNaN && $1.isNaN)
                }, "\(name)")
        }
        #expect(try shuffled.accuracy(.cifar100, .test).values == original.accuracy(.cifar100, .test).values)
    }
}
