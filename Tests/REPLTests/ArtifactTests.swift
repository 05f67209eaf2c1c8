import Foundation
import TestSupport
import Testing

/// Reproducible runs end to end, with the built binary: --out bundles, check, notebooks,
/// determinism across thread counts, the result cache.
@Suite(.serialized) struct ArtifactTests {
    static let binary = TerminalEndToEndTests.binary

    /// Runs brpsh; returns (status, stdout, stderr).
    @discardableResult
    static func brpsh(_ args: [String], env: [String: String] = [:], cwd: String? = nil) throws -> (
        Int32, String, String
    ) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        if let d = cwd { p.currentDirectoryURL = URL(fileURLWithPath: d) }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self))
    }

    static func scratch() -> String {
        let d = NSTemporaryDirectory() + "brpsh-artifact-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static let script = """
        n = 3
        xs = map(1..n) { i -> {i: i, t: 1ms * i, r: i / 3} }
        xs
        save(xs, "xs.csv")
        save({total: sum(map(xs) { x -> x.r })}, "total.json")
        save(plot(x: map(xs) { x -> x.i }, y: map(xs) { x -> x.r }, label: "r"), "r.svg")
        print("done")
        """

    /// A data file its directory's checksum list does not vouch for is read with a warning: through the session's
    /// output (stderr here) and into provenance.json, beside the file's `verified: false`.
    @Test(.needsData) func unverifiedDataIsAWarningOfTheRun() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try #require(TestData.directory).root + "/latbench/desktop-cpu-core-i7-7820x-fp32.pickle"
        try FileManager.default.createDirectory(atPath: dir + "/data/latbench", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: source, toPath: dir + "/data/latbench/desktop-cpu-core-i7-7820x-fp32.pickle")
        try "".write(toFile: dir + "/data/sha256sums.txt", atomically: true, encoding: .utf8)  // lists nothing
        try "p = layerwise(device: \"d-cpu\", n: 20)\nprint(\"done\")\n".write(
            toFile: dir + "/u.brp", atomically: true, encoding: .utf8)
        let (status, out, err) = try Self.brpsh(
            ["u.brp", "--out", "b", "--no-cache"], env: ["BRPSH_DATA": dir + "/data"], cwd: dir)
        #expect(status == 0 && out.contains("done"), "\(err)")
        let said =
            "data file \(dir)/data/latbench/desktop-cpu-core-i7-7820x-fp32.pickle is unverified (sha256sums.txt does not list it)"
        #expect(err.contains("warning: " + said), "\(err)")
        let prov =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/b/provenance.json")))
            as! [String: Any]
        let warnings = try #require(prov["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].hasPrefix(said), "\(warnings)")
        let files = (prov["data"] as? [String: Any])?["files"] as? [[String: Any]]
        #expect(files?.count == 1 && files?.first?["verified"] as? Bool == false, "\(files ?? [])")
    }

    @Test func outBundleAndCheck() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        let (status, out, err) = try Self.brpsh(["run", "s.brp", "--out", "bundle", "--set", "n=4"], cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(out.contains("done"))
        for f in ["provenance.json", "transcript.txt", "results.json", "xs.csv", "total.json", "r.svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/bundle/\(f)"), "missing \(f)")
        }
        let prov =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: dir + "/bundle/provenance.json"))) as! [String: Any]
        for key in [
            "brpsh", "script", "data", "seed", "overrides", "blas", "machine", "start", "end", "outputs", "calls",
            "warnings",
        ] {
            #expect(prov[key] != nil, "provenance lacks \(key)")
        }
        #expect((prov["overrides"] as? [String: String])?["n"] == "4")
        #expect(try String(contentsOfFile: dir + "/bundle/transcript.txt", encoding: .utf8).contains("done"))
        // The same script and settings check out; a tampered expectation does not.
        let (ok, okOut, _) = try Self.brpsh(["check", "s.brp", "bundle/results.json", "--set", "n=4"], cwd: dir)
        #expect(ok == 0, "\(okOut)")
        var results = try String(contentsOfFile: dir + "/bundle/results.json", encoding: .utf8)
        results = results.replacingOccurrences(of: "\"total\" : 3.333333333333333", with: "\"total\" : 3.4")
        try results.write(toFile: dir + "/tampered.json", atomically: true, encoding: .utf8)
        let (bad, badOut, _) = try Self.brpsh(["check", "s.brp", "tampered.json", "--set", "n=4"], cwd: dir)
        #expect(bad == 1)
        #expect(badOut.contains("outputs/total.json/total: expected 3.4, got 3.333333333333333"), "\(badOut)")
    }

    /// Whether Python's nbformat package is importable (scripts/deps test installs it).
    static let hasNbformat: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import nbformat"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    @Test(.enabled(if: hasNbformat, "Python's nbformat is not installed (scripts/deps test installs it)"))
    func notebookIsValidNbformat() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script.write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        let (status, _, err) = try Self.brpsh(["--notebook", "s.ipynb", "s.brp"], cwd: dir)
        #expect(status == 0, "\(err)")
        let nb =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/s.ipynb")))
            as! [String: Any]
        #expect(nb["nbformat"] as? Int == 4)
        let cells = nb["cells"] as! [[String: Any]]
        #expect(cells.count == 7)
        // The table shows as HTML and the figure as SVG.
        let outputs = cells.flatMap { $0["outputs"] as! [[String: Any]] }
        let kinds = outputs.compactMap { ($0["data"] as? [String: Any]).map { Array($0.keys) } }.flatMap { $0 }
        #expect(kinds.contains("text/html"))
        // Validated by the nbformat package.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [
            "python3", "-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))",
            dir + "/s.ipynb",
        ]
        let err2 = Pipe()
        check.standardError = err2
        try check.run()
        check.waitUntilExit()
        let message = String(decoding: err2.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(check.terminationStatus == 0, "\(message)")
    }

    /// The same small training gives bit-identical predictions with one core or two, and the
    /// second run of a cached call comes from the cache unchanged.
    @Test(.needsData) func deterministicAndCached() throws {
        let cache = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let code =
            "p = gcn(device: \"d-cpu\", n: 40, valid: 10, epochs: 3, hidden: 32, seed: 5); print(json(p.predict([0, 1, 2, 3])))"
        let (_, serial, e1) = try Self.brpsh(["--no-cache", "-c", code], env: ["BRPSH_THREADS": "1"])
        let (_, parallel, e2) = try Self.brpsh(["--no-cache", "-c", code], env: ["BRPSH_THREADS": "2"])
        #expect(!serial.isEmpty && serial == parallel, "\(e1)\(e2)")
        let env = ["BRPSH_CACHE": cache]
        let (_, first, _) = try Self.brpsh(["-c", code], env: env)
        let (_, second, _) = try Self.brpsh(["-c", code], env: env)
        #expect(first == serial && second == serial)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".bin") }
        #expect(entries.count == 1)
        // A corrupt entry is ignored with a warning and recomputed.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: cache + "/" + entries[0]))
        let (status, third, warning) = try Self.brpsh(["-c", code], env: env)
        #expect(status == 0 && third == serial)
        #expect(warning.contains("warning: ignoring a corrupt cache entry"), "\(warning)")
    }
}

/// The GEMM a run uses: brpsh's exact GEMM by default, recorded as kernel `exact`; OpenBLAS with BRPSH_GEMM=openblas,
/// recorded by OpenBLAS's kernel; `brpsh check` reruns a recording with its own GEMM, whatever BRPSH_GEMM says.
@Suite(.serialized) struct GEMMChoiceTests {
    static let code =
        "p = gcn(device: \"d-cpu\", n: 40, valid: 10, epochs: 3, hidden: 128, seed: 5)\nprint(json(p.predict([0, 1, 2, 3])))\n"

    static func kernel(_ bundle: String) throws -> (String?, String?) {
        let prov = try TestJSON.object(bundle + "/provenance.json")
        let blas = prov["blas"] as? [String: Any]
        return (blas?["kernel"] as? String, blas?["exact_gemm"] as? String)
    }

    @Test(.needsData) func theExactGEMMIsTheDefaultAndCheckUsesTheRecordedOne() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.code.write(toFile: dir + "/g.brp", atomically: true, encoding: .utf8)
        let (s1, exactOut, e1) = try ArtifactTests.brpsh(["--no-cache", "g.brp", "--out", "exact"], cwd: dir)
        #expect(s1 == 0, "\(e1)")
        let (kernel, description) = try Self.kernel(dir + "/exact")
        #expect(kernel == "exact" && description?.hasPrefix("exact 1, ") == true, "\(String(describing: description))")
        // Threads do not change the exact GEMM's bits (cut by rows or columns, every element is its own sum).
        let (_, serial, _) = try ArtifactTests.brpsh(["--no-cache", "g.brp"], env: ["BRPSH_THREADS": "1"], cwd: dir)
        #expect(serial == exactOut)
        // OpenBLAS on request, recorded by its kernel.
        let (s2, _, e2) = try ArtifactTests.brpsh(
            ["--no-cache", "g.brp", "--out", "openblas"], env: ["BRPSH_GEMM": "openblas"], cwd: dir)
        #expect(s2 == 0, "\(e2)")
        let (openblasKernel, none) = try Self.kernel(dir + "/openblas")
        #expect(openblasKernel != nil && openblasKernel != "exact" && none == nil)
        // Each recording checks out with its own GEMM, bit for bit, whatever the environment asks for.
        let exact = ["--rtol", "0", "--atol", "0"]
        let (c1, out1, _) = try ArtifactTests.brpsh(
            ["check", "exact"] + exact, env: ["BRPSH_GEMM": "openblas"], cwd: dir)
        #expect(c1 == 0 && out1.contains("rerunning with brpsh's exact GEMM, as recorded"), "\(out1)")
        #expect(out1.contains("agree (rtol 0.0, atol 0.0"), "\(out1)")
        let (c2, out2, _) = try ArtifactTests.brpsh(["check", "openblas"] + exact, cwd: dir)
        #expect(c2 == 0 && !out2.contains("exact GEMM"), "\(out2)")
    }

    @Test func anUnknownGEMMIsAUsageError() throws {
        let (status, _, err) = try ArtifactTests.brpsh(["-c", "1 + 1"], env: ["BRPSH_GEMM": "mkl"])
        #expect(status == 64 && err.contains("BRPSH_GEMM=mkl is not a GEMM brpsh has"), "\(err)")
    }
}

/// the same search with the latency table of another device must not come from the
/// first one's cache entry.
@Suite(.serialized) struct CacheIdentityTests {
    @Test(.needsData) func anotherDevicesTableIsAnotherCacheEntry() throws {
        let cache = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func search(_ device: String, _ out: String) throws -> [[String: Any]] {
            let code = "r = random_search(budget: 40, limit: 12ms, latency: truth(\"\(device)\"), seed: 5)\nr.best"
            let (status, _, err) = try ArtifactTests.brpsh(
                ["-c", code, "--out", dir + "/" + out], env: ["BRPSH_CACHE": cache])
            #expect(status == 0, "\(err)")
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + out + "/provenance.json"))
            let provenance = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            return provenance["calls"] as! [[String: Any]]
        }
        let first = try search("hwnas-edgegpu", "a")
        let second = try search("hwnas-raspi4", "b")
        let again = try search("hwnas-edgegpu", "c")
        #expect(first.first?["from_cache"] as? Bool == false)
        #expect(second.first?["from_cache"] as? Bool == false, "raspi4's search came from edgegpu's cache entry")
        #expect(again.first?["from_cache"] as? Bool == true, "the repeated call should come from the cache")
    }
}

/// a bundle's files are the run's own, inside the bundle, and a failure to write them is an exit
/// status, not a line on standard error.
@Suite(.serialized) struct BundleSafetyTests {
    @Test func savesStayInsideTheBundleAndOffItsOwnFiles() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (path, fragment) in [
            ("results.json", "one of the files brpsh writes"), ("transcript.txt", "one of the files brpsh writes"),
            ("../x.csv", "leads out of the --out bundle"), ("/tmp/x.csv", "outside the --out bundle"),
        ] {
            let (status, _, err) = try ArtifactTests.brpsh(
                ["-c", "save([{a: 1}], \"\(path)\")", "--out", "b"], cwd: dir)
            #expect(status == 70 && err.contains(fragment), "\(path): \(status) \(err)")
        }
        let (ok, _, err) = try ArtifactTests.brpsh(["-c", "save([{a: 1}], \"sub/../t.csv\")", "--out", "b"], cwd: dir)
        #expect(ok == 0 && FileManager.default.fileExists(atPath: dir + "/b/t.csv"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.csv"))
    }

    @Test func unwritableOutputsFail() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "print(1)\n".write(toFile: dir + "/s.brp", atomically: true, encoding: .utf8)
        let (refused, _, err) = try ArtifactTests.brpsh(["--notebook", "s.brp", "s.brp"], cwd: dir)
        #expect(refused == 64 && err.contains("would overwrite the script"), "\(err)")
        #expect(try String(contentsOfFile: dir + "/s.brp", encoding: .utf8) == "print(1)\n")
        // A path under a regular file can be created by nobody, root included.
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let (noOut, _, e1) = try ArtifactTests.brpsh(["s.brp", "--out", "file/bundle"], cwd: dir)
        #expect(noOut == 73, "\(e1)")
        let (noNotebook, _, e2) = try ArtifactTests.brpsh(["s.brp", "--notebook", "file/n.ipynb"], cwd: dir)
        #expect(noNotebook == 73, "\(e2)")
    }

    @Test func oneRunAtATimePerBundle() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: ArtifactTests.binary)
        slow.arguments = ["-c", "i = 0\nwhile i < 3000000 { i = i + 1 }", "--out", dir + "/b"]
        try slow.run()
        defer { slow.terminate() }
        // Wait until the first run holds the bundle.
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: dir + "/b") { usleep(20_000) }
        usleep(200_000)
        let (status, _, err) = try ArtifactTests.brpsh(["-c", "print(1)", "--out", dir + "/b"])
        #expect(status == 73 && err.contains("another brpsh run is writing"), "\(status) \(err)")
    }
}
