import ArgumentParser
import Foundation
import Infra
import Interpreter
import Lang
import NASLib
import Sweep

/// `brpsh sweep SCRIPT --over name=values ... --out DIR`, `brpsh sweep status DIR`, `brpsh merge DIR`
/// (docs/scale-out.md).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a script once per point of a grid (seeds, settings) on this machine or on Slurm, and merge.",
        subcommands: [SweepStartCommand.self, SweepStatusCommand.self, SweepTaskCommand.self],
        defaultSubcommand: SweepStartCommand.self)
}

struct SweepStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run (or resume) a sweep: every task not done yet runs; finished ones are kept.",
        discussion: """
            Each point runs as `brpsh run SCRIPT --set name=value ... --out DIR/points/NAME`. The variable `seed` \
            repeats an experiment (merged over); the others are settings (one merged result per combination). \
            Rerunning the same command resumes; a task that failed with an error runs again with --retry-failed. \
            The directory refuses results of another script, data or brpsh version.
            """)

    @ArgumentParser.Argument(
        help: ArgumentHelp("The script.", valueName: "script.brp"), completion: .file(extensions: ["brp"]))
    var script: String

    @Option(
        name: .customLong("over"),
        help: ArgumentHelp(
            "A variable and its values: name=1..10 (integers, both ends) or name=a,b,c (brpsh literals). Repeatable.",
            valueName: "name=values"))
    var over: [String] = []

    @Option(help: ArgumentHelp("The sweep's directory.", valueName: "DIR"))
    var out: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("An override every point shares (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Run N tasks at a time on this machine (the default, N = 1).", valueName: "N"))
    var local: Int?

    @Flag(help: "Submit the tasks as one Slurm job array (sbatch) and a merge job that depends on it.")
    var slurm = false

    @Option(help: "Slurm partition.") var partition: String?
    @Option(help: "Slurm time limit per task (e.g. 1:00:00).") var time: String?
    @Option(help: "Slurm memory per task (e.g. 4G).") var mem: String?
    @Option(name: .customLong("cpus-per-task"), help: "Slurm CPUs per task (BRPSH_THREADS in the task).")
    var cpusPerTask = 1
    @Option(help: "Slurm account.") var account: String?
    @Option(
        name: .customLong("sbatch"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "An extra #SBATCH line (repeatable), e.g. --sbatch '--qos=short'.",
            valueName: "option"))
    var sbatchLines: [String] = []

    @Flag(
        name: .customLong("dry-run"),
        help: "Print the batch scripts (with --slurm) or the plan, and submit or run nothing.")
    var dryRun = false

    @Flag(
        name: .customLong("print-commands"),
        help: "Print one shell command per task to run (for GNU parallel or xargs -P) and run nothing.")
    var printCommands = false

    @Flag(help: "With --slurm: wait until the jobs have ended, then report.")
    var wait = false

    @Option(
        name: .customLong("wait-timeout"),
        help: ArgumentHelp(
            "With --wait: give up waiting after this many seconds (exit 1; the jobs go on).",
            valueName: "seconds"))
    var waitTimeout: Double?

    @Flag(name: .customLong("retry-failed"), help: "Also rerun tasks whose script failed with an error.")
    var retryFailed = false

    @Flag(name: [.customShort("q"), .long], help: "No progress lines.")
    var quiet = false

    func validate() throws {
        if local != nil && slurm { throw ValidationError("--local and --slurm exclude each other") }
        if let n = local, n < 1 || n > 1024 {
            throw ValidationError("--local needs a number of processes from 1 to 1024, got \(n)")
        }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task needs at least 1") }
        if !slurm && (partition != nil || time != nil || mem != nil || account != nil || !sbatchLines.isEmpty) {
            throw ValidationError("--partition, --time, --mem, --account and --sbatch go with --slurm")
        }
        if wait && !slurm { throw ValidationError("--wait goes with --slurm (a local sweep always waits)") }
        if waitTimeout != nil && !wait { throw ValidationError("--wait-timeout goes with --wait") }
    }

    func run() throws { try SweepFailure.reporting(start) }

    func start() throws {
        let store = try SweepStart.prepare(
            script: script, over: over, overrides: overrides, out: out,
            preview: dryRun)
        let log: (String) -> Void = { line in if !quiet { Reporter.line(line) } }
        if printCommands {
            let exe = ChildProcess.quote(TaskRunner.executable)
            for t in store.toRun(retryFailed: retryFailed) {
                print("\(exe) sweep run-task \(ChildProcess.quote(store.dir)) \(t)")
            }
            return
        }
        if slurm {
            let backend = SlurmBackend(
                partition: partition, time: time, mem: mem, cpusPerTask: cpusPerTask, account: account,
                extra: sbatchLines)
            let queued = Set((Slurm.queued(SweepStatus.jobs(store)) ?? [:]).keys)
            let tasks = store.toRun(retryFailed: retryFailed, queued: queued)
            if dryRun {
                print(tasks.isEmpty ? "# nothing to submit" : backend.arrayScript(store, tasks: tasks))
                print(backend.mergeScript(store), terminator: "")
                return
            }
            guard !tasks.isEmpty else {
                log("sweep: nothing to submit (\(SweepStatus.counts(store)))")
                if wait { try SweepStatus.waitForSlurm(store, timeout: waitTimeout, log: log) }
                return try SweepStart.finish(store, log: log)
            }
            let (array, merge) = try backend.submit(store, tasks: tasks)
            log(
                "sweep: submitted job array \(array) (\(tasks.count) task\(tasks.count == 1 ? "" : "s")) and merge job \(merge); `brpsh sweep status \(out)` shows progress"
            )
            if wait {
                try SweepStatus.waitForSlurm(store, timeout: waitTimeout, log: log)
                try SweepStart.finish(store, log: log)
            }
            return
        }
        let tasks = store.toRun(retryFailed: retryFailed)
        if dryRun {
            print(
                "\(tasks.count) of \(store.spec.tasks.count) tasks would run: "
                    + tasks.map { store.spec.tasks[$0].name }.joined(separator: " "))
            return
        }
        if !LocalBackend.run(store, tasks: tasks, jobs: local ?? 1, environment: App.environment, log: log) {
            log("sweep: interrupted; \(SweepStatus.counts(store)). Run the same command to resume.")
            throw ExitCode(130)
        }
        try SweepStart.finish(store, log: log)
    }
}

