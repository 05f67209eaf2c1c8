import Foundation
import Infra
import NASLib

/// brpsh's benchmarks. Every performance figure in the docs comes from running this (release
/// build) through `scripts/bench`; timings never live in the test suite.
///
///     brpsh-bench [SECTION ...] [--record DIR]
///
/// `--record DIR` also writes the figures as a run's results into DIR (see `Figures`).
var arguments = Array(CommandLine.arguments.dropFirst())
let startDate = Date()
var recordDirectory: String? = nil
if let i = arguments.firstIndex(of: "--record") {
    guard i + 1 < arguments.count else {
        FileHandle.standardError.write("brpsh-bench: --record needs a folder\n".data(using: .utf8)!)
        exit(2)
    }
    recordDirectory = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
let selected = arguments.isEmpty ? ["all"] : Set(arguments)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func benchData() throws {
    let directory = try DataLocation.resolve(environment: ProcessInfo.processInfo.environment)
    print("== data loading (\(directory.reason))")
    let b = Benchmark(directory: directory)
    let latbench = try seconds { try b.load(.latbench) }
    print(String(format: "  13 LatBench pickles:            %.3f s", latbench))
    let nb201 = try seconds { _ = try b.index() }
    print(String(format: "  NB201 index + test accuracies:  %.3f s", nb201))
    let hw = try seconds { try b.load(.hwnasbench) }
    print(String(format: "  HW-NAS-Bench (3 CSV files):     %.3f s", hw))
    let help = try seconds { try b.load(.help) }
    print(String(format: "  HELP (27 .pt archives):         %.3f s", help))
}

MemoryPolicy.keepFreedMemory()

// BRPSH_THREADS=1 runs NASLib's parallel parts one after another (the same results, one core).
if let t = ProcessInfo.processInfo.environment["BRPSH_THREADS"], let n = Int(t), n >= 0 {
    Parallel.configure(threads: n)
}

// BRPSH_GEMM=openblas times training with OpenBLAS's GEMM instead of the exact one (as the command-line tool).
do {
    if let kernel = try BLAS.GEMMKernel.requested(in: ProcessInfo.processInfo.environment) {
        BLAS.configure(kernel: kernel)
    }
} catch {
    FileHandle.standardError.write("brpsh-bench: \(error.message)\n".data(using: .utf8)!)
    exit(2)
}

/// The machine as the OS reports it, so every figure names where it was measured.
func machineHeader() -> String {
    let m = Machine.current
    return "== machine: \(m.cpu) (/proc/cpuinfo), \(m.cores) cores; \(BLAS.configuration); "
        + "kernel \(BLAS.coreName); training's GEMM: \(BLAS.kernel.rawValue) (exact: \(ExactGEMM.path)); "
        + "GEMM peak = OpenBLAS's best rate (2mnk flops / time) of at least 3 timed 2048×2048×2048 GEMMs (0.4 s in all) "
        + "through BLAS.gemm, cut into parts as training cuts them"
}

print(machineHeader())

do {
    if selected.contains("gemm") || selected.contains("all") { benchGEMM() }
    if selected.contains("data") || selected.contains("all") { try benchData() }
    if selected.contains("gcn") || selected.contains("all") { try benchGCN(full: selected.contains("full")) }
    if selected.contains("predict") || selected.contains("all") { benchPredict() }
    if selected.contains("adamw") || selected.contains("all") { benchAdamW() }
    if selected.contains("exact") || selected.contains("all") { try benchExact() }
    if selected.contains("oracle") || selected.contains("all") { try benchOracle() }
    if selected.contains("baselines") || selected.contains("all") { try benchBaselines() }
    if selected.contains("brp") || selected.contains("all") {
        let env = ProcessInfo.processInfo.environment
        let seeds = (env["BRP_SEEDS"] ?? "1").split(separator: ",").compactMap { Int($0) }
        try benchBRP(
            mode: env["BRP_MODE"] == "faithful" ? .faithful : .fast, seeds: seeds,
            batch: env["BRP_BATCH"].flatMap(Int.init))
    }
    if let dir = recordDirectory { try Figures.write(to: dir, command: CommandLine.arguments, start: startDate) }
} catch {
    FileHandle.standardError.write("brpsh-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
