import Foundation

/// The one Slurm client: sbatch, squeue, sacct and scancel run as child processes. Sweeps submit job arrays with it;
/// search evaluations run each attempt as an `sbatch --wait` job built by `waitJob`.
public enum Slurm {
    /// Runs one of Slurm's commands to its end (a command that is not installed says so).
    public static func command(_ name: String, _ args: [String]) throws -> ChildProcess.Output {
        do {
            return try ChildProcess.run([name] + args, timeout: 120)
        } catch let e as InfraError where e.message.contains("not installed") {
            throw InfraError("\(name) is not installed (Slurm's commands are needed here)")
        }
    }

    /// Submits a batch script (`sbatch --parsable ARGS`) and returns the job id.
    public static func sbatch(_ args: [String]) throws -> String {
        let r = try command("sbatch", ["--parsable"] + args)
        guard r.exit == .exited(0), let id = jobID(r.stdout) else {
            throw InfraError(
                "sbatch failed (exit status \(r.exit.code)): \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        return id
    }

    /// The job id in what `sbatch --parsable` printed (`ID` or `ID;CLUSTER` on its first line), nil when it is not
    /// one.
    public static func jobID(_ printed: String) -> String? {
        let first = printed.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let id = first.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return !id.isEmpty && id.allSatisfy(\.isNumber) ? id : nil
    }

    /// The job ids squeue knows (pending or running), as `ARRAY_TASK` for array tasks, with their state; nil when
    /// squeue cannot say.
    public static func queued(_ jobs: [String]) -> [String: String]? {
        guard !jobs.isEmpty else { return [:] }
        guard let r = try? command("squeue", ["-h", "-r", "-j", jobs.joined(separator: ","), "-o", "%i %T"]),
            r.exit == .exited(0) || r.stderr.contains("Invalid job id")
        else { return nil }
        var out: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2 { out[String(f[0])] = String(f[1]) }
        }
        return out
    }

    /// sacct's record of jobs (state, exit code, elapsed), or its error when accounting is not set up.
    public static func accounting(_ jobs: [String]) -> ChildProcess.Output? {
        guard !jobs.isEmpty else { return nil }
        return try? command(
            "sacct", ["-n", "-P", "-j", jobs.joined(separator: ","), "-o", "JobID,State,ExitCode,Elapsed"])
    }

    /// Cancels jobs (scancel); errors are ignored (the job may have ended meanwhile).
    public static func cancel(_ jobs: [String]) {
        guard !jobs.isEmpty else { return }
        _ = try? command("scancel", jobs)
    }

    /// The arguments of an `sbatch --wait` job that runs `command` through the shell: its standard streams to
    /// `output` and `error`, `minutes` as its time limit, `options` as given (e.g. `--partition=gpu`), in the current
    /// directory. What sbatch prints (the job id, for `cancel`) goes wherever the caller sends its output.
    public static func waitJob(
        name: String, command: String, output: String, error: String, minutes: Int?, options: [String]
    ) -> [String] {
        var args = [
            "sbatch", "--wait", "--parsable", "--job-name=\(name)", "--output=\(output)", "--error=\(error)",
            "--chdir=\(FileManager.default.currentDirectoryPath)",
        ]
        if let m = minutes { args.append("--time=\(max(1, m))") }
        return args + options + ["--wrap=\(command)"]
    }
}
