import Interpreter
import Lang

/// The builtin table: every builtin of the language, core and NAS alike. It drives `help`,
/// tab completion and docs/builtins.md (`brpsh --builtins-markdown`).
public enum Builtins {
    public static func all() -> [BuiltinFunction] {
        core()
            + CoreBuiltins.repetition()
            + [Output.save]
            + PlotBuiltins.all()
            + StatisticsBuiltins.all()
            + DataBuiltins.all()
            + PredictorBuiltins.all()
            + AccuracyBuiltins.all()
            + SearchBuiltins.all()
            + BaselineBuiltins.all()
    }

    /// A fresh interpreter with every builtin registered.
    /// The builtins that touch neither files nor the benchmark data (the interpreter's fuzz target uses these).
    public static func core() -> [BuiltinFunction] {
        BuiltinFunction.category("Basics", CoreBuiltins.basics())
            + BuiltinFunction.category("Lists and records", CoreBuiltins.collections())
            + BuiltinFunction.category("Numbers and statistics", CoreBuiltins.numeric())
    }

    public static func makeInterpreter(output: OutputSink) -> Interpreter {
        Interpreter(output: output, builtins: all())
    }
}

/// The builtins that need no NAS library.
enum CoreBuiltins {}
