import Foundation
import NASLib
import TestSupport
import Testing

/// The few-shot latency predictor: its linear algebra against brute force, the honesty of `n` (nothing of the
/// target beyond the n models read), determinism, save and reload, and the baselines on the same samples.
@Suite struct FewShotTests {
    static let help = ["help-1080ti_1", "help-1080ti_32", "help-silver_4114", "help-pixel3"]

    static func sources(_ b: Benchmark, _ names: [String]) throws -> [MetricTable] {
        try names.map { try b.table(named: $0) }
    }

    static func spec(_ target: String, _ select: FewShotSpec.Selection, n: Int = 10, seed: Int = 3) throws
        -> FewShotSpec
    {
        var s = FewShotSpec(
            target: try DeviceCatalog.resolve(target).name, sources: try help.map { try DeviceCatalog.resolve($0).name }
        )
        s.n = n
        s.seed = seed
        s.select = select
        return s
    }

    @Test func exactLeaveOneOutEqualsRefitting() throws {
        var rng = SeededRandom(seed: 11)
        for (n, d) in [(10, 3), (10, 20), (6, 6), (30, 5)] {
            let x = (0..<n).map { _ in (0..<d).map { _ in rng.normal() } }
            let y = (0..<n).map { _ in rng.normal() }
            for penalty in [1e-3, 0.1, 10.0] {
                var brute = 0.0
                for i in 0..<n {
                    let keep = (0..<n).filter { $0 != i }
                    let fit = try Ridge.fit(keep.map { x[$0] }, keep.map { y[$0] }, penalty: penalty)
                    brute += pow(fit.predict(x[i]) - y[i], 2)
                }
                let exact = try Ridge.leaveOneOutError(x, y, penalty: penalty)
                #expect(abs(exact - brute) <= 1e-8 * max(1, brute), "n \(n) d \(d) λ \(penalty): \(exact) vs \(brute)")
            }
        }
    }

    @Test func primalAndDualFitsAgree() throws {
        var rng = SeededRandom(seed: 5)
        let x = (0..<12).map { _ in (0..<4).map { _ in rng.normal() } }
        let y = x.map { 1 + 2 * $0[0] - $0[2] + 0.1 * rng.normal() }
        let primal = try Ridge.fit(x, y, penalty: 0.5)  // n > d: the primal form
        // The dual form on the same data: pad with zero columns so that d ≥ n (zero columns change nothing).
        let padded = x.map { $0 + [Double](repeating: 0, count: 10) }
        let dual = try Ridge.fit(padded, y, penalty: 0.5)
        for r in x { #expect(abs(primal.predict(r) - dual.predict(r + [Double](repeating: 0, count: 10))) < 1e-9) }
    }

    @Test func liveEdgesFollowTheCell() throws {
        // Input→node 1 by conv, node 1 → output by none, node 2 fed by input only, node 2 → output: skip.
        let a = try NB201Arch(string: "|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|skip_connect~2|")
        #expect(FewShotFeatures.liveEdges(a) == [false, true, false, false, false, true])
        #expect(FewShotFeatures.rawStructural(a) == [1, 0, 1, 1, 1, 0, 0, 1])
    }

    @Test func chipsGroupBatchSizesPrecisionsAndBenchmarks() throws {
        func chip(_ n: String) throws -> String { try DeviceCatalog.resolve(n).chip }
        #expect(try chip("help-1080ti_1") == chip("help-1080ti_256"))
        #expect(try chip("help-1080ti_1") == chip("d-gpu"))
        #expect(try chip("jetson-nano-fp16") == chip("e-gpu"))
        #expect(try chip("e-tpu") == chip("hwnas-edgetpu-cifar100"))
        #expect(try chip("help-eyeriss") == chip("hwnas-eyeriss-imagenet16"))
        #expect(try chip("help-gold_6226") != chip("help-gold_6240"))
        #expect(try chip("help-essential_ph_1") == "essential_ph_1")
        #expect(try chip("help-titanx_32") != chip("help-titanxp_32"))
    }

    /// The method given a target table holding only the n models it read gives the identical predictor: it cannot
    /// have read anything else of the target.
    @Test(.needsData, arguments: [FewShotSpec.Selection.design, .random, .reference])
    func readsNothingOfTheTargetBeyondN(select: FewShotSpec.Selection) throws {
        let b = try #require(TestData.benchmark)
        let spec = try Self.spec("help-eyeriss", select)
        let full = try b.table(named: spec.target)
        let reads = TargetReads(full)
        let p = try FewShotPredictor.fit(
            spec: spec, target: reads, sources: try Self.sources(b, Self.help), reference: b.helpReferences)
        #expect(reads.count == 10 && p.samples.count == 10 && Set(p.samples.map(\.arch)).count == 10)
        var only = [Double](repeating: .nan, count: NB201Arch.count)
        for s in p.samples { only[s.arch.code] = s.latency }
        let reduced = TargetReads(MetricTable(name: full.name, values: only))
        let q = try FewShotPredictor.fit(
            spec: spec, target: reduced, sources: try Self.sources(b, Self.help), reference: b.helpReferences)
        #expect(q.predictions == p.predictions)
        #expect(q.samples.map(\.arch) == p.samples.map(\.arch))
        #expect(p.testArchs(full).count == full.count - 10)
        #expect(Set(p.testArchs(full)).isDisjoint(with: p.samples.map(\.arch)))
    }

    @Test(.needsData) func referenceSelectionReadsHELPsTenArchitectures() throws {
        let b = try #require(TestData.benchmark)
        let refs = try b.helpReferences()
        #expect(refs.count == 10 && Set(refs).count == 10)
        let spec = try Self.spec("help-raspi4", .reference)
        let p = try FewShotPredictor.fit(
            spec: spec, target: TargetReads(try b.table(named: spec.target)),
            sources: try Self.sources(b, Self.help), reference: b.helpReferences)
        #expect(p.samples.map(\.arch) == refs)
        #expect(throws: NASLibError.self) {
            try FewShotPredictor.fit(
                spec: try Self.spec("help-raspi4", .reference, n: 11),
                target: TargetReads(try b.table(named: spec.target)),
                sources: [], reference: b.helpReferences)
        }
    }

