import Foundation
import NASLib
import PropertyBased
import TestSupport
import Testing

/// Corrupt, crafted or edited data files are errors naming the file, row and column , and the shipped
/// files are verified against their SHA-256 list.
@Suite(.needsData) struct DataIntegrityTests {
    static func bytes(_ path: String) throws -> [UInt8] {
        let (_, b) = try TestData.directory!.read(DataFile(path, origin: ""))
        return b
    }

    /// A scratch data directory (no checksum list: the files are the test's own) holding edited copies.
    static func scratch(_ files: [String: [UInt8]]) throws -> (String, Benchmark) {
        let root = NSTemporaryDirectory() + "brpsh-integrity-\(UInt32.random(in: 0...UInt32.max))"
        for (path, content) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: full, contents: Data(content))
        }
        return (root, Benchmark(directory: try DataDirectory(root: root)))
    }

    static func expectError(_ fragments: [String], _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error; expected one mentioning \(fragments)")
        } catch let e as NASLibError {
            for f in fragments { #expect(e.message.contains(f), "\(e.message)") }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func shippedFilesMatchTheirList() throws {
        let dir = try #require(TestData.directory)
        let inventory = DataInventory(root: dir.root, manifest: dir.manifest)
        #expect(inventory.manifest?.paths.count == 50)
        #expect(inventory.failures.isEmpty, "\(inventory.failures.map(\.relative))")
    }

    /// One flipped byte in a HELP archive's pickle is a CRC-32 error naming the file and member (it silently
    /// doubled fpga.pt's first latency).
    @Test func helpArchiveCRC() throws {
        var b = try Self.bytes("help-latency/fpga.pt")
        let value = try TorchArchive.load(bytes: b, source: "fpga.pt")
        guard case .list(let items) = value else {
            Issue.record("not a list")
            return
        }
        #expect(items[0].number == 2.57296)
        let zip = try StoredZip(bytes: b, source: "fpga.pt")
        let member = try #require(zip.members.first { $0.name.hasSuffix("data.pkl") })
        let at = try zip.contents(member).startIndex + 100
        b[at] ^= 0x01
        Self.expectError(["fpga.pt", "archive/data.pkl", "CRC-32"]) {
            _ = try TorchArchive.load(bytes: b, source: "fpga.pt")
        }
    }

    /// Truncated, mutated and crafted archives are errors, never traps or hangs.
    @Test func archiveMutationsNeverTrap() async throws {
        let base = try Self.bytes("help-latency/essential_ph_1.pt")
        await propertyCheck(count: 300, input: Gen.int(in: 0...(base.count - 1)), Gen.uint8(), Gen.bool) {
            pos, byte, truncate in
            var bytes = base
            if truncate { bytes = Array(bytes[..<pos]) } else { bytes[pos] = byte }
            _ = try? TorchArchive.load(bytes: bytes, source: "fuzz.pt")
        }
        // The end of the central directory, mutated byte by byte (sizes, offsets, counts).
        for pos in (base.count - 22)..<base.count {
            for byte: UInt8 in [0x00, 0x7F, 0xFF] {
                var bytes = base
                bytes[pos] = byte
                _ = try? TorchArchive.load(bytes: bytes, source: "fuzz.pt")
            }
        }
    }

    @Test func badNumbersInTheAccuracyCSV() throws {
        let original = String(decoding: try Self.bytes(DataFile.nb201TestAccuracy.path), as: UTF8.self)
        var lines = original.components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let c10 = try #require(header.firstIndex(of: "CIFAR10TestAccuracy200Epochs"))
        for bad in ["inf", "1e400", "nan", "-3", "0x1p3", "101.5", ""] {
            var fields = lines[7].components(separatedBy: ",")
            fields[c10] = bad
            var edited = lines
            edited[7] = fields.joined(separator: ",")
            let (root, b) = try Self.scratch([
                DataFile.nb201TestAccuracy.path: Array(edited.joined(separator: "\n").utf8)
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            Self.expectError(["nats_tss_test_acc_200ep.csv:8", "CIFAR10TestAccuracy200Epochs"]) { _ = try b.index() }
        }
        // A byte-order mark at the start is accepted.
        lines[0] = "\u{FEFF}" + lines[0]
        let (root, b) = try Self.scratch([DataFile.nb201TestAccuracy.path: Array(lines.joined(separator: "\n").utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try b.index().arch(index: 0).string.hasPrefix("|avg_pool_3x3~0|"))
    }

    @Test func duplicatedAndMissingValidationRows() throws {
        let test = try Self.bytes(DataFile.nb201TestAccuracy.path)
        let valid = String(decoding: try Self.bytes("nb201/cifar10_valid_acc.csv"), as: UTF8.self)
        var lines = valid.components(separatedBy: "\n")
        var duplicated = lines
        duplicated[10] = lines[20]
        let (root1, b1) = try Self.scratch([
            DataFile.nb201TestAccuracy.path: test,
            "nb201/cifar10_valid_acc.csv": Array(duplicated.joined(separator: "\n").utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root1) }
        Self.expectError(["cifar10_valid_acc.csv:21", "appears twice", "line 11"]) {
            _ = try b1.accuracy(.cifar10, .valid)
        }
        lines.removeSubrange(100..<200)
        let (root2, b2) = try Self.scratch([
            DataFile.nb201TestAccuracy.path: test,
            "nb201/cifar10_valid_acc.csv": Array(lines.joined(separator: "\n").utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root2) }
        Self.expectError(["cifar10_valid_acc.csv", "9345 rows, expected 9445"]) {
            _ = try b2.accuracy(.cifar10, .valid)
        }
    }

    @Test func swappedHWNASBenchRows() throws {
        let test = try Self.bytes(DataFile.nb201TestAccuracy.path)
        var lines = String(decoding: try Self.bytes("hw-nas-bench/hw_cifar10.csv"), as: UTF8.self).components(
            separatedBy: "\n")
        lines.swapAt(51, 52)  // rows 50 and 51 (not multiples of 97)
        let (root, b) = try Self.scratch([
            DataFile.nb201TestAccuracy.path: test,
            "hw-nas-bench/hw_cifar10.csv": Array(lines.joined(separator: "\n").utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        Self.expectError(["hw_cifar10.csv:52", "is not NB201 index 50"]) { _ = try b.table(named: "hwnas-edgegpu") }
    }

    /// A file that differs from the directory's checksum list is refused, naming it.
    @Test func modifiedFileFailsVerification() throws {
        let path = "latbench/mobile-gpu-snapdragon-675-adreno-612-int8.pickle"
        var pickle = try Self.bytes(path)
        let sum = SHA256.hex(pickle)
        pickle[5000] ^= 1
        let (root, _) = try Self.scratch([path: pickle, DataManifest.fileName: Array("\(sum)  \(path)\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = try DataDirectory(root: root)
        Self.expectError([path, "fails verification", sum]) { _ = try dir.read(DataFile(path, origin: "")) }
        let inventory = DataInventory(root: root, manifest: dir.manifest)
        #expect(inventory.failures.map(\.relative) == [path])
    }
}
