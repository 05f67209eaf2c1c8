import Interpreter
import NASLib

/// The evaluation protocol of a benchmark search, as one argument: what the search learns from, how its result is
/// picked, what is reported, and (BRP-NAS) how its predictor trains and what its final phase skips.
///
/// Without `protocol:` each parameter keeps its own default, which is the mean-accuracy protocol (`"mean-test"`, the
/// same by name): train on and report the test accuracy (CIFAR-100 unless `accuracy:` says otherwise), mean over the
/// benchmark's seeds; the result after k models is the best of them.
/// `protocol: "paper"` is the BRP-NAS paper's: the search sees validation accuracy (CIFAR-10 unless `accuracy:`
/// names imagenet16-120, the datasets the data has it for), picks its result by it, and reports the test accuracy
/// of that pick; BRP-NAS also trains its predictor as eagle does (`mode: "faithful"`) and, under a latency limit,
/// passes over final-phase models truly over the limit before training them (Algorithm 1). An argument given
/// explicitly that contradicts the protocol is an error; `mode:` and `skip_over_limit:` may be given to depart from
/// it (the call, in provenance, shows both).
enum SearchProtocol {
    static let names = ["paper", "mean-test"]

    static let param = BuiltinParameter(
        "protocol", .optional(.string), default: .nil,
        "paper: learn from validation accuracy (cifar10 unless accuracy: says imagenet16-120), pick the result by it, report its test accuracy; brp also trains faithfully and skips over-limit models before training (Algorithm 1). mean-test (what the defaults give): learn from and report the mean test accuracy, the best of the trained"
    )

    static let skipParam = BuiltinParameter(
        "skip_over_limit", .optional(.bool), default: .nil,
        "final phase: pass over models truly over the limit without training them, as Algorithm 1 (default: true under protocol: \"paper\", else false: they are trained and count against M)"
    )

    /// The call with the protocol's settings in place of the parameters' defaults. The benchmark's datasets with
    /// validation accuracy are checked here, so that the error names the argument.
    static func resolve(_ c: BuiltinCall) throws -> BuiltinCall {
        guard let name = try c.optionalString("protocol") else { return c }
        guard names.contains(name) else {
            throw c.fail(
                "protocol",
                "unknown protocol \"\(name)\"\(Suggest.didYouMean(name, names, quote: "\"")); use \"paper\" or \"mean-test\" (the default)"
            )
        }
        if name == "mean-test" {
            if c.isGiven("split"), try c.string("split") != "test" {
                throw c.fail(
                    "split", "protocol: \"mean-test\" learns from the test split (mean over seeds); leave split: out")
            }
            if c.isGiven("select"), try c.string("select") != "report" {
                throw c.fail(
                    "select",
                    "protocol: \"mean-test\" takes the best reported accuracy of the trained models; leave select: out")
            }
            return c.withDefaults(["split": .string("test"), "select": .string("report")])
        }
        for p in ["evaluate", "dir"] where !c.isNil(p) {
            throw c.fail(
                "protocol", "the protocol chooses the benchmark's accuracies; with \(p): the results are yours")
        }
        if c.function.parameters.contains(where: { $0.name == "ask" }), try c.bool("ask") {
            throw c.fail(
                "protocol", "the protocol chooses the benchmark's accuracies; with ask: true the results are yours")
        }
        if !c.isNil("objectives") {
            throw c.fail("protocol", "the paper's protocol is single-objective; leave out objectives:")
        }
        if c.function.parameters.contains(where: { $0.name == "space" }), try !SpaceChoice.of(c).hasBenchmark {
            throw c.fail("protocol", "the paper's protocol runs on the NB201 benchmark")
        }
        var dataset = Benchmark.Dataset.cifar10
        if c.isGiven("accuracy") {
            dataset = try datasetArgument(c, "accuracy")
            guard dataset != .cifar100 else {
                throw c.fail(
                    "accuracy",
                    "protocol: \"paper\" learns from validation accuracy, which the data has for cifar10 and imagenet16-120, not cifar100"
                )
            }
        }
        if c.isGiven("split"), try c.string("split") != "valid" {
            throw c.fail("split", "protocol: \"paper\" learns from the validation split; leave split: out")
        }
        if c.isGiven("select"), try c.string("select") != "signal" {
            throw c.fail(
                "select",
                "protocol: \"paper\" picks the result by validation accuracy (select: \"signal\"); leave select: out")
        }
        if let report = try c.optionalString("report"), Benchmark.Dataset(name: report) != dataset {
            throw c.fail(
                "report",
                "protocol: \"paper\" reports the test accuracy of the dataset it learns from (\(dataset.rawValue))")
        }
        return c.withDefaults([
            "accuracy": .string(dataset.rawValue), "split": .string("valid"), "select": .string("signal"),
            "mode": .string("faithful"), "skip_over_limit": .bool(true),
        ])
    }

    /// Whether BRP-NAS's final phase skips models over the limit (the protocol's or the argument's choice).
    /// Given explicitly, it needs what it acts on: a latency limit, on a benchmark search.
    static func skipOverLimit(_ c: BuiltinCall) throws -> Bool {
        if c.isGiven("skip_over_limit") {
            for p in ["evaluate", "dir", "objectives"] where !c.isNil(p) {
                throw c.fail(
                    "skip_over_limit",
                    "applies to benchmark searches of one objective under a latency limit, not with \(p):")
            }
            if c.isNil("limit") { throw c.fail("skip_over_limit", "applies under a latency limit (limit:)") }
        }
        return c.isNil("skip_over_limit") ? false : try c.bool("skip_over_limit")
    }
}
