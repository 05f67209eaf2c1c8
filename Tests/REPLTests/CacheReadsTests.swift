import Builtins
import Foundation
import NASLib
import TestSupport
import Testing

/// A cached result is used only while every file its call read is unchanged: the files are recorded as they are
/// read, never listed by hand. Each test works on a copy of the data (without its checksum list, so a changed file
/// is read as a user's own data, with a warning) and its own cache.
@Suite(.serialized) struct CacheReadsTests {
    /// A scratch folder with a copy of the benchmark data in `data/` and an empty `cache/`.
    static func copyOfTheData() throws -> String {
        let dir = ArtifactTests.scratch()
        try FileManager.default.copyItem(atPath: TestData.directory!.root, toPath: dir + "/data")
        try FileManager.default.removeItem(atPath: dir + "/data/sha256sums.txt")
        return dir
    }

    /// The files (path → SHA-256) the only entry of a cache says its computation read.
    static func recordedFiles(_ cache: String) throws -> [String: String] {
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".bin") }
        #expect(entries.count == 1, "\(entries)")
        let data = try Data(contentsOf: URL(fileURLWithPath: cache + "/" + entries[0]))
        let lines = data.split(separator: 0x0A, maxSplits: 3, omittingEmptySubsequences: false)
        #expect(String(decoding: lines[0], as: UTF8.self) == "BRPSHCACHE3")
        return try JSONSerialization.jsonObject(with: Data(lines[2])) as? [String: String] ?? [:]
    }

    /// gcn on a HELP device: its entry lists HELP's table and HELP's arch map (the join), and changing any file it
    /// lists makes the next call recompute (or fail on the damaged file), never answer from the cache.
    @Test(.needsData) func changingAnyFileAComputationReadRecomputes() throws {
        let dir = try Self.copyOfTheData()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["BRPSH_DATA": dir + "/data", "BRPSH_CACHE": dir + "/cache"]
        let code =
            "p = gcn(device: \"help-fpga\", n: 20, valid: 5, epochs: 1, hidden: 8, seed: 1); print(p.predict([0]))"
        let (status, first, err) = try ArtifactTests.brpsh(["-c", code], env: env)
        #expect(status == 0, "\(err)")
        let files = try Self.recordedFiles(dir + "/cache")
        let names = files.keys.map { ($0 as NSString).lastPathComponent }
        #expect(names.contains("fpga.pt") && names.contains("str_arch2idx.pt"), "\(names)")
        let (_, again, cachedNote) = try ArtifactTests.brpsh(["-c", code], env: env)
        #expect(again == first && cachedNote.contains("(gcn from cache"), "\(cachedNote)")
        for path in files.keys.sorted() {
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            try (original + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
            let (_, _, note) = try ArtifactTests.brpsh(["-c", code], env: env)
            #expect(!note.contains("(gcn from cache"), "changed \(path), yet the cached result was used: \(note)")
            try original.write(to: URL(fileURLWithPath: path))
        }
    }

    /// A user's file read by a cached search (per-seed accuracies) is part of what the entry depends on.
    @Test(.needsData) func aChangedPerSeedFileRecomputes() throws {
        let dir = try Self.copyOfTheData()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["BRPSH_DATA": dir + "/data", "BRPSH_CACHE": dir + "/cache"]
        var rows = "index,accuracy\n"
        for i in 0..<15625 { rows += "\(i),\(Double(i % 97))\n" }
        try rows.write(toFile: dir + "/seeds.csv", atomically: true, encoding: .utf8)
        let code =
            "r = evolve(pool: 5, sample: 2, budget: 40, per_seed: \"seeds.csv\", select: \"signal\", seed: 3); print(r.runs[0].best_arch)"
        let (s1, first, e1) = try ArtifactTests.brpsh(["-c", code], env: env, cwd: dir)
        #expect(s1 == 0, "\(e1)")
        let (_, _, cachedNote) = try ArtifactTests.brpsh(["-c", code], env: env, cwd: dir)
        #expect(cachedNote.contains("(evolve from cache"), "\(cachedNote)")
        rows = "index,accuracy\n"
        for i in 0..<15625 { rows += "\(i),\(Double((i * 7) % 89))\n" }
        try rows.write(toFile: dir + "/seeds.csv", atomically: true, encoding: .utf8)
        let (s3, third, e3) = try ArtifactTests.brpsh(["-c", code], env: env, cwd: dir)
        #expect(s3 == 0 && !e3.contains("(evolve from cache"), "\(e3)")
        #expect(third != first, "the search did not see the new accuracies")
    }

    /// `:cache clear` removes brpsh's entries and nothing else, and refuses a folder that is not a brpsh cache.
    @Test func clearRemovesOnlyEntries() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let key = String(repeating: "ab", count: 32)
        let fm = FileManager.default
        _ = fm.createFile(atPath: dir + "/thesis.tex", contents: Data("\\documentclass{article}".utf8))
        try fm.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        _ = fm.createFile(atPath: dir + "/\(key).bin", contents: Data("x".utf8))
        let cache = ResultCache(directory: dir)
        #expect(throws: NASLibError.self) { try cache.clear() }
        #expect(
            fm.fileExists(atPath: dir + "/thesis.tex") && fm.fileExists(atPath: dir + "/sub")
                && fm.fileExists(atPath: dir + "/\(key).bin"))
        cache.write(String(repeating: "cd", count: 32), "bin", Data("y".utf8))  // marks the folder
        #expect(try cache.clear() == 2)
        #expect(fm.fileExists(atPath: dir + "/thesis.tex") && fm.fileExists(atPath: dir + "/sub"))
        #expect(!fm.fileExists(atPath: dir + "/\(key).bin"))
        // A folder of entries alone (a cache from before the marker) is cleared.
        let old = ArtifactTests.scratch()
        defer { try? fm.removeItem(atPath: old) }
        _ = fm.createFile(atPath: old + "/\(key).bin", contents: Data("x".utf8))
        #expect(try ResultCache(directory: old).clear() == 1)
        #expect(
            ResultCache.isEntry("\(key).bin.tmp123") && !ResultCache.isEntry("\(key).bin.tmp")
                && !ResultCache.isEntry("thesis.tex"))
    }
}
