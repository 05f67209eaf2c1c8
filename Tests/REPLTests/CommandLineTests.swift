import Foundation
import TestSupport
import Testing

/// The command line as users call it (swift-argument-parser behind it): every way to run code, every exit status,
/// the subcommands, generated help and completion.
@Suite struct CommandLineTests {
    static func brpsh(_ args: [String], stdin: String? = nil, env: [String: String] = [:], cwd: String? = nil) throws
        -> (Int32, String, String)
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        if let d = cwd { p.currentDirectoryURL = URL(fileURLWithPath: d) }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let s = stdin { input.fileHandleForWriting.write(Data(s.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self))
    }

    @Test func waysToRunCode() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "n = 2\nprint(n * 21)\n".write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        #expect(try Self.brpsh(["s.brp"], cwd: dir).1 == "42\n")
        #expect(try Self.brpsh(["run", "s.brp"], cwd: dir).1 == "42\n")
        #expect(try Self.brpsh(["s.brp", "--set", "n=3"], cwd: dir).1 == "63\n")
        #expect(try Self.brpsh(["--set=n=4", "s.brp"], cwd: dir).1 == "84\n")
        #expect(try Self.brpsh(["-c", "print(1 + 1)"]).1 == "2\n")
        #expect(try Self.brpsh(["-c", "-(-1)"]).1 == "1\n")  // code that starts with '-'
        #expect(try Self.brpsh(["-"], stdin: "print(7)\n").1 == "7\n")
        #expect(try Self.brpsh([], stdin: "x = 5\nx * 2\n").1 == "10\n")  // the REPL on a pipe
        #expect(try Self.brpsh(["--seed", "9", "-c", "print(seed())"]).0 != 64)
        // A #!/usr/bin/env brpsh script, run directly.
        try "#!/usr/bin/env brpsh\nprint(\"shebang\")\n".write(
            toFile: dir + "/x.brp", atomically: true, encoding: .utf8)
        chmod(dir + "/x.brp", 0o755)
        let path =
            URL(fileURLWithPath: ArtifactTests.binary).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dir + "/x.brp")
        p.environment = ["PATH": path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "shebang\n")
    }

    @Test func exitStatuses() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.brpsh(["--no-such-flag"]).0 == 64)
        #expect(try Self.brpsh(["-c", "1", "extra.brp"]).0 == 64)
        #expect(try Self.brpsh(["--set", "x=1"]).0 == 64)  // --set without a script
        #expect(try Self.brpsh(["nonexistent.brp"]).0 == 66)
        #expect(try Self.brpsh([dir]).0 == 66)  // a directory
        #expect(try Self.brpsh(["-c", "x = (1"]).0 == 65)
        #expect(try Self.brpsh(["-c", "gcn(devise: \"d-cpu\")"]).0 == 65)  // the static check
        #expect(try Self.brpsh(["-c", "1 / 0"]).0 == 70)
        let (status, _, err) = try Self.brpsh(["-c", "y = 1 +"])
        #expect(
            status == 65 && err.contains("-c:1:7: error: expected an expression after '+', found end of input"),
            "\(err)")
    }

    @Test func helpVersionAndCompletion() throws {
        let (s1, help, _) = try Self.brpsh(["--help"])
        #expect(s1 == 0 && help.contains("SUBCOMMANDS") && help.contains("check") && help.contains("data"))
        let (s2, runHelp, _) = try Self.brpsh(["help", "run"])
        #expect(s2 == 0 && runHelp.contains("--out") && runHelp.contains("--set"))
        let (s3, version, _) = try Self.brpsh(["--version"])
        #expect(s3 == 0 && version.hasPrefix("brpsh "))
        let (s4, bash, _) = try Self.brpsh(["--generate-completion-script", "bash"])
        #expect(s4 == 0 && bash.contains("complete") && bash.contains("brpsh"))
        let (s5, markdown, _) = try Self.brpsh(["--builtins-markdown"])
        #expect(s5 == 0 && markdown.hasPrefix("# brpsh builtins"))
    }

    /// `brpsh data` and `brpsh data verify` on the shipped data and on a copy with one byte changed.
    @Test(.needsData) func dataCommand() throws {
        let (status, out, err) = try Self.brpsh(["data"])
        #expect(status == 0, "\(err)")
        #expect(out.contains("50 files") && out.contains("50 verified") && out.contains("device m-gpu"), "\(out)")
        let (ok, verified, _) = try Self.brpsh(["data", "verify"])
        #expect(ok == 0 && verified.contains("50 verified"))
        let root = try #require(TestData.directory).root
        let copy = ArtifactTests.scratch() + "/data"
        defer { try? FileManager.default.removeItem(atPath: (copy as NSString).deletingLastPathComponent) }
        try FileManager.default.copyItem(atPath: root, toPath: copy)
        let pickle = copy + "/latbench/mobile-gpu-snapdragon-675-adreno-612-int8.pickle"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: pickle))
        bytes[5000] ^= 1
        try bytes.write(to: URL(fileURLWithPath: pickle))
        let (bad, report, _) = try Self.brpsh(["data", "verify"], env: ["BRPSH_DATA": copy])
        #expect(
            bad == 1 && report.contains("FAILED: latbench/mobile-gpu-snapdragon-675-adreno-612-int8.pickle"),
            "\(report)")
        let (refused, _, why) = try Self.brpsh(["-c", "truth(\"m-gpu\").predict(0)"], env: ["BRPSH_DATA": copy])
        #expect(refused == 70 && why.contains("fails verification"), "\(why)")
    }
}
