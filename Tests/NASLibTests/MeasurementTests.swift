import Foundation
import Infra
import NASLib
import Testing

/// LatBench's robust statistic, the durable measurement journal (resume, a line cut short, refusing to mix), and
/// the LatBench pickle writer against the reader and against Python's own `pickle`.
@Suite struct MeasurementTests {
    static func scratch() -> String {
        let d = NSTemporaryDirectory() + "brpsh-measure-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func percentilesAndRobustMeanAsNumPy() throws {
        // numpy.percentile([1, 2, 3, 4], 25) == 1.75; numpy.percentile(range(1, 11), 75) == 7.75.
        #expect(LatencyStatistic.percentile([4, 1, 3, 2], 25) == 1.75)
        #expect(LatencyStatistic.percentile((1...10).map(Double.init), 75) == 7.75)
        #expect(LatencyStatistic.percentile([5], 25) == 5)
        // One outlier per run is dropped; the middle runs' means are averaged.
        let runs: [[Double]] = [[1, 2, 3, 4, 100], [2, 2, 2, 2, 2], [3, 4, 5, 6, 7], [50, 50, 50, 50, 50]]
        // Run values: 3, 2, 5, 50; their 25th/75th percentiles 2.75 and 16.25 keep 3 and 5.
        #expect(try LatencyStatistic.robustMean(runs) == 4)
        #expect(throws: NASLibError.self) { try LatencyStatistic.robustMean([[1, -2]]) }
        #expect(throws: NASLibError.self) { try LatencyStatistic.robustMean([]) }
    }

    static var machine: [String: Any] { ["cpu": "Test CPU", "cores": 2] }

