import Foundation
import TestSupport
import Testing

/// Journals have one writer: a search or measurement directory another process is using is refused, and a journal
/// that is not a regular file is an error, never a hang or a silent exit 0.
@Suite(.serialized) struct JournalSafetyTests {
    /// Starts brpsh in its own process group (so the test can kill it and anything it started).
    static func start(_ args: [String], cwd: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func secondProcessOnASearchDirectoryIsRefused() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The first search's evaluation never ends: it holds the directory until it is killed.
        let first = try Self.start(
            ["-c", "r = random_search(budget: 3, seed: 1, dir: \"s\", evaluate: fn(a) { while true {} })"], cwd: dir)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: dir + "/s/journal.jsonl"), Date() < deadline { usleep(50_000) }
        let (status, _, err) = try ArtifactTests.brpsh(
            ["-c", "r = random_search(budget: 3, seed: 1, dir: \"s\", evaluate: fn(a) { 1 })"], cwd: dir)
        #expect(status == 70 && err.contains("in use by another brpsh process"), "\(status) \(err)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // Once the first process is gone, the directory is free (this call's evaluator differs from the journal's,
        // which is refused as another search, not as a directory in use).
        let (_, _, err2) = try ArtifactTests.brpsh(
            ["-c", "r = random_search(budget: 3, seed: 1, dir: \"s\", evaluate: fn(a) { 1 })"], cwd: dir)
        #expect(err2.contains("holds another search") && !err2.contains("in use"), "\(err2)")
    }

    @Test func sameSessionReopensItsOwnDirectory() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = """
            s = random_search(ask: true, budget: 4, seed: 2, dir: "a")
            x = s.ask(1)
            t = random_search(ask: true, budget: 4, seed: 2, dir: "a")
            print(len(t.ask(1)))
            """
        let (status, out, err) = try ArtifactTests.brpsh(["-c", code], cwd: dir)
        #expect(status == 0 && out.contains("1"), "\(err)")
    }

    @Test func fifoJournalsAreRefused() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sub in ["m", "s"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
            #expect(mkfifo(dir + "/" + sub + "/journal.jsonl", 0o644) == 0)
        }
        let (m, _, e1) = try ArtifactTests.brpsh(["-c", "t = measure(n: 1, dir: \"m\")"], cwd: dir)
        #expect(m == 70 && e1.contains("is not a regular file"), "\(m) \(e1)")
        let (s, _, e2) = try ArtifactTests.brpsh(
            ["-c", "r = random_search(budget: 2, dir: \"s\", evaluate: fn(a) { 1 })"], cwd: dir)
        #expect(s == 70 && e2.contains("is not a regular file"), "\(s) \(e2)")
    }
}
