import Foundation
import NASLib
import Testing

/// The unpickler against Python's own `pickle.loads`: `pickle_cases.py` (beside this file) pickles tables and values
/// with protocols 2 to 5 (LatBench-shaped dicts over several SETITEMS batches, shared tuples, lists and strings that
/// come back through BINGET, MEMOIZE inside dicts being filled, numpy scalars of every width) and writes what Python
/// reads back; every case must read the same here. Skipped, with the reason, where python3 cannot run.
@Suite struct PickleDifferentialTests {
    static let generated: Result<[(name: String, bytes: [UInt8], expected: String)], Error> = Result {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "pickle_cases.py")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NASLibError("python3 pickle_cases.py exited \(p.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            return (String(f[0]), hexBytes(f[1]), String(f[2]))
        }
    }
    static var problem: String? {
        if case .failure(let e) = generated { return "python3 cannot generate the pickles: \(e)" }
        return nil
    }

    static func hexBytes(_ s: Substring) -> [UInt8] {
        let u = Array(s.utf8)
        return stride(from: 0, to: u.count, by: 2).map {
            UInt8(String(decoding: u[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    /// The canonical form `pickle_cases.py` writes.
    static func canon(_ v: PickleValue) -> String {
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return "i\(i)"
        case .float(let d), .numpyScalar(let d): return "f" + String(d.bitPattern, radix: 16)
        case .string(let s): return "s" + hex(Array(s.utf8))
        case .bytes(let b): return "b" + hex(b)
        case .list(let xs): return "[" + xs.map(canon).joined(separator: ",") + "]"
        case .tuple(let xs): return "(" + xs.map(canon).joined(separator: ",") + ")"
        case .dict(let kv): return "{" + kv.map { canon($0.0) + ":" + canon($0.1) }.joined(separator: ",") + "}"
        case .dtype, .global: return "?\(v.kind)"
        }
    }

    @Test(.enabled(if: problem == nil, Comment(rawValue: problem ?? "")))
    func readsWhatPythonReads() throws {
        let cases = try Self.generated.get()
        #expect(cases.count >= 32)
        for c in cases {
            do {
                let v = try SafeUnpickler.load(c.bytes, source: c.name)
                #expect(Self.canon(v) == c.expected, "\(c.name)")
            } catch {
                Issue.record("\(c.name): \(error)")
            }
        }
    }

    /// A LatBench table as Python's default `pickle.dump` writes it (protocol 4 or 5, MEMOIZE) reads as a table.
    @Test(.enabled(if: problem == nil, Comment(rawValue: problem ?? "")))
    func defaultProtocolLatBenchTableReads() throws {
        for c in try Self.generated.get() where c.name.hasPrefix("latbench_1200/") || c.name.hasPrefix("numpy_table/") {
            let t = try LatBenchReader.parse(c.bytes, path: c.name, name: "t")
            #expect(t.values.filter { !$0.isNaN }.count == (c.name.hasPrefix("latbench") ? 1200 : 30), "\(c.name)")
            #expect(t.values[NB201Arch(code: 0).code] == 0.0111, "\(c.name)")
        }
    }

    /// 3 million TUPLE1 opcodes nest one value 3 million deep on a stack of one: refused, never a stack overflow.
    @Test func deepNestingIsRefused() {
        let bytes: [UInt8] = [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 3_000_000) + [0x2E]
        #expect(throws: NASLibError.self) { try SafeUnpickler.load(bytes) }
        let lists: [UInt8] =
            [0x80, 0x02] + [UInt8](repeating: 0x5D, count: 5000)
            + [UInt8](repeating: 0x61, count: 4999) + [0x2E]  // [[[...]]] by EMPTY_LIST and APPEND
        #expect(throws: NASLibError.self) { try SafeUnpickler.load(lists) }
    }

    /// A dtype memoized before its BUILD is recalled with the byte order BUILD gave it, as Python's in-place BUILD.
    @Test func memoizedDtypeKeepsItsByteOrder() throws {
        func u(_ s: String) -> [UInt8] { [0x8C, UInt8(s.utf8.count)] + Array(s.utf8) }
        let big: [UInt8] = [0x3F, 0xF8, 0, 0, 0, 0, 0, 0]  // 1.5 as a big-endian double
        var b: [UInt8] = [0x80, 0x04]
        b += u("numpy._core.multiarray") + u("scalar") + [0x93, 0x94]  // memo 0: the scalar global
        b += u("numpy") + u("dtype") + [0x93, 0x94]  // memo 1: numpy.dtype
        b += u("f8") + [0x89, 0x88, 0x87, 0x52, 0x94]  // dtype('f8', False, True), memo 2 (before BUILD)
        b +=
            [0x28, 0x4B, 0x03] + u(">") + [
                0x4E, 0x4E, 0x4E, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF,
            ]
        b += [0x4B, 0x00, 0x74, 0x62]  // BUILD: big-endian
        b += [0x43, 0x08] + big + [0x86, 0x52]  // scalar(dtype, bytes)
        b += [0x68, 0x00, 0x68, 0x02, 0x43, 0x08] + big + [0x86, 0x52]  // again, the dtype from memo 2
        b += [0x86, 0x2E]
        #expect(try SafeUnpickler.load(b) == .tuple([.numpyScalar(1.5), .numpyScalar(1.5)]))
    }
}
