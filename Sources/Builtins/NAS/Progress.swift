import Foundation
import Interpreter

/// A progress line for long builtins: shown (and rewritten in place) only when a person watches
/// the output on a terminal; checks for Ctrl-C at every update.
struct Progress {
    let call: BuiltinCall
    let label: String
    let total: Int
    let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(_ call: BuiltinCall, _ label: String, total: Int) {
        self.call = call
        self.label = label
        self.total = total
    }

    var visible: Bool { call.output.isInteractive && !RunContext.of(call.interpreter).quiet }

    /// Reports `done` of `total` with a detail text; throws when the user pressed Ctrl-C.
    mutating func update(_ done: Int, _ detail: String) throws {
        try call.checkCancelled()
        guard visible else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 200_000_000 || done == total else { return }
        lastDraw = now
        let elapsed = Double(now - start) / 1e9
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = done > 0 ? Double(total - done) / rate : 0
        let line = String(format: "%@ %d/%d  %@  %.1f/s  ETA %@", label, done, total, detail, rate, Progress.duration(eta))
        call.output.write("\r\u{1B}[K" + line)
        drawn = true
    }

    /// Removes the line.
    func finish() {
        if drawn { call.output.write("\r\u{1B}[K") }
    }

    static func duration(_ s: Double) -> String {
        s < 60 ? String(format: "%.0fs", s) : s < 3600 ? String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
            : String(format: "%dh%02dm", Int(s) / 3600, Int(s) % 3600 / 60)
    }
}
