import Foundation
import Testing

/// The hostile inputs of the reliability rounds (docs/reliability.md), run against the built binary: each case is
/// a command line with the files it needs (large ones generated here) and its expected class, a clear error (exit
/// status and message) or the right answer. Whatever the class, no case may die by a signal or run past its time
/// limit. Cases the other suites cover in depth (the kernel over ZeroMQ, sweeps on Slurm, the fork bomb, directory
/// locks, HELP's join) are named in docs/reliability.md with their tests.
@Suite(.serialized) struct HostileCorpusTests {
    enum Expect: Sendable {
        /// Exit status and a fragment of standard error.
        case error(Int32, String)
        /// Exit 0 and standard output containing this.
        case answer(String)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let args: [String]
        var files: [String: @Sendable () -> Data] = [:]
        var stdin: String? = nil
        var env: [String: String] = [:]
        let expect: Expect
        var testDescription: String { name }
    }

    static func text(_ s: String) -> @Sendable () -> Data { { Data(s.utf8) } }
    static func hex(_ s: String) -> @Sendable () -> Data {
        let u = Array(s.utf8)
        return {
            Data(
                stride(from: 0, to: u.count, by: 2).map {
                    UInt8(String(decoding: u[$0..<$0 + 2], as: UTF8.self), radix: 16)!
                })
        }
    }

    static let cases: [Case] = [
        // Data files.
        Case(
            name: "protocol-4 pickle with MEMOIZE inside the dict being filled",
            args: ["-c", "print(latency_table(\"m.pickle\").records)"],
            files: [
                "m.pickle": hex(
                    "80047d9428284b004b014b024b034b044b0074473f86bb98c7e2824194284b014b014b014b014b014b0174473f96bb98c7e2824194284b024b024b024b024b024b02746801752e"
                )
            ],
            expect: .answer("arch(4317)    11.1ms")),
        Case(
            name: "3 MB pickle of nested one-element tuples", args: ["-c", "t = latency_table(\"deep.pickle\")"],
            files: ["deep.pickle": { Data([0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 3_000_000) + [0x2E]) }],
            expect: .error(70, "nests values more than 100 deep")),
        Case(
            name: "a 1.7e308 s latency in a pickle", args: ["-c", "t = latency_table(\"huge.pickle\")"],
            files: [
                "huge.pickle": hex(
                    "80027d2828" + "4b00" + "4b01" + "4b02" + "4b03" + "4b04" + "4b00" + "74" + "477fee42d130773b76"
                        + "752e")
            ],
            expect: .error(70, "is not a positive number of seconds of at most 86400")),
        Case(
            name: "a numpy array in a pickle", args: ["-c", "t = latency_table(\"np.pickle\")"],
            files: ["np.pickle": hex("8002636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a2e")],
            expect: .error(70, "brpsh reads numpy scalars, not numpy arrays")),
        // The language's promises.
        Case(
            name: "250,000-long ** chain", args: ["chain.brp"],
            files: [
                "chain.brp": {
                    Data(("x = " + Array(repeating: "1", count: 250_000).joined(separator: " ** ") + "\n").utf8)
                }
            ],
            expect: .error(65, "expression nested too deeply")),
        Case(name: "0 ** -1", args: ["-c", "print(0 ** -1)"], expect: .error(70, "division by zero")),
        Case(name: "sqrt(-1)", args: ["-c", "print(sqrt(-1))"], expect: .error(70, "sqrt(-1) is not a real number")),
        Case(name: "log(0)", args: ["-c", "print(log(0))"], expect: .error(70, "log(0) is infinite")),
        Case(name: "exp(1000)", args: ["-c", "print(exp(1000))"], expect: .error(70, "exp(1000) is infinite")),
        Case(
            name: "std near the float limit", args: ["-c", "print(std([1e308, -1e308]))"],
            expect: .answer("1.4142135623730951e+308")),
        Case(name: "1e308ms * 10", args: ["-c", "print(1e308ms * 10)"], expect: .error(70, "overflows a float")),
        Case(name: "(1e300s).ns", args: ["-c", "print((1e300s).ns)"], expect: .error(70, "in ns overflows a float")),
        Case(
            name: "a 4-element range with a huge span",
            args: ["-c", "print(len((-9223372036854775807)..9223372036854775807 step 4611686018427387904))"],
            expect: .answer("4")),
        Case(
            name: "string doubling", args: ["-c", "s = \"ab\"; while true { s = s + s }"],
            expect: .error(70, "more than the limit of 100000000")),
        Case(
            name: "10^14-element nested repetition", args: ["-c", "x = [[0] * 10000000] * 10000000; print(json(x))"],
            expect: .error(70, "nested lists included")),
        Case(
            name: "16,000 statements on one line", args: ["long.brp"],
            files: [
                "long.brp": {
                    Data((Array(repeating: "x = 1", count: 16_000).joined(separator: "; ") + "; print(x + 1)\n").utf8)
                }
            ],
            expect: .answer("2")),
        Case(
            name: "a population larger than the space", args: ["-c", "r = evolve(pool: 100000000, budget: 10)"],
            expect: .error(70, "must be between 1 and 15625")),
        // Files the run writes.
        Case(
            name: "save with a NUL in the name", args: ["-c", "save([{a: 1}], \"x\\u{0}.csv\")"],
            expect: .error(70, "NUL character")),
        // The command line.
        Case(
            name: "--over Int.min..Int.max",
            args: [
                "sweep", "s.brp", "--over", "x=-9223372036854775808..9223372036854775807", "--out", "o", "--dry-run",
            ],
            files: ["s.brp": text("x = 1\nprint(x)\n")], expect: .error(1, "more than 100000 values")),
        Case(
            name: "four --over of 65,536 values",
            args: [
                "sweep", "s.brp", "--over", "a=1..65536", "--over", "b=1..65536", "--over", "c=1..65536",
                "--over", "d=1..65536", "--out", "o", "--dry-run",
            ],
            files: ["s.brp": text("a = 1\nb = 1\nc = 1\nd = 1\nprint(a)\n")],
            expect: .error(1, "more than 100000 points")),
        Case(
            name: ":cache clear in a folder that is not a cache", args: [],
            files: ["cache/thesis.tex": text("\\documentclass{article}")],
            stdin: ":cache clear\n", env: ["BRPSH_CACHE": "cache"], expect: .error(70, "is not a brpsh cache")),
        // Evaluation commands.
        Case(
            name: "an accuracy line ending in CRLF",
            args: ["-c", "r = random_search(budget: 1, seed: 1, evaluate: run(\"sh e.sh {arch}\")); print(r.best)"],
            files: ["e.sh": text("printf 'epoch 1\\r\\n{\"accuracy\": 93.5}\\r\\n'\n")], expect: .answer("93.5")),
        Case(
            name: "a progress object after the result, binary output before",
            args: ["-c", "r = random_search(budget: 1, seed: 1, evaluate: run(\"sh e.sh {arch}\")); print(r.best)"],
            files: ["e.sh": text("printf '\\377\\376\\000\\n{\"accuracy\": 91.25}\\n{\"epoch\": 200}\\n'\n")],
            expect: .answer("91.25")),
        Case(
            name: "an accuracy of 10^30",
            args: ["-c", "r = random_search(budget: 1, seed: 1, evaluate: run(\"sh e.sh {arch}\")); print(r.best)"],
            files: ["e.sh": text("echo '{\"accuracy\": 1000000000000000000000000000000}'\n")], expect: .answer("1e+30")),
    ]