enum SweepStart {
    /// The sweep's directory for this command: created, or the existing one when it is the same sweep.
    static func prepare(script: String, over: [String], overrides: [String], out: String, preview: Bool = false) throws
        -> SweepStore
    {
        guard let text = App.readScript(script) else { throw ExitCode(ExitStatus.noInput.rawValue) }
        let variables = try over.map(SweepVariable.init(parsing:))
        guard !variables.isEmpty else { throw ValidationError("give at least one --over name=values") }
        let fixed = try overrides.map(RunOptions.override).map { Assignment(name: $0.name, value: $0.text) }
        if let clash = fixed.first(where: { f in variables.contains { $0.name == f.name } }) {
            throw ValidationError("\(clash.name) is both --set and --over")
        }
        let points = try SweepGrid.points(variables)
        // The script must prepare as `brpsh run` prepares it (the Pipeline: commands such as `load latbench`, the
        // static check) and assign every swept name (seed may instead be brpsh's default seed).
        let program: Program
        switch Pipeline(interpreter: App.makeInterpreter(App.Settings(), interactive: false)).prepare(
            SourceFile(name: script, text: text))
        {
        case .ready(let p): program = p
        case .failed(let failure): throw ValidationError("\(script) does not run: \(failure.description)")
        case .incomplete: throw ValidationError("\(script) ends inside an open bracket or block")
        }
        let assigned = Set(Overrides.assignedNames(program))
        var seedBy = "set"
        for v in variables + fixed.map({ SweepVariable(name: $0.name, values: [$0.value]) })
        where !assigned.contains(v.name) {
            if v.name == SweepVariable.replicate {
                guard v.values.allSatisfy({ Int($0) != nil }) else {
                    throw ValidationError(
                        "\(script) assigns no 'seed', so seed values go to --seed and must be integers")
                }
                seedBy = "option"
                continue
            }
            throw ValidationError("\(script) has no top-level assignment '\(v.name) = ...' to set")
        }
        let data = SweepIdentity.data(environment: App.environment)
        let spec = SweepSpec(
            script: Paths.canonical(script), scriptSHA256: SweepIdentity.sha256(text),
            brpsh: SweepIdentity.brpsh,
            dataDirectory: data.directory, data: data.fingerprint, fixed: fixed, variables: variables, seedBy: seedBy,
            tasks: points.enumerated().map {
                SweepSpec.Task(name: SweepGrid.taskName(index: $0.offset, $0.element), assignments: $0.element)
            })
        return try SweepStore.create(out, spec: spec, preview: preview)
    }

