import Foundation
import Testing

/// The Jupyter kernel, driven by Jupyter's own Python client: `Tests/Kernel/test_kernel.py` runs the project's
/// kernel conformance tests (jupyter_kernel_test), values, HTML tables, inline SVG, errors with positions,
/// completion, inspection, is_complete, interrupting a long cell, a restart, and a notebook executed headless with
/// nbclient. The kernelspec is installed into a scratch prefix first (`brpsh kernel install --prefix`). Skipped,
/// with the reason, when the Python packages are missing (scripts/deps test installs them).
@Suite(.serialized) struct KernelTests {
    static let pythonProblem = missingPython([
        "jupyter_client", "jupyter_kernel_test", "nbclient", "nbformat", "papermill",
    ])

    /// Runs a Python unittest file from the repository root with `env`; returns its exit status and its output.
    static func unittest(_ file: String, env: [String: String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-m", "unittest", "-v", file]
        p.currentDirectoryURL = root
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, log)
    }

    /// Why Python tests cannot run (python3 or one of `modules` missing), or nil; the reason a skipped test reports.
    static func missingPython(_ modules: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import " + modules.joined(separator: ", ")]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "python3 is not installed" }
        p.waitUntilExit()
        return p.terminationStatus == 0
            ? nil
            : "Python's \(modules.joined(separator: ", ")) (one of them) is missing (scripts/deps test installs them)"
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(.enabled(if: pythonProblem == nil, Comment(rawValue: pythonProblem ?? "")))
    func jupyterClientDrivesTheKernel() throws {
        let prefix = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let (installed, _, installErr) = try ArtifactTests.brpsh(["kernel", "install", "--prefix", prefix])
        #expect(installed == 0, "\(installErr)")
        var env = ProcessInfo.processInfo.environment
        env["JUPYTER_PATH"] = prefix + "/share/jupyter"
        env["JUPYTER_RUNTIME_DIR"] = prefix + "/runtime"
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        env["BRPSH_CACHE"] = prefix + "/cache"  // never the user's cache
        let (status, log) = try Self.unittest("Tests/Kernel/test_kernel.py", env: env)
        #expect(status == 0, "\(log)")
        for name in [
            "test_example_notebook_runs_headless", "test_interrupt_a_long_cell", "test_replayed_message_runs_once",
            "test_cursor_positions_out_of_range", "test_repl_commands_in_cells", "test_one_execute_result_per_cell",
            "test_figure_text_is_the_terminal_chart", "test_exit_asks_the_frontend_to_leave", "test_display_data",
            "test_parameters_of_every_kind",
        ] {
            #expect(log.contains(name), "\(name) did not run: \(log)")  // exit 0: every test that ran passed
        }
    }

    /// A kernel given a bad connection file says so and exits non-zero (never hangs).
    @Test func badConnectionFile() throws {
        let dir = ArtifactTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (missing, _, e1) = try ArtifactTests.brpsh(["kernel", "-f", dir + "/none.json"])
        #expect(missing == 64 && e1.contains("cannot read the connection file"), "\(e1)")
        try "{\"ip\": \"127.0.0.1\"}".write(toFile: dir + "/c.json", atomically: true, encoding: .utf8)
        let (invalid, _, e2) = try ArtifactTests.brpsh(["kernel", "-f", dir + "/c.json"])
        #expect(invalid == 64 && e2.contains("no valid shell_port"), "\(e2)")
    }
}
