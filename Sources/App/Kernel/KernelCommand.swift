import ArgumentParser
import Foundation
import Infra
import Kernel
import NASLib

/// `brpsh kernel -f CONNECTION_FILE` (Jupyter starts this) and `brpsh kernel install`.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract:
            "The Jupyter kernel: 'brpsh kernel install' writes the kernelspec; Jupyter runs 'brpsh kernel -f FILE'.",
        subcommands: [Start.self, Install.self],
        defaultSubcommand: Start.self)

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Serve the Jupyter messaging protocol with the ports and key of a connection file.")

        @Option(
            name: .customShort("f"), help: ArgumentHelp("The connection file Jupyter writes.", valueName: "file"),
            completion: .file(extensions: ["json"]))
        var connectionFile: String

        func run() throws {
            let connection: KernelServer.Connection
            do {
                connection = try KernelServer.Connection(file: connectionFile)
            } catch {
                throw ValidationError("\(error)")
            }
            let status = App.start {
                let log = { (text: String) in Reporter.error(text, command: "kernel") }
                do {
                    let kernel = try KernelServer(connection, language: BrpshLanguage(), log: log)
                    kernel.run()
                    return kernel.lostFrontend ? .runtime : .ok
                } catch {
                    log("\(error)")
                    return .cannotCreate
                }
            }
            try App.finish(status)
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Write the brpsh kernelspec (kernels/brpsh/kernel.json) where Jupyter finds it.")

        @Flag(help: "For this user (the default): $JUPYTER_DATA_DIR, else ~/.local/share/jupyter.") var user = false
        @Flag(name: .customLong("sys-prefix"), help: "Into python3's sys.prefix (a virtual environment or conda env).")
        var sysPrefix = false
        @Option(help: ArgumentHelp("Into DIR/share/jupyter.", valueName: "DIR")) var prefix: String?

        func validate() throws {
            if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give one of --user, --sys-prefix, --prefix DIR")
            }
        }

        func run() throws {
            let base: String
            if let p = prefix {
                base = (p as NSString).appendingPathComponent("share/jupyter")
            } else if sysPrefix {
                base = (try Install.pythonPrefix() as NSString).appendingPathComponent("share/jupyter")
            } else {
                let env = App.environment
                base =
                    env["JUPYTER_DATA_DIR"]
                    ?? ((env["XDG_DATA_HOME"] ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share"))
                    as NSString)
                    .appendingPathComponent("jupyter")
            }
            let dir = (base as NSString).appendingPathComponent("kernels/brpsh")
            guard let exe = DataLocation.currentExecutable() else {
                throw ValidationError("cannot tell where brpsh is")
            }
            let spec: [String: Any] = [
                "argv": [exe, "kernel", "-f", "{connection_file}"],
                "display_name": "brpsh",
                "language": "brpsh",
                "interrupt_mode": "message",
                "metadata": ["debugger": false],
            ]
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let data = try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys])
                try DurableFile.write(data, to: (dir as NSString).appendingPathComponent("kernel.json"))
            } catch {
                Reporter.error(
                    "cannot write the kernelspec into \(dir): \(Reporter.message(of: error) ?? error.localizedDescription)"
                )
                throw ExitCode(73)
            }
            print("installed the brpsh kernelspec in \(dir)")
        }

        static func pythonPrefix() throws -> String {
            let r = try ChildProcess.run(["python3", "-c", "import sys; print(sys.prefix)"], timeout: 60)
            let s = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard r.exit == .exited(0), !s.isEmpty else {
                throw ValidationError("--sys-prefix: python3 did not say its sys.prefix")
            }
            return s
        }
    }
}