    /// After the tasks ran: merge when all are done, else say what failed and exit 1.
    static func finish(_ store: SweepStore, log: (String) -> Void) throws {
        let failed = store.spec.tasks.indices.filter { store.state($0).state != .done }
        guard failed.isEmpty else {
            for t in failed { log(SweepStatus.describe(store, t)) }
            log(
                "sweep: \(SweepStatus.counts(store)); rerun the command (with --retry-failed for failed scripts) or `brpsh merge --partial \(store.dir)`"
            )
            throw ExitCode(1)
        }
        let summary = try SweepMerge.run(store, partial: false)
        print(summary.text, terminator: "")
        for w in summary.warnings { log("sweep: warning: " + w) }
        log("sweep: merged \(store.spec.tasks.count) tasks into \(store.path("merged"))")
    }
}

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The state of every task of a sweep, with Slurm's view of its jobs.")

    @ArgumentParser.Argument(help: ArgumentHelp("The sweep's directory.", valueName: "DIR"))
    var dir: String

    func run() throws {
        try SweepFailure.reporting {
            let store = try SweepStore.open(dir)
            print(SweepStatus.report(store), terminator: "")
        }
    }
}

/// Runs one task; what every backend starts (and what --print-commands prints).
struct SweepTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-task", abstract: "Run one task of a sweep (what the backends start).", shouldDisplay: false)

    @ArgumentParser.Argument var dir: String
    @ArgumentParser.Argument var task: Int

    func run() throws {
        try SweepFailure.reporting {
            let outcome = try TaskRunner.run(
                dir: dir, task: task, environment: App.environment, log: { Reporter.error($0) })
            if outcome != .done { throw ExitCode(outcome.rawValue) }
        }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract:
            "Merge a sweep's results: mean, std, n, min and max of every number per group, figures with error bands.")

    @ArgumentParser.Argument(help: ArgumentHelp("The sweep's directory.", valueName: "DIR"))
    var dir: String

    @Flag(help: "Merge the tasks that are done even if others are not (the missing ones are listed).")
    var partial = false

    func run() throws {
        try SweepFailure.reporting {
            let store = try SweepStore.open(dir)
            let summary = try SweepMerge.run(store, partial: partial)
            print(summary.text, terminator: "")
            for w in summary.warnings { Reporter.warning(w, command: "merge") }
            if !summary.missing.isEmpty { print("missing: " + summary.missing.joined(separator: " ")) }
            print("merged into \(store.path("merged"))")
        }
    }
}

/// A sweep, status or merge that cannot go on: the message on stderr and exit status 1 (usage errors found before
/// anything runs keep swift-argument-parser's usage text and status 64).
enum SweepFailure {
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ValidationError {
            Reporter.error(e.message)
            throw ExitCode(1)
        } catch {
            guard let message = Reporter.message(of: error) else { throw error }
            Reporter.error(message)
            throw ExitCode(1)
        }
    }
}
