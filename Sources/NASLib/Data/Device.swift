/// A hardware table: latency (or energy) of NB201 archs on one device, from one public source.
public struct Device: Hashable, Sendable {
    public enum Source: String, Sendable, CaseIterable {
        case latbench
        case hwnasbench
        case help
        /// Measured in this session (`measure`) or read from a user's file: identified by its content.
        case measured
    }

    public enum Measure: String, Sendable {
        case latency
        case energy
    }

    /// The stable name (`latbench/...` file stem, `hwnas-<target>-<dataset>`, `help-<file>`).
    public let name: String
    public let aliases: [String]
    public let source: Source
    public let measure: Measure
    public let file: DataFile
    /// The CSV column (HW-NAS-Bench).
    public let column: String?
    /// What the device is (`Adreno 612 GPU (Snapdragon 675), SNPE, int8`).
    public let summary: String

    public static let measuredOrigin = "measured by the user"

    /// A user's table: `fingerprint` (the SHA-256 of its values) stands in for a data file's hash in cache keys, so
    /// two tables under one name never share a cached result.
    public static func measured(name: String, summary: String, fingerprint: String) -> Device {
        Device(
            name: name, aliases: [], source: .measured, measure: .latency,
            file: DataFile("measured/\(fingerprint)", origin: measuredOrigin), column: nil, summary: summary)
    }

    /// The chip a table was measured on, shared by its batch sizes, precisions, input sizes and by the same chip in
    /// other benchmarks (a few-shot study excludes every table of the target's chip from its sources).
    public var chip: String {
        switch source {
        case .measured: return name
        case .latbench:
            let stem = name.split(separator: "-").dropLast().joined(separator: "-")  // drop fp32/fp16/int8
            switch stem {
            case "desktop-gpu-gtx-1080ti": return "gtx-1080ti"
            case "embedded-tpu-edge-tpu": return "edge-tpu"
            case "embedded-gpu-jetson-nano": return "jetson-nano"
            default: return stem
            }
        case .hwnasbench:
            let target = column.map { String($0.split(separator: "_")[0]) } ?? name
            return ["edgegpu": "jetson-tx2", "edgetpu": "edge-tpu"][target] ?? target
        case .help:
            let stem = String(file.path.dropFirst("help-latency/".count).dropLast(".pt".count))
            if let cut = stem.lastIndex(of: "_"),
                ["1080ti", "2080ti", "titanx", "titanxp", "titan_rtx"].contains(String(stem[..<cut]))
            {
                let gpu = String(stem[..<cut])  // drop the batch size
                return gpu == "1080ti" ? "gtx-1080ti" : gpu
            }
            return stem
        }
    }

    /// The content hash of a measured table (nil for a shipped one, whose file is hashed).
    public var fingerprint: String? { source == .measured ? String(file.path.dropFirst("measured/".count)) : nil }
}

/// Every device table brpsh knows, and name resolution (names and aliases, case-insensitive).
public enum DeviceCatalog {
    public static let all: [Device] = latbench + hwnasbench + help

    static let latbench: [Device] = [
        ("desktop-cpu-core-i7-7820x-fp32", ["d-cpu", "desktop-cpu"], "Desktop CPU Intel i7-7820X, TF 1.15, fp32"),
        ("desktop-gpu-gtx-1080ti-fp32", ["d-gpu", "desktop-gpu"], "Desktop GPU GTX 1080 Ti, TF 1.15, fp32"),
        ("embedded-gpu-jetson-nano-fp32", ["e-gpu", "jetson-nano"], "Embedded GPU Jetson Nano, fp32"),
        ("embedded-gpu-jetson-nano-fp16", ["jetson-nano-fp16"], "Embedded GPU Jetson Nano, fp16"),
        ("embedded-tpu-edge-tpu-int8", ["e-tpu", "edge-tpu"], "Embedded TPU EdgeTPU, TFLite, int8"),
        (
            "mobile-gpu-snapdragon-675-adreno-612-int8", ["m-gpu", "adreno-612"],
            "Mobile GPU Adreno 612 (Snapdragon 675), SNPE, int8"
        ),
        (
            "mobile-dsp-snapdragon-855-hexagon-690-int8", ["m-dsp", "hexagon-690"],
            "Mobile DSP Hexagon 690 (Snapdragon 855), SNPE, int8"
        ),
        ("mobile-gpu-snapdragon-450-adreno-506-int8", ["adreno-506"], "Mobile GPU Adreno 506 (Snapdragon 450), int8"),
        ("mobile-gpu-snapdragon-855-adreno-640-int8", ["adreno-640"], "Mobile GPU Adreno 640 (Snapdragon 855), int8"),
        (
            "mobile-dsp-snapdragon-675-hexagon-685-int8", ["hexagon-685"],
            "Mobile DSP Hexagon 685 (Snapdragon 675), int8"
        ),
        ("mobile-cpu-snapdragon-450-cortex-a53-int8", ["cortex-a53"], "Mobile CPU Cortex-A53 (Snapdragon 450), int8"),
        ("mobile-cpu-snapdragon-675-kryo-460-int8", ["kryo-460"], "Mobile CPU Kryo 460 (Snapdragon 675), int8"),
        ("mobile-cpu-snapdragon-855-kryo-485-int8", ["kryo-485"], "Mobile CPU Kryo 485 (Snapdragon 855), int8"),
    ].map { name, aliases, summary in
        Device(
            name: name, aliases: aliases, source: .latbench, measure: .latency,
            file: DataFile("latbench/\(name).pickle", origin: DataFile.latbenchOrigin), column: nil, summary: summary)
    }

