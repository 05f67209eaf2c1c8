import Foundation
import Testing

@testable import Infra

#if canImport(Glibc)
    import Glibc
#endif

/// The one way brpsh starts programs: output captured, exit statuses and signals told apart, a program that is not
/// installed named, and a kill that reaches everything the child started (bounded stand-ins: sleeps, no fork loops).
@Suite struct ChildProcessTests {
    @Test func runCapturesBothStreamsAndTheStatus() throws {
        let r = try ChildProcess.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(r.exit == .exited(3) && r.exit.code == 3)
        #expect(r.stdout == "out\n" && r.stderr == "err\n")
    }

    @Test func largeOutputOnBothStreamsDoesNotStall() throws {
        // More than a pipe holds on each stream: files, not pipes, so neither can block the child.
        let r = try ChildProcess.run(
            [
                "/bin/sh", "-c",
                "i=0; while [ $i -lt 20000 ]; do echo xxxxxxxxxx; echo yyyyyyyyyy >&2; i=$((i+1)); done",
            ],
            timeout: 60)
        #expect(r.exit == .exited(0))
        #expect(r.stdout.utf8.count == 220_000 && r.stderr.utf8.count == 220_000)
    }

    @Test func programsAreFoundInPathAndAMissingOneIsNamed() throws {
        #expect(try ChildProcess.run(["true"]).exit == .exited(0))
        let e = try #require(throws: InfraError.self) { _ = try ChildProcess.run(["brpsh-no-such-program"]) }
        #expect(e.message == "brpsh-no-such-program is not installed (not found in PATH)")
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let r = try ChildProcess.run(["/usr/bin/env"], environment: ["BRPSH_ONLY": "1", "PATH": "/usr/bin:/bin"])
        #expect(r.stdout.split(separator: "\n").sorted() == ["BRPSH_ONLY=1", "PATH=/usr/bin:/bin"])
    }

    @Test func aSignalledChildSaysWhichSignal() throws {
        let r = try ChildProcess.run(["/bin/sh", "-c", "kill -TERM $$"])
        #expect(r.exit == .signalled(SIGTERM) && r.exit.code == 143)
    }

    @Test func aTimeoutKillsAndSaysSo() throws {
        let start = Date()
        let e = try #require(throws: InfraError.self) { _ = try ChildProcess.run(["sleep", "30"], timeout: 0.3) }
        #expect(e.message.contains("did not finish within 0.3 s"))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func theChildHasAGroupOfItsOwnAndAKillReachesItAll() throws {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        // Two background sleeps and a foreground one: grandchildren of this process.
        let child = try ChildProcess.shell(
            "sleep 30 & sleep 30 & sleep 30", streams: .init(stdin: null, stdout: null, stderr: null))
        #expect(getpgid(child.pid) == child.pid)
        usleep(100_000)
        #expect(ChildProcess.hasLivingMembers(group: child.pid))
        #expect(child.poll() == nil)
        child.kill()
        #expect(!ChildProcess.hasLivingMembers(group: child.pid))
        #expect(child.poll() == .signalled(SIGKILL) && child.wait() == .signalled(SIGKILL))
    }

    @Test func aChildCanBeSignalledWhileAnotherThreadWaitsForIt() throws {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let child = try ChildProcess.start(["sleep", "30"], streams: .init(stdin: null, stdout: null, stderr: null))
        let start = Date()
        let waiter = Thread { child.wait() }
        waiter.start()
        usleep(200_000)  // the waiter is blocked in wait()
        child.signal(SIGTERM)
        #expect(child.wait() == .signalled(SIGTERM))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func waitingStopsAtACancelCheckWithTheChildStillRunning() throws {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let child = try ChildProcess.start(["sleep", "30"], streams: .init(stdin: null, stdout: null, stderr: null))
        var checks = 0
        let ended = child.wait(
            until: nil,
            cancelled: {
                checks += 1
                return checks > 2
            })
        #expect(ended == nil && child.poll() == nil)
        child.kill()
        #expect(child.poll() != nil)
    }

    @Test func onlyTheThreeGivenDescriptorsAreInherited() throws {
        let leaked = open("/dev/null", O_RDONLY)  // not close-on-exec: a descriptor brpsh would leak
        defer { close(leaked) }
        let r = try ChildProcess.run(["/bin/sh", "-c", "ls /proc/self/fd"])
        let fds = r.stdout.split(separator: "\n").compactMap { Int($0) }
        #expect(!fds.contains(Int(leaked)))
    }

    @Test func quotingSurvivesTheShell() throws {
        for word in ["plain", "two words", "it's", "|nor_conv_3x3~0|+|none~0|skip_connect~1|", "$HOME", ""] {
            let r = try ChildProcess.run(["/bin/sh", "-c", "printf %s " + ChildProcess.quote(word)])
            #expect(r.stdout == word)
        }
        #expect(ChildProcess.quote("/a/b-c_d.e") == "/a/b-c_d.e")
    }
}

/// The Slurm client's parts that need no cluster (the cluster itself is driven by the sweep and evaluation tests).
@Suite struct SlurmClientTests {
    @Test func jobIDsAreReadFromSbatchsParsableOutput() {
        #expect(Slurm.jobID("1234\n") == "1234")
        #expect(Slurm.jobID("1234;cluster\n") == "1234")
        #expect(Slurm.jobID("sbatch: error: Batch job submission failed\n") == nil)
        #expect(Slurm.jobID("") == nil)
    }

    @Test func aWaitJobRunsTheCommandWithItsLimitsAndOptions() {
        let args = Slurm.waitJob(
            name: "brpsh-eval-3", command: "python3 eval.py 'x y'", output: "/d/o", error: "/d/e", minutes: 0,
            options: ["--partition=gpu"])
        #expect(args.prefix(3) == ["sbatch", "--wait", "--parsable"])
        #expect(args.contains("--time=1") && args.contains("--output=/d/o") && args.contains("--error=/d/e"))
        #expect(args.suffix(2) == ["--partition=gpu", "--wrap=python3 eval.py 'x y'"])
    }
}
