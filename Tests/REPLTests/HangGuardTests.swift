import Foundation
import Testing

/// Work that used to hang, or ignore Ctrl-C, ends (or stops when asked) in bounded time. The bounds are generous
/// hang guards, not timings: before the fixes these took minutes.
@Suite(.serialized) struct HangGuardTests {
    /// 30,000 `;`-separated statements on one line ran in quadratic time (16,000 took 23 s).
    @Test func oneLineScriptOfManyStatements() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (Array(repeating: "x = 1", count: 30_000).joined(separator: "; ") + "; print(x)\n")
            .write(toFile: dir + "/long.brp", atomically: true, encoding: .utf8)
        let start = Date()
        let (status, out, err) = try ArtifactTests.brpsh(["long.brp"], cwd: dir)
        #expect(status == 0 && out == "1\n", "\(err)")
        #expect(Date().timeIntervalSince(start) < 60, "30,000 statements took \(Date().timeIntervalSince(start)) s")
    }

    /// Ctrl-C (SIGINT) stops a sort whose key function runs millions of times.
    @Test func sortWithAKeyFunctionIsInterruptible() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = ["-c", "xs = sort(1..3000000, key: fn(x) { -x }); print(len(xs))"]
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(p.processIdentifier, SIGINT)
        let asked = Date()
        let deadline = asked.addingTimeInterval(20)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(Date().timeIntervalSince(asked) < 20, "still sorting 20 s after Ctrl-C")
        #expect(p.terminationStatus == 70 && message.contains("interrupted"), "\(p.terminationStatus) \(message)")
    }
}
