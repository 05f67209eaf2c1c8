import Foundation
import NASLib
import TestSupport
import Testing

@testable import App
@testable import Sweep

/// The binary names the sources it was built from: provenance.json's `brpsh.sources` is the SHA-256 the build plugin
/// computes, recomputed here over Sources/ (each Swift and C file's path relative to Sources/, its size and its bytes,
/// in path order: `.swift`, `.c`, `.h`). It fails if the plugin stops running or hashes something else.
@Suite struct BuildIdentityTests {
    @Test func recordedSourcesAreTheseSources() throws {
        let root = KernelTests.root.appendingPathComponent("Sources")
        var paths: [String] = []
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        while let f = walker.nextObject() as? String {
            if [".swift", ".c", ".h"].contains(where: { f.hasSuffix($0) }) {
                paths.append(root.appendingPathComponent(f).path)
            }
        }
        var bytes: [UInt8] = []
        for path in paths.sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let relative = String(path.dropFirst(root.path.count + 1))
            bytes += Array("\(relative)\n\(data.count)\n".utf8) + Array(data)
        }
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ArtifactTests.brpsh(["-c", "print(1)", "--out", "b"], cwd: dir).0 == 0)
        let provenance = try TestJSON.object(dir + "/b/provenance.json")
        let recorded = (provenance["brpsh"] as? [String: Any])?["sources"] as? String
        #expect(
            recorded == SHA256.hex(bytes),
            "the binary records \(recorded ?? "nothing"), the sources hash to \(SHA256.hex(bytes))")
    }
}
