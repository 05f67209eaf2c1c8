import Foundation

/// One evaluation of a driven search.
public struct SearchStep<Model> {
    public enum Source: String, Sendable {
        /// Evaluated in this run.
        case evaluated
        /// Answered from the journal of an earlier run.
        case journal
        /// The model was proposed before in this search: answered with its first result (it still uses budget, as a
        /// repeat does in a benchmark run).
        case repeated = "repeat"
    }
    public let id: Int
    public let model: Model
    public let outcome: SearchJournal.Outcome
    public let source: Source
    public var resumed: Bool { source == .journal }
}

/// Runs a search session (BRP-NAS or a baseline) to the end with an evaluator that is not a table lookup: each batch the session proposes
/// is recorded in the journal, the models without a recorded outcome are evaluated (`parallel` at a time), each
/// outcome is journaled as it arrives, and then the batch is told to the session in proposal order (so the search's
/// history does not depend on which evaluation finished first). A resumed search replays from the seed and answers
/// every journaled model from the journal: it never evaluates a finished model again and ends exactly as an
/// uninterrupted run.
public struct SearchDriver<Session: AskTellSession> {
    public typealias Model = Session.Model
    public typealias Step = SearchStep<Model>

    public let session: Session
    /// The model as the evaluator and the journal see it (`{arch}`).
    public let key: (Model) -> String
    public let journal: SearchJournal?
    public let parallel: Int
    /// Where the search is, for progress lines.
    public let stage: () -> String

    public init(
        session: Session, key: @escaping (Model) -> String, journal: SearchJournal?, parallel: Int,
        stage: @escaping () -> String = { "" }
    ) {
        self.session = session
        self.key = key
        self.journal = journal
        self.parallel = max(1, parallel)
        self.stage = stage
    }

    /// `evaluate(model, id, cancelled)`: the outcome, or nil when cancelled. `inline`: evaluate one at a time on this
    /// thread (a brpsh function, which runs on the interpreter's thread); otherwise on `parallel` worker threads. `wait(done, detail)` is called on this
    /// thread at least every 0.2 s while evaluations run; it throws to stop (Ctrl-C): running evaluations are
    /// cancelled, finished ones are already journaled, and the error is rethrown.
    public func run(
        inline: Bool, evaluate: @escaping (Model, Int, @escaping () -> Bool) throws -> SearchJournal.Outcome?,
        wait: (Int, String) throws -> Void
    ) throws -> [Step] {
        var steps: [Step] = []
        var proposed = 0
        // What earlier runs journaled, and what this run has answered (a model is evaluated once per search).
        let journaled = Set(journal?.outcomes.keys.map { $0 } ?? [])
        var answered: [String: SearchJournal.Outcome] = [:]
        while !session.finished {
            let detail = stage()
            let batch = session.ask(Int.max)
            guard !batch.isEmpty else {
                throw NASLibError("the search proposed no model before its budget (internal error)")
            }
            let keys = batch.map(key)
            try journal?.proposed(keys)
            let ids = batch.indices.map { proposed + $0 + 1 }
            proposed += batch.count
            var outcomes = keys.map { answered[$0] ?? journal?.outcome($0) }
            var sources = keys.map { k -> SearchStep<Model>.Source in
                answered[k] != nil ? .repeated : (journaled.contains(k) ? .journal : .evaluated)
            }
            // A model twice in one batch is evaluated once; the later copy repeats its result.
            var first: [String: Int] = [:]
            for i in batch.indices where outcomes[i] == nil {
                if first[keys[i]] == nil { first[keys[i]] = i } else { sources[i] = .repeated }
            }
            let todo = batch.indices.filter { outcomes[$0] == nil && first[keys[$0]] == $0 }
            try wait(steps.count + batch.count - todo.count, detail)
            if inline {
                for i in todo {
                    guard let o = try evaluate(batch[i], ids[i], { false }) else {
                        throw NASLibError("evaluation cancelled")
                    }
                    try journal?.finished(keys[i], o)
                    outcomes[i] = o
                    try wait(steps.count + batch.count - todo.count + todo.firstIndex(of: i)! + 1, detail)
                }
            } else {
                outcomes = try concurrently(todo, batch, ids, keys, outcomes, evaluate: evaluate) { done in
                    try wait(steps.count + batch.count - todo.count + done, detail)
                }
            }
            for (i, m) in batch.enumerated() {
                let o = outcomes[i] ?? outcomes[first[keys[i]]!]!
                answered[keys[i]] = o
                try session.tell(m, outcome: o)
                steps.append(Step(id: ids[i], model: m, outcome: o, source: sources[i]))
            }
        }
        return steps
    }

