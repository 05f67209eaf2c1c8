import Foundation
import NASLib
import PropertyBased
import TestSupport
import Testing

@Suite struct PickleTests {
    /// Hand-assembled protocol-2 pickle of {(1, 2): 0.5, "k": [True, None, 300]}.
    static let small: [UInt8] = [
        0x80, 0x02, 0x7D, 0x71, 0x00, 0x28,
        0x4B, 0x01, 0x4B, 0x02, 0x86,  // (1, 2)
        0x47, 0x3F, 0xE0, 0, 0, 0, 0, 0, 0,  // 0.5
        0x58, 0x01, 0, 0, 0, 0x6B,  // "k"
        0x5D, 0x28, 0x88, 0x4E, 0x4D, 0x2C, 0x01, 0x65,  // [True, None, 300]
        0x75, 0x2E,
    ]

    @Test func readsDataOpcodes() throws {
        let v = try SafeUnpickler.load(Self.small)
        #expect(
            v
                == .dict([
                    (.tuple([.int(1), .int(2)]), .float(0.5)), (.string("k"), .list([.bool(true), .none, .int(300)])),
                ]))
    }

    @Test func refusesCodeExecution() {
        // cos\nsystem\n(S'ls'\ntR. — protocol 0 GLOBAL os.system then REDUCE.
        let evil: [UInt8] =
            [0x80, 0x02] + Array("cos\nsystem\n".utf8) + [0x58, 2, 0, 0, 0] + Array("ls".utf8) + [0x85, 0x52, 0x2E]
        do {
            _ = try SafeUnpickler.load(evil, source: "evil.pickle")
            Issue.record("os.system was accepted")
        } catch let e as NASLibError {
            #expect(
                e.message
                    == "evil.pickle: global 'os.system' is not allowed (only numpy scalars and dtypes are read) at byte 2"
            )
        } catch {}
        #expect(throws: NASLibError.self) { try SafeUnpickler.load([0x80, 0x02, 0x53, 0x2E]) }  // STRING (protocol 0)
    }

    @Test func truncatedAndMutatedBytesNeverTrap() async {
        let base = Self.small
        await propertyCheck(count: 500, input: Gen.int(in: 0...(base.count - 1)), Gen.uint8(), Gen.bool) {
            pos, byte, truncate in
            var bytes = base
            if truncate { bytes = Array(bytes[..<pos]) } else { bytes[pos] = byte }
            _ = try? SafeUnpickler.load(bytes)
        }
    }

    @Test(.needsData) func latbenchFileMutationsNeverTrap() async throws {
        let path = try TestData.directory!.locate(
            DataFile("latbench/desktop-cpu-core-i7-7820x-fp32.pickle", origin: ""))
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!.prefix(4000)) + [0x2E]
        await propertyCheck(count: 300, input: Gen.int(in: 0...3999), Gen.uint8()) { pos, byte in
            var b = bytes
            b[pos] = byte
            _ = try? SafeUnpickler.load(b)
            _ = try? SafeUnpickler.load(Array(b[..<pos]))
        }
    }

    /// APPEND after BINPUT one item at a time (a 450 KB crafted file) reads in linear time: the memo no longer
    /// holds a copy that every APPEND duplicated. The memo entry gets the finished list.
    @Test func memoizedListsFillInLinearTime() throws {
        let n = 150_000
        var b: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0x00]  // PROTO 2, EMPTY_LIST, BINPUT 0
        for i in 0..<n { b += [0x4B, UInt8(i % 256), 0x61] }  // BININT1 i, APPEND
        b += [0x2E]
        let start = DispatchTime.now().uptimeNanoseconds
        guard case .list(let xs) = try SafeUnpickler.load(b) else {
            Issue.record("not a list")
            return
        }
        #expect(xs.count == n && xs[257] == .int(1))
        // Reported, not asserted as a timing: linear reading takes milliseconds; the quadratic one took minutes.
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(seconds < 60, "reading took \(seconds) s")
        // A memo entry recalled after its list is finished is the whole list.
        let shared: [UInt8] = [0x80, 0x02, 0x28, 0x5D, 0x71, 0x00, 0x4B, 0x07, 0x61, 0x68, 0x00, 0x74, 0x2E]
        #expect(try SafeUnpickler.load(shared) == .tuple([.list([.int(7)]), .list([.int(7)])]))
    }

    /// Deep nesting is bounded (stack size and depth); a value at the depth limit is built and torn down safely.
    @Test func deepNestingIsBounded() throws {
        func nested(_ depth: Int) -> [UInt8] {
            [0x80, 0x02] + [UInt8](repeating: 0x5D, count: depth) + [UInt8](repeating: 0x61, count: depth - 1) + [0x2E]
        }
        do {
            _ = try SafeUnpickler.load(nested(3_000_000))
            Issue.record("3M-deep nesting was read")
        } catch let e as NASLibError {
            #expect(e.message.contains("more than 10000 values"), "\(e.message)")
        }
        #expect(throws: NASLibError.self) { try SafeUnpickler.load(nested(SafeUnpickler.maxDepth + 1)) }
        var v = try SafeUnpickler.load(nested(SafeUnpickler.maxDepth))
        var depth = 0
        while case .list(let xs) = v, let first = xs.first {
            depth += 1
            v = first
        }
        #expect(depth == SafeUnpickler.maxDepth - 1)
    }

    @Test func missingFileSaysWhatWhereAndWhence() throws {
        let dir = try DataDirectory(root: "/nonexistent-brpsh-data")
        do {
            _ = try Benchmark(directory: dir).table(named: "m-gpu")
            Issue.record("expected an error")
        } catch let e as NASLibError {
            #expect(e.message.contains("latbench/mobile-gpu-snapdragon-675-adreno-612-int8.pickle"))
            #expect(e.message.contains("/nonexistent-brpsh-data"))
            #expect(e.message.contains("github.com/SamsungLabs/eagle"))
        }
        #expect(throws: NASLibError.self) {
            try DataLocation.resolve(environment: ["BRPSH_DATA": "/nonexistent-brpsh-data"])
        }
    }

    /// A truncated copy, a CSV given where a pickle is expected, and a truncated CSV.
    @Test(.needsData) func corruptFilesGiveClearErrors() throws {
        let tmp = NSTemporaryDirectory() + "brpsh-bad-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: tmp + "/latbench", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tmp + "/nb201", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let src = try TestData.directory!.locate(DataFile("latbench/desktop-cpu-core-i7-7820x-fp32.pickle", origin: ""))
        let whole = FileManager.default.contents(atPath: src)!
        _ = FileManager.default.createFile(
            atPath: tmp + "/latbench/desktop-cpu-core-i7-7820x-fp32.pickle", contents: whole.prefix(whole.count / 2))
        _ = FileManager.default.createFile(
            atPath: tmp + "/latbench/desktop-gpu-gtx-1080ti-fp32.pickle", contents: Data("a,b\n1,2\n".utf8))
        let csv = try String(contentsOfFile: TestData.directory!.locate(DataFile.nb201TestAccuracy), encoding: .utf8)
        _ = FileManager.default.createFile(
            atPath: tmp + "/nb201/nats_tss_test_acc_200ep.csv", contents: Data(csv.prefix(5000).utf8))
        let b = Benchmark(directory: try DataDirectory(root: tmp))
        for (name, fragment) in [("d-cpu", "truncated pickle"), ("d-gpu", "not a pickle")] {
            do {
                _ = try b.table(named: name)
                Issue.record("\(name) loaded")
            } catch let e as NASLibError {
                #expect(e.message.contains(fragment), "\(e.message)")
            }
        }
        do {
            _ = try b.index()
            Issue.record("truncated CSV loaded")
        } catch let e as NASLibError {
            #expect(e.message.contains("nats_tss_test_acc_200ep.csv"), "\(e.message)")
        }
    }
}