    @Test func journalResumesDropsACutLineAndRefusesToMix() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var settings = MeasureSettings()
        settings.runs = 2
        settings.perRun = 2
        let a = NB201Arch(code: 100)
        let b = NB201Arch(code: 200)
        do {
            let j = try MeasurementJournal(directory: dir, settings: settings, machine: Self.machine)
            try j.append(try MeasuredModel(arch: a, runs: [[0.001, 0.002], [0.003, 0.004]], seconds: 0.1))
            try j.append(MeasuredModel(arch: b, error: "runner crashed", seconds: 0.2))
        }
        // A crash in the middle of the third line.
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("{\"arch\":\"|nor_conv".utf8))
        try handle.close()
        let j = try MeasurementJournal(directory: dir, settings: settings, machine: Self.machine)
        #expect(j.models.count == 2 && j.order == [a, b])
        #expect(j.models[a]?.latency == 0.0025 && j.models[b]?.error == "runner crashed")
        let text = try String(contentsOfFile: dir + "/journal.jsonl", encoding: .utf8)
        #expect(text.hasSuffix("}\n") && text.split(separator: "\n").count == 3)
        #expect(j.table(name: "t")[a] == 0.0025 && j.table(name: "t")[b] == nil)
        var other = settings
        other.runs = 3
        #expect { _ = try MeasurementJournal(directory: dir, settings: other, machine: Self.machine) } throws: {
            ($0 as? NASLibError)?.message.contains("taken with other settings") == true
        }
        #expect {
            _ = try MeasurementJournal(directory: dir, settings: settings, machine: ["cpu": "Another CPU"])
        } throws: {
            ($0 as? NASLibError)?.message.contains("measured on \"Test CPU\"") == true
        }
        // A recorded latency that is not the statistic of its runs is an error, not a silent number.
        try text.replacingOccurrences(of: "\"latency\":0.0025", with: "\"latency\":0.5").write(
            toFile: dir + "/journal.jsonl", atomically: true, encoding: .utf8)
        #expect { _ = try MeasurementJournal(directory: dir, settings: settings, machine: Self.machine) } throws: {
            // A record the journal's reader refuses is reported by the journal file, with its line.
            ($0 as? InfraError)?.message.contains("journal.jsonl:2: the recorded latency") == true
        }
    }

    static func table(_ n: Int, seed: Int) -> MetricTable {
        var rng = SeededRandom(seed: seed)
        var values = [Double](repeating: .nan, count: NB201Arch.count)
        for a in rng.sample(NB201Arch.all, n) { values[a.code] = rng.uniform(1e-4, 0.05) }
        return MetricTable(name: "t", values: values)
    }

    @Test func pickleAndCSVReadBackIdentically() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Self.table(2345, seed: 3)  // more than one SETITEMS batch
        let back = try LatBenchReader.parse(LatencyTableFile.pickle(t), path: "t.pickle", name: "t")
        #expect(back.values.map(\.bitPattern) == t.values.map(\.bitPattern))
        try LatencyTableFile.write(t, to: dir + "/t.csv")
        let csv = try LatencyTableFile.read(dir + "/t.csv", name: "t")
        #expect(csv.values.map(\.bitPattern) == t.values.map(\.bitPattern))
        #expect(LatencyTableFile.fingerprint(csv) == LatencyTableFile.fingerprint(t))
        #expect(throws: NASLibError.self) { try LatencyTableFile.write(t, to: dir + "/t.txt") }
        try "arch,latency_s\n|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,-1\n".write(
            toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        #expect { _ = try LatencyTableFile.read(dir + "/bad.csv", name: "b") } throws: {
            ($0 as? NASLibError)?.message.contains("bad.csv:2: latency -1 is not a positive number of seconds") == true
        }
    }

    /// Python's pickle loads the written file to the same dict (keys as tuples, floats bit for bit).
    @Test func pythonLoadsTheWrittenPickle() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Self.table(1500, seed: 9)
        try LatencyTableFile.write(t, to: dir + "/t.pickle")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            """
            import pickle, sys
            d = pickle.load(open(sys.argv[1], 'rb'))
            assert isinstance(d, dict)
            for k in sorted(d): print(' '.join(map(str, k)), float.hex(d[k]))
            """, dir + "/t.pickle",
        ]
        let out = Pipe()
        p.standardOutput = out
        guard (try? p.run()) != nil else {
            Issue.record("python3 is needed for this test (scripts/deps test installs it)")
            return
        }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        var seen = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            let arch = try NB201Arch(vector: parts.dropLast().map { Int($0)! })
            #expect(Double(String(parts.last!)) == t[arch], "\(line)")
            seen += 1
        }
        #expect(seen == 1500)
    }

    /// Small native settings on the smallest input (ImageNet16-120's 16 × 16).
    static func small(runs: Int, warmup: Int, interleave: Int = 0) -> MeasureSettings {
        var s = MeasureSettings()
        s.runs = runs
        s.perRun = 2
        s.warmup = warmup
        s.dataset = .imagenet16
        s.interleave = interleave
        return s
    }

    /// The native timer gives a positive latency and runs of the asked shape.
    @Test func nativeTimerMeasures() throws {
        let s = Self.small(runs: 2, warmup: 0)
        let m = try NativeTimer.measure(NB201Arch(code: 1234), s)
        #expect(m.runs.count == 2 && m.runs.allSatisfy { $0.count == 2 })
        #expect((m.latency ?? 0) > 0 && m.seconds >= m.runs.joined().reduce(0, +))
    }

    /// Interleaved timing: every model of the block gets all its runs, in rounds; the block's settings are part of
    /// the journal's identity, and one-at-a-time journals (no key) stay readable by one-at-a-time calls.
    @Test func interleavedBlocksTimeEveryModelInRounds() throws {
        let s = Self.small(runs: 3, warmup: 1, interleave: 3)
        let archs = [NB201Arch(code: 1234), NB201Arch(code: 77), NB201Arch(code: 15000)]
        let ms = try NativeTimer.measureInterleaved(archs, s)
        #expect(ms.map(\.arch) == archs)
        for m in ms { #expect(m.runs.count == 3 && m.runs.allSatisfy { $0.count == 2 } && (m.latency ?? 0) > 0) }
        #expect(try NativeTimer.measureInterleaved([], s).isEmpty)
        #expect(s.json["interleave"] as? Int == 3 && MeasureSettings().json["interleave"] == nil)
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try MeasurementJournal(directory: dir, settings: MeasureSettings(), machine: Self.machine)
        #expect(throws: NASLibError.self) {
            _ = try MeasurementJournal(directory: dir, settings: s, machine: Self.machine)
        }
    }
}

extension MeasurementTests {
    /// Two samples straddle both percentiles: the median stands in (never NaN).
    @Test func twoSamplesGiveTheirMedian() throws {
        #expect(LatencyStatistic.middleMean([1, 3]) == 2)
        #expect(try LatencyStatistic.robustMean([[1, 3], [2, 2]]) == 2)
    }
}

extension MeasurementTests {
    /// The other statistics of the same samples (the journal keeps them all).
    @Test func minAndMedianOfTheSamples() throws {
        let runs: [[Double]] = [[3, 1], [2, 4, 5]]
        #expect(try LatencyStatistic.min.of(runs) == 1)
        #expect(try LatencyStatistic.median.of(runs) == 3)
        #expect(try LatencyStatistic.robust.of(runs) == LatencyStatistic.robustMean(runs))
        #expect(throws: NASLibError.self) { try LatencyStatistic.min.of([[0]]) }
    }
}