    @Test(arguments: cases)
    func hostileInput(_ c: Case) throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, make) in c.files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try make().write(to: URL(fileURLWithPath: path))
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        p.arguments = c.args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["BRPSH_CACHE"] = dir + "/.cache"
        for (k, v) in c.env { env[k] = v.hasPrefix("/") ? v : dir + "/" + v }
        p.environment = env
        // Output to files (a full pipe would stall it); a hang guard.
        let outPath = dir + "/.stdout"
        let errPath = dir + "/.stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let input = Pipe()
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardInput = input
        try p.run()
        if let s = c.stdin { input.fileHandleForWriting.write(Data(s.utf8)) }
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        let hung = p.isRunning
        if hung { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        #expect(!hung, "\(c.name): no answer within 120 s")
        #expect(p.terminationReason == .exit, "\(c.name): died by signal \(p.terminationStatus)\n\(stderr)")
        switch c.expect {
        case .error(let status, let fragment):
            #expect(
                p.terminationStatus == status && stderr.contains(fragment),
                "\(c.name): exit \(p.terminationStatus)\n\(stderr)")
        case .answer(let fragment):
            #expect(
                p.terminationStatus == 0 && stdout.contains(fragment),
                "\(c.name): exit \(p.terminationStatus)\n\(stdout)\n\(stderr)")
        }
        if c.name.hasPrefix(":cache clear") {
            #expect(
                FileManager.default.fileExists(atPath: dir + "/cache/thesis.tex"),
                "a user's file in BRPSH_CACHE was deleted")
        }
    }
}
