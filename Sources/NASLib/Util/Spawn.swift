import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starting commands brpsh does not wait on through Foundation's Process (which learns of a child's exit through a
/// descriptor the child's own children may inherit and keep open): `/bin/sh -c command` in a process group of its
/// own (so a kill reaches whatever it started), with no blocked signals and default handlers, and the given
/// descriptors as its standard input, output and error.
enum Spawn {
    static func shell(_ command: String, stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        closeOnExec()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
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
        let words: [String] = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        argv.append(nil)
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, environ)
        guard rc == 0 else { throw NASLibError("\"\(command)\" cannot start (\(String(cString: strerror(rc))))") }
        return child
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

    /// Kills a spawned command's process group and reaps it. One SIGKILL can miss a child forked while the group
    /// is being killed (a command that forks in a loop), so the group is killed again until it is empty (at most
    /// `patience` seconds; members left as zombies are reaped by init once their parents are gone).
    static func kill(_ pid: pid_t, patience: Double = 10) {
        _ = Glibc.kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let deadline = Date().addingTimeInterval(patience)
        while hasLivingMembers(group: pid), Date() < deadline {
            _ = Glibc.kill(-pid, SIGKILL)
            usleep(2_000)
        }
    }

    /// Whether a process group has a member that is not a zombie (`/proc/<pid>/stat`: state, then the group).
    static func hasLivingMembers(group: pid_t) -> Bool {
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
    static func processLimit(_ n: Int) -> String {
        "ulimit -p \(n) 2>/dev/null || ulimit -u \(n) 2>/dev/null || { echo 'brpsh: cannot set the process limit' >&2; exit 126; }\n"
    }

    /// Single-quoted for /bin/sh.
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
