import CFuzzerDriver
import Foundation
import NASLib

/// The CSV reader and the benchmark's CSV readers on any bytes after the first, which picks the reader (below);
/// every reader must give a table or an error.
let files = [
    DataFile.nb201TestAccuracy.path, "nb201/cifar10_valid_acc.csv", "nb201/cifar10_zc_proxies.csv",
    "hw-nas-bench/hw_cifar10.csv",
]
/// The real test-accuracy file (the other readers need its index order), from the data brpsh ships.
let testAccuracy: Data? = DataLocation.builtIn().flatMap {
    FileManager.default.contents(atPath: $0 + "/" + DataFile.nb201TestAccuracy.path)
}
let scratch: String = {
    var template = Array((NSTemporaryDirectory() + "brpsh-fuzz-csv-XXXXXX").utf8CString)
    let dir = String(cString: mkdtemp(&template)!)
    for sub in ["nb201", "hw-nas-bench"] {
        try? FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
    }
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    if let table = try? CSVTable(text: text, source: "fuzz.csv") {
        for r in 0..<min(table.rows.count, 50) {
            for c in 0..<table.header.count { _ = try? table.number(r, c, allowed: 0...100) }
        }
    }
    // Inputs whose first byte has its top bit set also go through a benchmark reader (slower: the other readers
    // first read the real 3 MB test-accuracy file for the index order); the low two bits pick the file.
    guard bytes[0] & 0x80 != 0 else { return 0 }
    let file = files[Int(bytes[0] & 3)]
    if file == DataFile.nb201TestAccuracy.path {
        FileManager.default.createFile(atPath: scratch + "/" + file, contents: Data(bytes.dropFirst()))
    } else {
        if let real = testAccuracy {
            FileManager.default.createFile(atPath: scratch + "/" + DataFile.nb201TestAccuracy.path, contents: real)
        }
        FileManager.default.createFile(atPath: scratch + "/" + file, contents: Data(bytes.dropFirst()))
    }
    guard let directory = try? DataDirectory(root: scratch) else { return 0 }
    let benchmark = Benchmark(directory: directory)
    switch file {
    case DataFile.nb201TestAccuracy.path: _ = try? benchmark.index()
    case "nb201/cifar10_valid_acc.csv": _ = try? benchmark.accuracy(.cifar10, .valid)
    case "nb201/cifar10_zc_proxies.csv": _ = try? benchmark.proxies(.cifar10)
    default: _ = try? benchmark.table(named: "hwnas-edgegpu")
    }
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