    private func concurrently(
        _ todo: [Int], _ batch: [Model], _ ids: [Int], _ keys: [String], _ start: [SearchJournal.Outcome?],
        evaluate: @escaping (Model, Int, @escaping () -> Bool) throws -> SearchJournal.Outcome?,
        wait: (Int) throws -> Void
    ) throws -> [SearchJournal.Outcome?] {
        let work = ConcurrentEvaluations(
            todo: todo, batch: batch, ids: ids, keys: keys, outcomes: start, journal: journal,
            evaluate: evaluate)
        let group = DispatchGroup()
        let job = WorkerJob(work.work)  // not generic: a thread's closure captures no generic type
        for _ in 0..<min(parallel, todo.count) {
            group.enter()
            Thread {
                job.run()
                group.leave()
            }.start()
        }
        var failure: Error? = nil
        while group.wait(timeout: .now() + 0.2) == .timedOut {
            guard failure == nil else { continue }
            do { try wait(work.finishedCount) } catch {
                failure = error
                work.cancel()
            }
        }
        if let e = failure ?? work.error { throw e }
        return work.outcomes
    }
}

/// The evaluations of one batch shared by the worker threads.
// Sendable, unchecked: every mutable field is read and written under `lock`; the evaluate closure is called from
// several threads only for external commands (each call spawns its own process), never for a brpsh function.
/// A worker thread's body. Sendable, unchecked: `run` is `ConcurrentEvaluations.work`, which takes its lock.
final class WorkerJob: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

final class ConcurrentEvaluations<Model>: @unchecked Sendable {
    let lock = NSLock()
    let todo: [Int], batch: [Model], ids: [Int], keys: [String]
    let journal: SearchJournal?
    let evaluate: (Model, Int, @escaping () -> Bool) throws -> SearchJournal.Outcome?
    private var next = 0, done = 0, stop = false
    private(set) var outcomes: [SearchJournal.Outcome?]
    private(set) var error: Error?

    init(
        todo: [Int], batch: [Model], ids: [Int], keys: [String], outcomes: [SearchJournal.Outcome?],
        journal: SearchJournal?,
        evaluate: @escaping (Model, Int, @escaping () -> Bool) throws -> SearchJournal.Outcome?
    ) {
        self.todo = todo
        self.batch = batch
        self.ids = ids
        self.keys = keys
        self.outcomes = outcomes
        self.journal = journal
        self.evaluate = evaluate
    }

    private func locked<T>(_ f: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return f()
    }

    var stopped: Bool { locked { stop } }
    var finishedCount: Int { locked { done } }
    func cancel() { locked { stop = true } }

    /// One worker: takes the next model until none is left or the batch is cancelled.
    func work() {
        while true {
            let taken: Int? = locked {
                guard !stop, next < todo.count else { return nil }
                next += 1
                return todo[next - 1]
            }
            guard let i = taken else { return }
            do {
                guard let o = try evaluate(batch[i], ids[i], { [unowned self] in stopped }) else { return }
                try journal?.finished(keys[i], o)
                locked {
                    outcomes[i] = o
                    done += 1
                }
            } catch {
                locked {
                    self.error = self.error ?? error
                    stop = true
                }
                return
            }
        }
    }
}
