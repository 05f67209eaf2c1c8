import Foundation
import TestSupport
import Testing

@testable import App
@testable import Sweep

/// How results and notes read: a driven search's summary, the resume note, the in-session cache hint, --help.
@Suite(.serialized) struct OutputEdgesTests {
    @Test func drivenSearchSummaryAndResumeNote() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = "random_search(budget: 8, seed: 1, evaluate: fn(a) { 90 + a.index % 7 }, dir: \"d\")"
        let (s1, out1, err1) = try ArtifactTests.brpsh(["-c", code], cwd: dir)
        #expect(
            s1 == 0 && out1.hasPrefix("random (nb201): 8 models evaluated; best 96.00 (model #5)"), "\(out1)\(err1)")
        #expect(out1.contains("#5 ") && out1.contains("the best 5 of 8") && !out1.contains("history: ["), "\(out1)")
        let (s2, out2, err2) = try ArtifactTests.brpsh(["-c", code], cwd: dir)
        #expect(
            s2 == 0 && err2.contains("(resuming: 8 results from d/journal.jsonl are answered from the journal)"),
            "\(err2)")
        #expect(out2.contains("8 models evaluated, 8 from the journal"), "\(out2)")
        // The fields scripts read are the same.
        let (_, fields, _) = try ArtifactTests.brpsh(
            ["-c", "r = " + code + "\nprint(r.best, r.evaluated, r.from_journal, len(r.history))"], cwd: dir)
        #expect(fields == "96.0 8 8 8\n", "\(fields)")
    }

    /// In a session (the REPL, a notebook) the cache note names the session's way to recompute, not a flag.
    @Test(.needsData) func cacheHintInASession() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let call = "p = gcn(device: \"d-cpu\", n: 30, valid: 10, epochs: 2, hidden: 8, seed: 3)\n"
        let (_, _, first) = try CommandLineTests.brpsh([], stdin: call, env: ["BRPSH_CACHE": dir])
        #expect(!first.contains("from cache"), "\(first)")
        let (_, _, again) = try CommandLineTests.brpsh(
            [], stdin: call + ":cache off\n" + call, env: ["BRPSH_CACHE": dir])
        #expect(
            again.contains("(gcn from cache") && again.contains(":cache off recomputes")
                && !again.contains("--no-cache"), "\(again)")
        #expect(
            again.components(separatedBy: "from cache").count == 2, "after :cache off the call recomputed: \(again)")
        let (_, _, script) = try CommandLineTests.brpsh(["-c", call], env: ["BRPSH_CACHE": dir])
        #expect(script.contains("--no-cache recomputes"), "\(script)")
    }

    @Test func helpShowsWhatAFirstUserNeeds() throws {
        let (status, out, _) = try CommandLineTests.brpsh(["--help"])
        #expect(status == 0)
        for option in ["--set name=value", "--seed N", "--out DIR", "--no-cache", "brpsh help run"] {
            #expect(out.contains(option), "\(option) is not in --help: \(out)")
        }
    }

    /// What a result offers: `?p`, `help(p)`, `p.predict?` and `?gcn`.
    @Test(.needsData) func helpForObjectsAndMembers() throws {
        let session =
            "p = gcn(device: \"d-cpu\", n: 30, valid: 10, epochs: 2, hidden: 8, seed: 1)\n?p\np.predict?\nhelp(p)\n?gcn\n"
        let (_, out, _) = try CommandLineTests.brpsh(["--no-cache"], stdin: session)
        #expect(
            out.contains("gcn (gcn(d-cpu)): fields and methods") && out.contains("  test_archs  its test archs"),
            "\(out)")
        #expect(out.contains("p.predict: gcn member — p.predict(archs): predicted latencies"), "\(out)")
        #expect(out.contains("Gives a gcn with: device, test, metrics"), "\(out)")
    }

    /// The convergence warning is said once per training: a result read from the cache records it in provenance.json
    /// without saying it again.
    @Test(.needsData) func convergenceWarningOncePerTraining() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = "p = gcn(device: \"d-cpu\", n: 30, valid: 10, epochs: 2, hidden: 8, seed: 1)"
        let env = ["BRPSH_CACHE": dir + "/cache"]
        let (_, _, trained) = try ArtifactTests.brpsh(["-c", code], env: env, cwd: dir)
        #expect(trained.contains("used all 2 epochs"), "\(trained)")
        let (_, _, cached) = try ArtifactTests.brpsh(["-c", code, "--out", "b"], env: env, cwd: dir)
        #expect(cached.contains("(gcn from cache") && !cached.contains("used all 2 epochs"), "\(cached)")
        let provenance = try TestJSON.object(dir + "/b/provenance.json")
        #expect(
            (provenance["warnings"] as? [String])?.contains { $0.contains("used all 2 epochs") } == true,
            "\(provenance["warnings"] ?? "")")
    }
}