    /// HW-NAS-Bench: per dataset (input size), latency on 6 targets and energy on 3.
    static let hwnasbench: [Device] = {
        let targets: [(String, Device.Measure, String)] = [
            ("edgegpu_latency", .latency, "Edge GPU Jetson TX2"), ("edgegpu_energy", .energy, "Edge GPU Jetson TX2"),
            ("raspi4_latency", .latency, "Raspberry Pi 4"), ("edgetpu_latency", .latency, "Edge TPU"),
            ("pixel3_latency", .latency, "Pixel 3"), ("eyeriss_latency", .latency, "Eyeriss ASIC"),
            ("eyeriss_energy", .energy, "Eyeriss ASIC"), ("fpga_latency", .latency, "FPGA"),
            ("fpga_energy", .energy, "FPGA"),
        ]
        let datasets = [
            ("cifar10", "hw_cifar10.csv"), ("cifar100", "hw_cifar100.csv"), ("imagenet16", "hw_ImageNet16-120.csv"),
        ]
        var out: [Device] = []
        for (dataset, fileName) in datasets {
            for (column, measure, what) in targets {
                let target = column.replacingOccurrences(of: "_latency", with: "").replacingOccurrences(
                    of: "_", with: "-")
                let name = "hwnas-\(target)-\(dataset)"
                let aliases = dataset == "cifar10" ? ["hwnas-\(target)"] : []
                out.append(
                    Device(
                        name: name, aliases: aliases, source: .hwnasbench, measure: measure,
                        file: DataFile("hw-nas-bench/\(fileName)", origin: DataFile.hwOrigin), column: column,
                        summary: "\(what), HW-NAS-Bench, \(dataset) input, \(measure.rawValue)"))
            }
        }
        return out
    }()

    static let help: [Device] = {
        var stems: [(String, String)] = []
        for gpu in ["1080ti", "2080ti", "titanx", "titanxp", "titan_rtx"] {
            for batch in [1, 32, 256] { stems.append(("\(gpu)_\(batch)", "GPU \(gpu), batch \(batch)")) }
        }
        for cpu in ["gold_6226", "gold_6240", "silver_4114", "silver_4210r"] { stems.append((cpu, "Xeon CPU \(cpu)")) }
        for phone in ["pixel2", "pixel3", "samsung_a50", "samsung_s7", "essential_ph_1"] {
            stems.append((phone, "Phone \(phone) (integer ms)"))
        }
        stems += [("raspi4", "Raspberry Pi 4"), ("eyeriss", "Eyeriss ASIC"), ("fpga", "FPGA")]
        return stems.map { stem, what in
            Device(
                name: "help-\(stem.replacingOccurrences(of: "_", with: "-"))", aliases: ["help-\(stem)"], source: .help,
                measure: .latency, file: DataFile("help-latency/\(stem).pt", origin: DataFile.helpOrigin), column: nil,
                summary: "\(what), HELP")
        }
    }()

    /// The device with this name or alias (case-insensitive), or an error listing candidates.
    public static func resolve(_ name: String) throws -> Device {
        let key = name.lowercased()
        if let d = all.first(where: { $0.name.lowercased() == key || $0.aliases.contains { $0.lowercased() == key } }) {
            return d
        }
        let names = all.flatMap { [$0.name] + $0.aliases }
        throw NASLibError(
            "unknown device \"\(name)\" (the paper's devices: d-cpu, d-gpu, e-gpu, e-tpu, m-gpu, m-dsp; \(all.count) tables in all)",
            unknown: name, kind: "device", candidates: names)
    }
}