    /// A target with unmeasured models (LatBench leaves out the disconnected cells): the selection skips them, they
    /// are reported, and n latencies are still read.
    @Test(.needsData) func unmeasuredModelsAreSkippedAndNamed() throws {
        let b = try #require(TestData.benchmark)
        var spec = try Self.spec("m-dsp", .random, n: 40, seed: 2)
        spec.sources = []
        let reads = TargetReads(try b.table(named: spec.target))
        let p = try FewShotPredictor.fit(spec: spec, target: reads, sources: [])
        #expect(p.samples.count == 40)
        #expect(
            !p.unavailable.isEmpty,
            "341 of 15625 cells are unmeasured: 40 random draws almost surely hit one with this seed")
        #expect(p.unavailable.allSatisfy { !$0.connected })
    }

    @Test(.needsData) func deterministicAndSavedFilesRefitIdentically() throws {
        let b = try #require(TestData.benchmark)
        let spec = try Self.spec("help-fpga", .design)
        let srcs = try Self.sources(b, Self.help)
        let p = try FewShotPredictor.fit(
            spec: spec, target: TargetReads(try b.table(named: spec.target)), sources: srcs)
        let again = try FewShotPredictor.fit(
            spec: spec, target: TargetReads(try b.table(named: spec.target)), sources: srcs)
        #expect(p.predictions == again.predictions)
        let data = try FewShotFile.encode(p)
        let back = try FewShotFile.refit(
            try FewShotFile.decode(data, source: "p.fewshot"), sources: srcs, source: "p.fewshot")
        #expect(back.predictions == p.predictions)
        #expect(
            back.samples.map(\.arch) == p.samples.map(\.arch) && back.samples.map(\.latency) == p.samples.map(\.latency)
        )
        // Refitting against other sources gives another model: the file says so instead of loading a different fit.
        let other = try Self.sources(b, ["help-samsung_a50"])
        #expect(throws: NASLibError.self) {
            try FewShotFile.refit(
                try FewShotFile.decode(data, source: "p.fewshot"), sources: other, source: "p.fewshot")
        }
        #expect(throws: NASLibError.self) {
            try FewShotFile.decode(Data("{\"format\": \"x\"}".utf8), source: "bad.fewshot")
        }
    }

    @Test(.needsData) func baselinesUseTheSameSamples() throws {
        let b = try #require(TestData.benchmark)
        let spec = try Self.spec("help-gold_6226", .design)
        let srcs = try Self.sources(b, Self.help)
        let p = try FewShotPredictor.fit(
            spec: spec, target: TargetReads(try b.table(named: spec.target)), sources: srcs)
        let named = zip(Self.help, srcs).map { ($0.0, $0.1) }
        let layer = try FewShotBaselines.predictions("layerwise", p, sources: named, seed: 1).values
        let direct = try LayerwisePredictor.fit(samples: p.samples, device: spec.target)
        #expect(layer == NB201Arch.all.map(direct.predict))
        // The best source ranks the samples best among the sources, and is scaled by the samples' median ratio.
        let (best, name) = try FewShotBaselines.predictions("best_source", p, sources: named, seed: 1)
        let rhos = try srcs.map { t -> Double in
            let logs = try FewShotFeatures.sourceLogs(t)
            return Statistics.spearman(p.samples.map { logs[$0.arch.code] }, p.samples.map(\.latency))
        }
        #expect(name == Self.help[rhos.firstIndex(of: rhos.max()!)!])
        let ratios = p.samples.map { $0.latency / best[$0.arch.code] }
        #expect(ratios.filter { $0 < 1 }.count <= 5 && ratios.filter { $0 > 1 }.count <= 5)
        #expect(throws: NASLibError.self) { try FewShotBaselines.predictions("oracle", p, sources: named, seed: 1) }
    }
}
