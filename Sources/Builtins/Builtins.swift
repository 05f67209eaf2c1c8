import Interpreter
import Lang
import NASLib

/// The builtin table: every builtin of the language, core and NAS alike. It drives `help`,
/// tab completion and docs/builtins.md (`brpsh --builtins-markdown`).
public enum Builtins {
    public static func all() -> [BuiltinFunction] {
        core()
            + CoreBuiltins.repetition()
            + [Output.save]
            + PlotBuiltins.all()
            + StatisticsBuiltins.all()
            + recordingReads(
                DataBuiltins.all() + MeasureBuiltins.all() + PredictorBuiltins.all() + FewShotBuiltins.all()
                    + AccuracyBuiltins.all()
                    + SearchBuiltins.all() + DriverBuiltins.all() + BaselineBuiltins.all() + ParetoBuiltins.all())
    }

    /// Each call of these builtins records the files it reads (`ReadRecorder`): a cached result lists every file its
    /// call read, from argument checks to the computation, and is used only while they are unchanged.
    static func recordingReads(_ builtins: [BuiltinFunction]) -> [BuiltinFunction] {
        builtins.map { $0.wrapping { body, c in try NASContext.of(c).reads.recording { try body(c) }.value } }
    }

    /// A fresh interpreter with every builtin registered.
    /// The builtins that touch neither files nor the benchmark data (the interpreter's fuzz target uses these).
    public static func core() -> [BuiltinFunction] {
        BuiltinFunction.category("Basics", CoreBuiltins.basics())
            + BuiltinFunction.category("Lists and records", CoreBuiltins.collections())
            + BuiltinFunction.category("Numbers and statistics", CoreBuiltins.numeric())
    }

    /// A fresh session: an interpreter with the builtins (by default every one) and its session state, made from
    /// `settings`.
    public static func makeInterpreter(
        output: OutputSink, settings: SessionSettings, builtins: [BuiltinFunction]? = nil
    ) -> Interpreter {
        let interpreter = Interpreter(output: output, builtins: builtins ?? all())
        interpreter.literalChecks = literalChecks
        BuiltinsState.install(on: interpreter, settings)
        return interpreter
    }

    /// Names checked before a program runs (docs/language.md, "Checks before running"): a literal device or dataset
    /// name that does not exist stops the script at once instead of after the work before its first use.
    static let literalChecks: [String: @Sendable (String) -> String?] = {
        let device: @Sendable (String) -> String? = { name in
            guard (try? DeviceCatalog.resolve(name)) == nil else { return nil }
            let names = DeviceCatalog.all.flatMap { [$0.name] + $0.aliases }
            return "unknown device \"\(name)\"\(Suggest.didYouMean(name, names, quote: "\""))"
                + " (the paper's devices: d-cpu, d-gpu, e-gpu, e-tpu, m-gpu, m-dsp; devices() lists all \(DeviceCatalog.all.count))"
        }
        let dataset: @Sendable (String) -> String? = { name in
            guard Benchmark.Dataset(name: name) == nil else { return nil }
            let names = ["cifar10", "cifar100", "imagenet16-120"]
            return
                "unknown dataset \"\(name)\"\(Suggest.didYouMean(name, names, quote: "\"")); use cifar10, cifar100 or imagenet16-120"
        }
        return ["device": device, "dataset": dataset, "accuracy": dataset, "report": dataset]
    }()
}

/// The builtins that need no NAS library.
enum CoreBuiltins {}
