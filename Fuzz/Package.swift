// swift-tools-version: 6.1
// Coverage-guided fuzz targets for brpsh's parsers (libFuzzer). Build and run with scripts/fuzz: each target is an
// executable whose main hands its test function to libFuzzer's driver; linked with -sanitize=fuzzer,address.
import PackageDescription

let targets = ["FuzzParser", "FuzzInterpreter", "FuzzUnpickler", "FuzzTorch", "FuzzCSV", "FuzzKernel", "FuzzEvaluator", "FuzzJSON", "FuzzSpaces"]

let package = Package(
    name: "brpsh-fuzz",
    dependencies: [.package(name: "brpsh", path: "..")],
    targets: [.target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver")] + targets.map { name in
        .executableTarget(
            name: name, dependencies: ["CFuzzerDriver", .product(name: "BrpshCore", package: "brpsh")],
            path: "Sources/\(name)")
    },
    swiftLanguageModes: [.v6]
)
