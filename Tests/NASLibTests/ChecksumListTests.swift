import Foundation
import NASLib
import TestSupport
import Testing

/// The data directory's checksum list, whatever its line endings, vouches for exactly the files it names.
@Suite struct ChecksumListTests {
    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "brpsh-sums-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/latbench", withIntermediateDirectories: true)
        return dir
    }

    @Test func crlfListsParseLikeLFLists() throws {
        let a = String(repeating: "a", count: 64)
        let b = String(repeating: "b", count: 64)
        let lf = try DataManifest(text: "\(a)  x/one.csv\n\(b) *two.pt\n", source: "lf")
        let crlf = try DataManifest(text: "\(a)  x/one.csv\r\n\(b) *two.pt\r\n", source: "crlf")
        #expect(crlf.entries == lf.entries && crlf.paths == ["x/one.csv", "two.pt"])
        #expect(TextLines.of("a\r\nb\n\nc") == ["a", "b", "", "c"])
        #expect(TextLines.of([0x61, 0xFF, 0x0D, 0x0A, 0x62], keepEmpty: false) == ["a\u{FFFD}", "b"])
    }

    /// A tampered file under a CRLF list is an error, not an unverified warning.
    @Test func tamperedFileUnderACRLFListIsAnError() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = Array("original".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/latbench/t.pickle"))
        try "\(SHA256.hex(bytes))  latbench/t.pickle\r\n".write(
            toFile: dir + "/sha256sums.txt", atomically: true, encoding: .utf8)
        let file = DataFile("latbench/t.pickle", origin: "test")
        #expect(try DataDirectory(root: dir).read(file).bytes == bytes)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: dir + "/latbench/t.pickle"))
        #expect(throws: NASLibError.self) { try DataDirectory(root: dir).read(file) }
    }

    /// A list that does not name the file read and names a file that is not there describes another directory.
    @Test func listThatMatchesNothingHereIsAnError() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/latbench/t.pickle"))
        try "\(String(repeating: "0", count: 64))  latbench/other.pickle\n".write(
            toFile: dir + "/sha256sums.txt", atomically: true, encoding: .utf8)
        do {
            _ = try DataDirectory(root: dir).read(DataFile("latbench/t.pickle", origin: "test"))
            Issue.record("read under a list that describes another directory")
        } catch let e as NASLibError {
            #expect(e.message.contains("does not describe"), "\(e.message)")
        }
    }
}
