// swift-tools-version: 6.1
// brpsh: a scriptable REPL and small expression language for hardware-aware NAS research.
// Layers (docs/architecture.md): Lang <- Interpreter <- Builtins -> NASLib; REPL (never Builtins); Infra below all that
// touches the system; Sweep, Kernel, RunRecord, Figures libraries; App (front end); brpsh.
import PackageDescription

let package = Package(
    name: "brpsh",
    products: [
        .executable(name: "brpsh", targets: ["brpsh"]),
        .library(name: "NASLib", targets: ["NASLib"]),
        // For the fuzz targets (Fuzz/, a package of its own built with the fuzzer sanitizer).
        .library(name: "BrpshCore", targets: ["Lang", "Interpreter", "Builtins", "NASLib", "Kernel", "Infra"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        // System libraries: each is imported by exactly one Swift file.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine"),
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ"),

        // The language: source, lexer, AST, parser, diagnostics. Depends on nothing.
        .target(name: "Lang", path: "Sources/Lang"),
        // Values, environments, evaluation. Never NASLib.
        .target(name: "Interpreter", dependencies: ["Lang"], path: "Sources/Interpreter"),
        // Infrastructure below everything that touches the system: durable files, locks, JSON-lines journals, exact
        // JSON, child processes, the Slurm client, the thread pool.
        .target(name: "Infra", dependencies: ["CMemory"], path: "Sources/Infra"),
        // glibc's malloc settings (mallopt), behind one C function; imported by one Swift file (Infra's MemoryPolicy).
        .target(name: "CMemory", path: "Sources/CMemory"),
        // brpsh's exact GEMM (fused multiply-add chains in k order; AVX2 + FMA micro-kernels and a portable one),
        // imported by one Swift file (NASLib's ExactGEMM). Optimised in debug builds too: tests train with it.
        .target(name: "CExactGEMM", path: "Sources/CExactGEMM", cSettings: [.unsafeFlags(["-O2"])]),
        // NASLib's vector routines in C (the AdamW step, row sums, LayerNorm + ReLU in evaluation; AVX2 and portable,
        // the same bits), imported by one Swift file (NASLib's VectorKernels). Optimised in debug builds too.
        .target(name: "CVector", path: "Sources/CVector", cSettings: [.unsafeFlags(["-O2"])]),
        // Search spaces, data, tensors, GCN, optimisers, predictors, searches. Never Lang.
        .target(
            name: "NASLib",
            dependencies: ["Infra", "CBLAS", "CExactGEMM", "CVector", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/NASLib"),
        // The only bridge between the language and NASLib. BuildIdentity gives it the sources' SHA-256 (provenance).
        .target(
            name: "Builtins", dependencies: ["Interpreter", "Lang", "NASLib", "Infra", "Figures", "RunRecord"], path: "Sources/Builtins",
            plugins: ["BuildIdentity"]),
        // What a binary was built from, generated at build time (Plugins/): a tool and the build plugin that runs it.
        .executableTarget(name: "brpsh-identity", path: "Plugins/IdentityTool"),
        .plugin(name: "BuildIdentity", capability: .buildTool(), dependencies: ["brpsh-identity"], path: "Plugins/BuildIdentity"),
        // Session, line reader, completion. Never Builtins.
        .target(name: "REPL", dependencies: ["Interpreter", "Lang", "Infra", "CEditLine"], path: "Sources/REPL"),
        // Jupyter's messaging protocol: the wire form of a message, signing, replay refusal.
        .target(
            name: "Kernel", dependencies: ["CZMQ", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/Kernel"),
        // Figures: the figure model, its SVG and terminal renderers, figures of several runs merged. Depends on nothing.
        .target(name: "Figures", path: "Sources/Figures"),
        // Sweeps: the grid, the durable task store, the task runner, the local and Slurm backends, the merge.
        .target(
            name: "Sweep", dependencies: ["Builtins", "Lang", "NASLib", "Infra", "Figures", "RunRecord"], path: "Sources/Sweep"),
        // What a run records and how records are used: results.json, comparing a rerun with it (check), the
        // documentation's recorded tables (reproduce).
        .target(
            name: "RunRecord", dependencies: ["Interpreter", "Lang", "NASLib", "Infra"],
            path: "Sources/RunRecord"),
        // The front end: subcommands, the run pipeline's users (scripts, bundles, notebooks, check, data).
        .target(
            name: "App",
            dependencies: [
                "REPL", "Builtins", "Interpreter", "Lang", "NASLib", "Infra", "Sweep", "Kernel", "RunRecord",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/App"),
        // The command-line tool: a thin main.
        .executableTarget(name: "brpsh", dependencies: ["App"], path: "Sources/brpsh"),
        // Benchmarks: `scripts/bench` runs the release build and prints the figures.
        .executableTarget(
            name: "brpsh-bench", dependencies: ["NASLib", "Infra", "RunRecord", "Builtins"], path: "Sources/Bench"),

        // What the test targets share: the benchmark data and the `.needsData` trait.
        .target(name: "TestSupport", dependencies: ["NASLib"], path: "Tests/TestSupport"),
        .testTarget(
            name: "LangTests",
            dependencies: ["Lang", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/LangTests"),
        .testTarget(name: "InfraTests", dependencies: ["Infra"], path: "Tests/InfraTests"),
        .testTarget(
            name: "NASLibTests",
            dependencies: ["NASLib", "Infra", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/NASLibTests", exclude: ["pickle_cases.py"]),
        .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "Builtins", "Lang"], path: "Tests/InterpreterTests"),
        .testTarget(
            name: "BuiltinsTests",
            dependencies: [
                "Builtins", "Interpreter", "Lang", "REPL", "TestSupport", "Figures",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/BuiltinsTests",
            exclude: []),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "RunRecord"], path: "Tests/SweepTests"),
        .testTarget(name: "KernelTests", dependencies: ["Kernel"], path: "Tests/KernelTests"),
        .testTarget(name: "RunRecordTests", dependencies: ["RunRecord"], path: "Tests/RunRecordTests"),
        .testTarget(
            name: "REPLTests", dependencies: ["REPL", "App", "Sweep", "RunRecord", "Builtins", "Interpreter", "TestSupport", "brpsh"],
            path: "Tests/REPLTests"),
    ],
    swiftLanguageModes: [.v6]
)
