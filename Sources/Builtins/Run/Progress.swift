import Foundation
import Interpreter

/// A progress line for long builtins, checking for Ctrl-C at every update. On a terminal the line is rewritten in
/// place (5 times a second at most); off a terminal (a log, a batch job) a plain line goes to standard error every
/// 10 seconds (BRPSH_PROGRESS_SECONDS sets another interval), so long work is never silent. `--quiet` turns both off.
struct Progress {
    let call: BuiltinCall
    let label: String
    let total: Int
    let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false

    /// Nanoseconds between plain progress lines off a terminal: 10 s, or the session environment's
    /// BRPSH_PROGRESS_SECONDS (read once, when the work starts).
    let logInterval: UInt64

    init(_ call: BuiltinCall, _ label: String, total: Int) {
        self.call = call
        self.label = label
        self.total = total
        if let s = RunContext.of(call.interpreter).environment["BRPSH_PROGRESS_SECONDS"].flatMap(Double.init), s >= 0,
            s < 1e6
        {
            logInterval = UInt64(s * 1e9)
        } else {
            logInterval = 10_000_000_000
        }
    }

    var quiet: Bool { RunContext.of(call.interpreter).quiet }
    var visible: Bool { call.output.isInteractive && !quiet }
    private var logged = false
    /// Reports `done` of `total` with a detail text; throws when the user pressed Ctrl-C.
    mutating func update(_ done: Int, _ detail: String) throws {
        try call.checkCancelled()
        guard !quiet else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        if visible {
            guard now - lastDraw > 200_000_000 || done == total else { return }
            lastDraw = now
            call.output.write("\r\u{1B}[K" + line(done, detail, now))
            drawn = true
        } else if now - max(lastDraw, start) >= logInterval {
            lastDraw = now
            logged = true
            call.output.warn(line(done, detail, now) + "\n")
        }
    }

    func line(_ done: Int, _ detail: String, _ now: UInt64) -> String {
        let elapsed = Double(now - start) / 1e9
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = done > 0 ? Double(total - done) / rate : 0
        return String(format: "%@ %d/%d  %@  %.1f/s  ETA %@", label, done, total, detail, rate, Progress.duration(eta))
    }

    /// Removes the line (on a terminal); off one, says the work is done if progress was logged.
    func finish() {
        if drawn { call.output.write("\r\u{1B}[K") }
        if logged {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            call.output.warn("\(label) done in \(Progress.duration(elapsed))\n")
        }
    }

    static func duration(_ s: Double) -> String {
        s < 60
            ? String(format: "%.0fs", s)
            : s < 3600
                ? String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
                : String(format: "%dh%02dm", Int(s) / 3600, Int(s) % 3600 / 60)
    }
}
