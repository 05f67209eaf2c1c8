import Foundation
import Testing

/// The docs speak of the project alone: no words of the issue tracker in the pages, the examples, the README or the
/// scripts that ship in artifact bundles ("issue 17's example", "the issue's target").
@Suite struct DocsWordingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func files() -> [String] {
        var out = ["README.md"]
        for dir in ["docs", "examples", "scripts"] {
            guard let walker = FileManager.default.enumerator(atPath: root.appendingPathComponent(dir).path) else {
                continue
            }
            while let f = walker.nextObject() as? String {
                if [".md", ".brp", ".py", ".ipynb", ".sh"].contains(where: f.hasSuffix) { out.append(dir + "/" + f) }
            }
        }
        return out
    }

    @Test func noTrackerWords() throws {
        let pattern = try NSRegularExpression(pattern: "\\b(issues?|tickets?|tracker)\\b", options: [.caseInsensitive])
        let files = Self.files()
        #expect(files.count > 20)
        for f in files {
            guard let text = try? String(contentsOf: Self.root.appendingPathComponent(f), encoding: .utf8) else {
                continue
            }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                if pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil {
                    Issue.record("\(f):\(n + 1) speaks of the tracker: \(s.prefix(160))")
                }
            }
        }
    }
}
