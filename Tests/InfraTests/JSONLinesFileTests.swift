import Foundation
import Testing

@testable import Infra

/// The journals' file: a header, records appended and synced, a line cut short by a crash dropped on reopening, and
/// a refused file left exactly as it was.
@Suite struct JSONLinesFileTests {
    func scratch() -> String {
        let dir = NSTemporaryDirectory() + "brpsh-jsonl-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func open(_ path: String, accept: @escaping ([String: Any]) throws -> Void = { _ in }) throws -> (
        JSONLinesFile, [String]
    ) {
        var lines: [String] = []
        let f = try JSONLinesFile(
            path: path, what: "test journal", format: "t-1", header: [:], accept: accept,
            read: { _, d in lines.append(String(decoding: d, as: UTF8.self)) })
        return (f, lines)
    }

    @Test func appendReopenAndDropACutShortLine() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        do {
            let (f, lines) = try open(path)
            #expect(f.created && lines.isEmpty)
            try f.append("{\"a\":1}")
            try f.append("{\"a\":2}")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"format\":\"t-1\"}\n{\"a\":1}\n{\"a\":2}\n")
        // A crash in the middle of a line: reopening reads the complete lines and drops the rest from the file.
        let h = try #require(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data("{\"a\":".utf8))
        try h.close()
        do {
            let (f, lines) = try open(path)
            #expect(!f.created && lines == ["{\"a\":1}", "{\"a\":2}"])
            try f.append("{\"a\":3}")
        }
        #expect(
            try String(contentsOfFile: path, encoding: .utf8)
                == "{\"format\":\"t-1\"}\n{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n")
    }

    @Test func aRefusedFileIsLeftAsItWas() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let text = "{\"format\":\"other\"}\n{\"x\":1}\n{\"x\":"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: InfraError.self) { _ = try open(path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        // Refused by the caller's check of the header.
        let mine = "{\"format\":\"t-1\",\"n\":1}\n{\"x\":"
        try mine.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: InfraError.self) {
            _ = try open(path) { h in if h["n"] as? Int == 1 { throw InfraError("refused") } }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == mine)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        // Not JSON at all: refused with the file's name, also untouched.
        try "hello\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: InfraError.self) { _ = try open(path) }
        #expect(error.message == "\(path): not a brpsh test journal")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello\n")
    }

    @Test func aBadRecordNamesItsLine() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try "{\"format\":\"t-1\"}\n{\"a\":1}\n{\"a\":\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: InfraError.self) {
            _ = try JSONLinesFile(
                path: path, what: "test journal", format: "t-1", header: [:], accept: { _ in },
                read: { _, d in
                    guard (try? JSONSerialization.jsonObject(with: d)) != nil else { throw InfraError("not JSON") }
                })
        }
        #expect(error.message == "\(path):3: not JSON")
    }
}
