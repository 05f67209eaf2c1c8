import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one way brpsh starts another program: `posix_spawn`, never Foundation's `Process` (which learns of a child's
/// exit through a descriptor the child's own children may inherit and keep open). Every child runs in a process
/// group of its own (so a kill reaches whatever it started, and a Ctrl-C at the terminal reaches brpsh, which
/// decides what to pass on), with no blocked signals and default handlers, and only the three descriptors it is
/// given as its standard input, output and error.
public final class ChildProcess: @unchecked Sendable {  // Sendable, unchecked: `ended` is guarded by `lock`
    public let pid: pid_t
    private let lock = NSLock()
    private var ended: Exit?

    /// How a child ended.
    public enum Exit: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)

        /// The shell's way of saying it in one number: the exit status, or 128 + the signal.
        public var code: Int32 {
            switch self {
            case .exited(let s): return s
            case .signalled(let sig): return 128 + sig
            }
        }

        init(waitStatus status: Int32) {
            self = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
        }
    }

    /// Where a child's standard streams go: descriptors the caller owns (the child gets copies).
    public struct Streams {
        public var stdin: Int32
        public var stdout: Int32
        public var stderr: Int32

        public init(stdin: Int32, stdout: Int32, stderr: Int32) {
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `arguments[0]` (looked up in PATH when it has no slash) with the rest as its arguments. `environment`
    /// nil: this process's. Throws when it cannot start (a program that is not installed says so).
    public static func start(_ arguments: [String], environment: [String: String]? = nil, streams: Streams) throws
        -> ChildProcess
    {
        precondition(!arguments.isEmpty, "a child process needs a program")
        closeOnExec()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, streams.stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, streams.stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, streams.stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for a in argv { free(a) } }
        var envp: [UnsafeMutablePointer<CChar>?] =
            environment.map { env in env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } } ?? []
        envp.append(nil)
        defer { for e in envp { free(e) } }
        var child: pid_t = 0
        let rc =
            environment == nil
            ? posix_spawnp(&child, arguments[0], &actions, &attributes, argv, environ)
            : posix_spawnp(&child, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else {
            if rc == ENOENT { throw InfraError("\(arguments[0]) is not installed (not found in PATH)") }
            throw InfraError("\(arguments[0]) cannot start (\(String(cString: strerror(rc))))")
        }
        return ChildProcess(pid: child)
    }

    /// Starts `/bin/sh -c command`.
    public static func shell(_ command: String, environment: [String: String]? = nil, streams: Streams) throws
        -> ChildProcess
    {
        do {
            return try start(["/bin/sh", "-c", command], environment: environment, streams: streams)
        } catch let e as InfraError {
            throw InfraError("\"\(command)\" cannot start (\(e.message))")
        }
    }

    /// How it ended, without waiting; nil while it runs.
    public func poll() -> Exit? {
        lock.withLock {
            if let ended { return ended }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { ended = Exit(waitStatus: status) }
            return ended
        }
    }

    /// Waits for the child to end. The lock is not held while it waits (the child is waited for without being
    /// reaped, then reaped under the lock), so another thread can still signal it meanwhile: a task runner blocked
    /// here passes a SIGTERM on to its child.
    @discardableResult
    public func wait() -> Exit {
        if let e = lock.withLock({ ended }) { return e }
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        return lock.withLock {
            if let ended { return ended }
            var status: Int32 = 0
            var r: pid_t = -1
            repeat { r = waitpid(pid, &status, 0) } while r < 0 && errno == EINTR
            // Reaped elsewhere (it should not be): ended as killed rather than a hang.
            let exit = r == pid ? Exit(waitStatus: status) : .signalled(SIGKILL)
            ended = exit
            return exit
        }
    }

    /// Waits for the child to end, checking the deadline and the cancel check every 20 ms; nil when either fires
    /// first (the child still runs: `kill()` it).
    public func wait(until deadline: Date?, cancelled: (() -> Bool)?) -> Exit? {
        while true {
            if let e = poll() { return e }
            if cancelled?() == true { return nil }
            if let d = deadline, Date() > d { return nil }
            usleep(20_000)
        }
    }

    /// Sends a signal to the child's process group (the child and whatever it started).
    public func signal(_ sig: Int32) {
        // Not reaped yet (a zombie keeps its pid), so the group is still this child's.
        guard lock.withLock({ ended }) == nil else { return }
        _ = Glibc.kill(-pid, sig)
    }

    /// Kills the child's process group and reaps the child. One SIGKILL can miss a process forked while the group is
    /// being killed (a command that forks in a loop), so the group is killed again until it is empty (at most
    /// `patience` seconds; members left as zombies are reaped by init once their parents are gone).
    public func kill(patience: Double = 10) {
        _ = Glibc.kill(-pid, SIGKILL)
        wait()
        let deadline = Date().addingTimeInterval(patience)
        while Self.hasLivingMembers(group: pid), Date() < deadline {
            _ = Glibc.kill(-pid, SIGKILL)
            usleep(2_000)
        }
    }

    /// What a command run to its end printed.
    public struct Output: Sendable {
        public let exit: Exit
        public let stdout: String
        public let stderr: String
    }

    /// Runs a program to its end with no input and returns what it printed (both streams go to unlinked temporary
    /// files, so neither can fill a pipe and stall it). Past `timeout` seconds it is killed and this throws.
    public static func run(_ arguments: [String], environment: [String: String]? = nil, timeout: Double? = nil)
        throws -> Output
    {
        let devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let out = try unlinkedFile()
        let err = try unlinkedFile()
        defer { for fd in [devnull, out, err] where fd >= 0 { close(fd) } }
        let child = try start(
            arguments, environment: environment, streams: Streams(stdin: devnull, stdout: out, stderr: err))
        guard let exit = child.wait(until: timeout.map { Date().addingTimeInterval($0) }, cancelled: nil) else {
            child.kill()
            throw InfraError("\(arguments[0]) did not finish within \(String(format: "%g", timeout ?? 0)) s")
        }
        return Output(exit: exit, stdout: readAll(out), stderr: readAll(err))
    }

    private static func unlinkedFile() throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/brpsh-child-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw InfraError("cannot create a temporary file (\(String(cString: strerror(errno))))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    private static func readAll(_ fd: Int32) -> String {
        lseek(fd, 0, SEEK_SET)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Marks every open descriptor above 2 close-on-exec, so a command started here inherits only the three it is
    /// given (not, say, a socket of whatever started brpsh, which a long training would otherwise hold open). The
    /// descriptors brpsh hands a child go through dup2 in the spawn actions, which clears the flag on the copy.
    static func closeOnExec() {
        guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in fds {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Whether a process group has a member that is not a zombie (`/proc/<pid>/stat`: state, then the group).
    public static func hasLivingMembers(group: pid_t) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return Glibc.kill(-group, 0) == 0  // no /proc: any member, zombies included
        }
        for name in entries where name.first?.isNumber == true {
            guard let data = FileManager.default.contents(atPath: "/proc/\(name)/stat"),
                let close = data.lastIndex(of: UInt8(ascii: ")"))
            else { continue }
            // After "pid (comm) ": state ppid pgrp ...
            let fields = data[(close + 1)...].split(separator: UInt8(ascii: " "))
            guard fields.count > 2, let pgrp = Int32(String(decoding: fields[2], as: UTF8.self)) else { continue }
            if pgrp == group, fields[0].first != UInt8(ascii: "Z") { return true }
        }
        return false
    }

    /// A shell prefix that limits the processes of the command that follows (RLIMIT_NPROC: dash's `ulimit -p`,
    /// bash's `ulimit -u`); the command does not run when the limit cannot be set.
    public static func processLimit(_ n: Int) -> String {
        "ulimit -p \(n) 2>/dev/null || ulimit -u \(n) 2>/dev/null || { echo 'brpsh: cannot set the process limit' >&2; exit 126; }\n"
    }

    /// Quoted for /bin/sh: words of safe characters as they are, anything else in single quotes.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=,:@".contains($0)) }) {
            return s
        }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
