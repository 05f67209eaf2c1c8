import Foundation

/// A saved few-shot predictor (docs/formats.md): its spec, the samples it read and the model it chose. Reading it
/// back refits from the samples and the source tables and checks that the same model comes out, so a file cannot
/// claim a fit its data does not give. Numbers are written as Swift's shortest round-tripping decimal strings.
public struct FewShotFile: Codable, Sendable {
    public struct Sample: Codable, Sendable {
        public let arch: String
        public let latency_s: String
    }

    public var format = "brpsh-fewshot"
    public var version = 1
    public let spec: FewShotSpec
    public let samples: [Sample]
    public let source_scale: String
    public let penalty: String

    public static func encode(_ p: FewShotPredictor) throws -> Data {
        let file = FewShotFile(
            spec: p.spec, samples: p.samples.map { Sample(arch: $0.arch.string, latency_s: "\($0.latency)") },
            source_scale: "\(p.choice.sourceScale)", penalty: "\(p.choice.penalty)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(file)
    }

    public static func decode(_ data: Data, source: String) throws -> FewShotFile {
        let file: FewShotFile
        do { file = try JSONDecoder().decode(FewShotFile.self, from: data) } catch {
            throw NASLibError("\(source): not a saved few-shot predictor (\(error))")
        }
        guard file.format == "brpsh-fewshot", file.version == 1 else {
            throw NASLibError(
                "\(source): format \(file.format) version \(file.version); expected brpsh-fewshot version 1")
        }
        return file
    }

    /// Refits from the stored samples; `sources` in the spec's order.
    public static func refit(_ file: FewShotFile, sources: [MetricTable], source: String) throws -> FewShotPredictor {
        let samples = try file.samples.enumerated().map { i, s -> (arch: NB201Arch, latency: Double) in
            guard let v = Double(s.latency_s), v > 0, v.isFinite else {
                throw NASLibError("\(source): sample \(i + 1): latency_s \(s.latency_s) is not a positive number")
            }
            do { return (try NB201Arch(string: s.arch), v) } catch let e as NASLibError {
                throw NASLibError("\(source): sample \(i + 1): \(e.message)")
            }
        }
        guard samples.count == file.spec.n else {
            throw NASLibError("\(source): \(samples.count) samples, but n is \(file.spec.n)")
        }
        let p = try FewShotPredictor.fitted(
            spec: file.spec, samples: samples, unavailable: [],
            sourceColumns: try sources.map(FewShotFeatures.source), start: DispatchTime.now().uptimeNanoseconds)
        guard "\(p.choice.sourceScale)" == file.source_scale, "\(p.choice.penalty)" == file.penalty else {
            throw NASLibError(
                "\(source): refitting gives source scale \(p.choice.sourceScale), penalty \(p.choice.penalty); the file says \(file.source_scale), \(file.penalty) (different source tables?)"
            )
        }
        return p
    }
}
