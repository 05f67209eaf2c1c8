import Foundation
import TestSupport
import Testing

/// Spaces declared in a script, searched end to end with an external training command (examples/spaces/eval.py):
/// BRP-NAS over a 5-node, 6-op edge cell and aging evolution and random search over a 6-block choice space, each
/// killed halfway (SIGKILL) and resumed without repeating a finished evaluation, ending exactly as the uninterrupted
/// run; every `{arch}` the command received parses back in the space; a changed declaration is another search.
@Suite(.serialized) struct DeclaredSpaceSearchTests {
    static let eval = SearchDriverTests.repo.appendingPathComponent("examples/spaces/eval.py").path

    static let declarations = """
        cell = space(cell: "edges", nodes: 5, ops: ["none", "skip_connect", "conv_1x1", "conv_3x3", "conv_5x5", "avg_pool_3x3"])
        blocks = space(choices: {width: [16, 24, 32, 48], kernel: [3, 5, 7], expand: [1, 3, 6], depth: 1..4}, blocks: 6)
        """

    static func script(_ search: String, dir: String) -> String {
        """
        \(declarations)
        r = \(search.replacingOccurrences(of: "DIR", with: dir))
        for h in r.history { print(h.id, h.accuracy, h.arch) }
        print("best", r.best, r.best_arch)
        print("from journal", r.from_journal, "failed", r.failed)
        """
    }

    static let searches: [(name: String, call: String, total: Int)] = [
        (
            "brp",
            #"brp(space: cell, K: 10, M: 30, seed: 1, epochs: 20, hidden: 32, pool: 300, evaluate: run("python3 \#(eval) {arch}", parallel: 2), dir: "DIR")"#,
            30
        ),
        (
            "evolve",
            #"evolve(space: blocks, budget: 24, pool: 8, sample: 3, seed: 2, evaluate: run("python3 \#(eval) {arch}"), dir: "DIR")"#,
            24
        ),
        (
            "random",
            #"random_search(space: blocks, budget: 24, seed: 3, evaluate: run("python3 \#(eval) {arch}", parallel: 2), dir: "DIR")"#,
            24
        ),
    ]

    @Test(arguments: searches.map(\.name))
    func killedHalfwayResumesAndEndsIdentical(_ name: String) throws {
        let search = Self.searches.first { $0.name == name }!
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script(search.call, dir: dir + "/a").write(toFile: dir + "/a.brp", atomically: true, encoding: .utf8)
        try Self.script(search.call, dir: dir + "/b").write(toFile: dir + "/b.brp", atomically: true, encoding: .utf8)
        let (s1, reference, e1) = try CommandLineTests.brpsh(
            [dir + "/a.brp", "--quiet"], env: ["EVAL_LOG": dir + "/a.log"])
        #expect(s1 == 0, "\(e1)")
        #expect(reference.contains("from journal 0 failed 0"), "\(reference)")
        let evaluated = try String(contentsOfFile: dir + "/a.log", encoding: .utf8).split(separator: "\n").map(
            String.init)
        #expect(evaluated.count >= search.total / 2 && evaluated.count <= search.total)

        // Every text the command received names a model of the space: parsed back, it prints as itself.
        let texts = evaluated.map { "\"\($0)\"" }.joined(separator: ", ")
        let space = name == "brp" ? "cell" : "blocks"
        let check =
            "\(Self.declarations)\nfor t in [\(texts)] { assert(str(\(space).parse(t)) == t, t) }\nprint(\"ok\")"
        let (s0, ok, e0) = try CommandLineTests.brpsh(["-c", check])
        #expect(s0 == 0 && ok == "ok\n", "\(e0)")

        let journaled = try SearchDriverTests.killed(
            script: dir + "/b.brp", journal: dir + "/b", after: search.total / 3,
            env: ["EVAL_LOG": dir + "/b1.log", "EVAL_SLEEP": "0.3"])
        #expect(journaled.count >= search.total / 3 && journaled.count < search.total, "\(journaled.count) journaled")
        sleep(1)  // evaluations that were running finish on their own (their results were never journaled)
        let (s2, resumed, e2) = try CommandLineTests.brpsh(
            [dir + "/b.brp", "--quiet"], env: ["EVAL_LOG": dir + "/b2.log"])
        #expect(s2 == 0, "\(e2)")
        #expect(SearchDriverTests.results(resumed) == SearchDriverTests.results(reference))
        let again =
            ((try? String(contentsOfFile: dir + "/b2.log", encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        #expect(Set(again).isDisjoint(with: journaled), "a journaled evaluation ran again")
    }

    /// The journal's header holds the declaration: the same directory with another space is refused.
    @Test func changedDeclarationIsAnotherSearch() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func call(_ ops: String) -> String {
            #"s = space(cell: "edges", nodes: 3, ops: [\#(ops)]); print(random_search(space: s, budget: 4, seed: 1, evaluate: fn(a) { len(str(a)) }, dir: "j").best)"#
        }
        let (s1, o1, e1) = try CommandLineTests.brpsh(["-c", call(#""a", "b""#)], cwd: dir)
        #expect(s1 == 0 && !o1.isEmpty, "\(e1)")
        let (s2, _, e2) = try CommandLineTests.brpsh(["-c", call(#""a", "bb""#)], cwd: dir)
        #expect(s2 == 70 && e2.contains("holds another search") && e2.contains("declaration"), "\(e2)")
    }
}
