import Builtins
import CFuzzerDriver
import Foundation
import Interpreter
import Lang
import Synchronization

/// Small programs through the whole pipeline (parse, static check, run) with the core builtins (no files, no
/// data): errors are fine, traps, hangs and crashes are not. A watchdog interrupts a program after 200 ms, so
/// an endless loop is an interrupted run, not a fuzzer timeout.
let started = Atomic<UInt64>(0)
let watchdog: Void = {
    let t = Thread {
        while true {
            usleep(20_000)
            let s = started.load(ordering: .relaxed)
            if s != 0 && DispatchTime.now().uptimeNanoseconds - s > 200_000_000 { Interrupt.request() }
        }
    }
    t.start()
}()

final class Discard: OutputSink {
    func write(_ s: String) {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInterpreter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    _ = watchdog
    guard size <= 4096 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    // Like the command-line tool, the program runs on a thread with a 512 MiB stack (the call-depth limit is
    // sized for it).
    let done = DispatchSemaphore(value: 0)
    let worker = Thread {
        let interpreter = Builtins.makeInterpreter(
            output: Discard(), settings: SessionSettings(environment: [:]), builtins: Builtins.core())
        Interrupt.clear()
        started.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        if let failure = Pipeline(interpreter: interpreter).run(SourceFile(name: "fuzz", text: text)) {
            _ = failure.description
        }
        started.store(0, ordering: .relaxed)
        Interrupt.clear()
        done.signal()
    }
    worker.stackSize = 512 << 20
    worker.start()
    done.wait()
    return 0
}

@main
enum Entry {
    static func main() { exit(brpsh_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv)) }
}
