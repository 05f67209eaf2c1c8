import Foundation
import NASLib
import PropertyBased
import TestSupport
import Testing

@Suite(.needsData) struct DataTests {
    var bench: Benchmark { TestData.benchmark! }

    /// The official index order: index 0's arch from the data README; the HELP name→index map agrees.
    @Test func officialIndex() throws {
        let index = try bench.index()
        #expect(try index.arch(index: 0).string == NB201ArchTests.index0)
        for i in [0, 1, 6111, 9930, 857, 15624] {
            #expect(index.index(of: try index.arch(index: i)) == i)
        }
        #expect(throws: NASLibError.self) { try index.arch(index: 15625) }
        let (path, bytes) = try TestData.directory!.read(DataFile("help-latency/str_arch2idx.pt", origin: ""))
        let map = try TorchArchive.load(bytes: bytes, source: path)
        guard case .dict(let pairs) = map else {
            Issue.record("str_arch2idx is not a dict")
            return
        }
        #expect(pairs.count == 15625)
        for (k, v) in pairs {
            guard case .string(let s) = k, case .int(let i) = v else { continue }
            #expect(index.index(of: try NB201Arch(string: s)) == i)
        }
    }

    @Test func uniqueStringsMatchTheBenchmark() throws {
        let path = try TestData.directory!.locate(DataFile.nb201TestAccuracy)
        let csv = try CSVTable(path: path)
        let a = try csv.column("ArchitectureString")
        let u = try csv.column("UniqueString")
        for row in csv.rows { #expect(try NB201Arch(string: row[a]).uniqueString == row[u]) }
    }

    @Test func accuraciesFromTheReadme() throws {
        let index = try bench.index()
        let c10 = try bench.accuracy(.cifar10, .test)
        let c100 = try bench.accuracy(.cifar100, .test)
        let img = try bench.accuracy(.imagenet16, .test)
        func best(_ t: MetricTable) -> (Int, Double) {
            let a = t.measured.max { t[$0]! < t[$1]! }!
            return (index.index(of: a), t[a]!)
        }
        #expect(best(c10).0 == 6111 && abs(best(c10).1 - 94.3733) < 1e-4)
        #expect(best(c100).0 == 9930 && abs(best(c100).1 - 73.5133) < 1e-4)
        #expect(best(img).0 == 857 && abs(best(img).1 - 47.3111) < 1e-4)
        let valid = try bench.accuracy(.cifar10, .valid)
        #expect(valid.count == 9445)
        #expect(abs(valid.values.filter { !$0.isNaN }.max()! - 91.57) < 1e-9)
        #expect(throws: NASLibError.self) { try bench.accuracy(.cifar100, .valid) }
    }

    /// All 13 LatBench files, with the entry counts and ranges of the data README.
    @Test func latbench() throws {
        let devices = try bench.load(.latbench)
        #expect(devices.count == 13)
        let expected: [String: (Int, Double, Double)] = [
            "d-cpu": (15284, 1.02, 9.51), "d-gpu": (15284, 1.01, 9.49), "e-gpu": (15284, 3.91, 34.0),
            "e-tpu": (15284, 0.52, 2.49), "m-gpu": (15261, 1.56, 20.6), "m-dsp": (15284, 1.17, 4.91),
            "adreno-506": (15252, 3.45, 42.8), "cortex-a53": (15252, 4.49, 246),
        ]
        for (name, (count, lo, hi)) in expected {
            let t = try bench.table(named: name)
            let v = t.values.filter { !$0.isNaN }.map { $0 * 1000 }
            #expect(t.count == count, "\(name)")
            #expect(abs(v.min()! - lo) < 0.01 * lo && abs(v.max()! - hi) < 0.01 * hi, "\(name) range")
            let allConnected = t.measured.allSatisfy { $0.connected }
            #expect(allConnected, "\(name): only connected archs are measured")
        }
    }

    @Test func hwnasbenchAndHelp() throws {
        let index = try bench.index()
        let a0 = try index.arch(index: 0)
        #expect(try bench.table(named: "hwnas-edgegpu-cifar10")[a0]! == 5.807418537139893e-3)
        #expect(try bench.table(named: "hwnas-edgetpu-cifar10").count == 15625 - 4699)
        #expect(try bench.table(named: "help-fpga")[a0]! == 2.57296e-3)
        #expect(try bench.table(named: "hwnas-edgegpu-energy-cifar10")[a0]! == 24.226614330768584e-3)
        #expect(try bench.load(.help).count == 27)
    }

    @Test func unknownDeviceListsCandidates() {
        do {
            _ = try DeviceCatalog.resolve("m-gpx")
            Issue.record("expected an error")
        } catch let e as NASLibError {
            #expect(e.candidates.contains("m-gpu"))
        } catch {}
    }

    /// FLOPs and params of the real networks: the README's references, and the params column
    /// of the zero-cost-proxy files for every arch they list (to their printed precision).
    @Test func flopsAndParams() throws {
        let index = try bench.index()
        let a0 = try index.arch(index: 0)
        let a1 = try index.arch(index: 1)
        #expect(NB201Cost(a0, dataset: .cifar10) == NB201Cost(flops: 16_315_008, params: 129_306))
        #expect(NB201Cost(a1, dataset: .cifar10) == NB201Cost(flops: 114_905_728, params: 802_426))
        for dataset in [Benchmark.Dataset.cifar10, .imagenet16] {
            let params = try bench.proxies(dataset)["params"]!
            #expect(params.count == 9445)
            for a in params.measured {
                let ours = Double(NB201Cost(a, dataset: dataset).params) / 1e6
                #expect(abs(ours - params[a]!) < 5e-7, "\(a) on \(dataset)")
            }
        }
    }
}
