import Foundation

/// `blindreview judge`: runs an external judge command once per pair and order of a judge's queue, N at a time,
/// and journals every verdict like an annotator's.
///
/// - Resumable: slots that already hold a verdict (or an error, unless `retryErrors`) are skipped, so running it
///   again after an interrupt, a crash or a full disk finishes the rest.
/// - One writer: workers run commands in parallel, but appends go through one lock, each fsynced, so the
///   journal is always a sequence of whole events.
/// - A failed call (nonzero exit, signal, timeout, output that is no verdict) is journaled as an `error` event
///   with the exit status and the end of standard error; every other verdict stands.
/// - A stop request (Ctrl-C) kills the running commands; what they would have said is not recorded, so resuming
///   asks again.
/// - Withdrawn pairs are not judged: those withdrawn when the run starts, and (through `withdrawals`, asked
///   before each call) those the lead withdraws while it runs. A judge's calls cost money.
///
///     let summary = try JudgeRunner.run(journal: judge, items: items, options: .init(command: "python3 j.py", workers: 4))
public enum JudgeRunner {
    public struct Options: Sendable {
        public var command: String
        public var workers: Int
        public var timeout: Double
        public var retryErrors: Bool
        /// Judge at most this many slots in this run (a trial run).
        public var limit: Int?
        /// Stop when this many calls in a row have failed before any succeeded (a mistyped command would
        /// otherwise fill the whole queue with errors); 0 never stops.
        public var giveUpAfter: Int

        public init(command: String, workers: Int = 4, timeout: Double = 300, retryErrors: Bool = false, limit: Int? = nil, giveUpAfter: Int = 5) {
            (self.command, self.workers, self.timeout, self.retryErrors, self.limit) = (command, workers, timeout, retryErrors, limit)
            self.giveUpAfter = giveUpAfter
        }
    }

    public struct Summary: Sendable, Equatable {
        /// Slots in the judge's queue (two per pair).
        public var slots = 0
        /// Verdicts already in the journal before this run (skipped).
        public var alreadyDone = 0
        public var judged = 0
        /// Of `judged`, the ones recorded as errors.
        public var errors = 0
        /// Slots left undone (an interrupt, or `limit`), withdrawn pairs' not counted.
        public var remaining = 0
        /// Slots of withdrawn pairs left unjudged (before the run or during it).
        public var withdrawn = 0
        public var interrupted = false
    }

    /// A stop request shared with a signal handler.
    public final class Stop: @unchecked Sendable {
        private let lock = NSLock()
        private var requested = false
        private var number: Int32?
        public init() {}
        /// Asks every worker to stop; `signal` is the signal that asked, if any (the exit status is 128 + it).
        public func request(signal: Int32? = nil) { lock.lock(); requested = true; number = number ?? signal; lock.unlock() }
        public var isRequested: Bool { lock.lock(); defer { lock.unlock() }; return requested }
        public var signal: Int32? { lock.lock(); defer { lock.unlock() }; return number }
    }

    public static func run(
        journal: JudgeJournal, items: StudyItems, options: Options, stop: Stop = Stop(),
        withdrawals: LiveWithdrawals? = nil, progress: (@Sendable (Summary) -> Void)? = nil
    ) throws -> Summary {
        let queue = journal.plan.queue
        var summary = Summary(slots: queue.count)
        var todo: [Int] = []
        for slot in queue.indices {
            let judgment = journal.writer.state.slots[slot]
            if judgment.preference != nil || (judgment.verdictError != nil && !options.retryErrors) {
                summary.alreadyDone += 1
            } else if journal.study.withdrawn[queue[slot].item] != nil {
                summary.withdrawn += 1
            } else {
                todo.append(slot)
            }
        }
        if let limit = options.limit { todo = Array(todo.prefix(max(0, limit))) }
        let shared = Shared(todo: todo, summary: summary, giveUpAfter: options.giveUpAfter, command: options.command)
        let group = DispatchGroup()
        let rubric = journal.study.rubric
        for _ in 0..<max(1, min(options.workers, todo.count)) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while !stop.isRequested, shared.failure == nil, let slot = shared.next() {
                    let entry = queue[slot]
                    if let withdrawals, withdrawals.contains(entry.item) {
                        shared.skipWithdrawn()
                        continue
                    }
                    let input: Data
                    do {
                        input = JudgeExchange.input(study: journal.study, item: try items.item(id: entry.item), entry: entry, order: slot % 2 + 1)
                    } catch {
                        shared.fail(error)
                        return
                    }
                    let outcome = JudgeProcess.run(command: options.command, input: input, timeout: options.timeout) { stop.isRequested }
                    guard let events = events(for: outcome, slot: slot, entry: entry, journal: journal, rubric: rubric) else { continue }
                    shared.append(events, to: journal.writer, progress: progress)
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        if let failure = shared.failure { throw failure }
        summary = shared.summary
        let withdrawnNow = withdrawals?.now ?? []
        summary.remaining = queue.indices.filter {
            !journal.isDecided($0) && journal.study.withdrawn[queue[$0].item] == nil && !withdrawnNow.contains(queue[$0].item)
        }.count
        summary.interrupted = stop.isRequested
        return summary
    }

    /// The events recording one call's outcome; nil when it was cancelled (nothing learnt).
    static func events(for outcome: JudgeProcess.Outcome, slot: Int, entry: QueueEntry, journal: JudgeJournal, rubric: Rubric) -> [JournalEvent]? {
        func failed(_ details: String) -> [JournalEvent] {
            [.verdictError(slot: slot, item: entry.item, source: .command, details: details)]
        }
        switch outcome {
        case .cancelled:
            return nil
        case .notStarted(let reason):
            return failed(reason)
        case .outputTooLarge(let limit):
            return failed("standard output passed \(limit) bytes (a verdict is one small JSON object); the command was stopped")
        case .timedOut(let seconds, let stderr):
            return failed("timed out after \(format(seconds)) s" + (stderr.isEmpty ? "" : "; stderr: \(stderr)"))
        case .finished(let status, let signal, let stdout, let stderr):
            guard status == 0 else {
                let how = signal.map { "killed by signal \($0)" } ?? "exit status \(status)"
                return failed(how + (stderr.isEmpty ? "" : "; stderr: \(stderr)"))
            }
            switch JudgeExchange.verdict(from: stdout, rubric: rubric) {
            case .failure(let reason):
                return failed(reason.message + (stderr.isEmpty ? "" : "; stderr: \(stderr)"))
            case .success(.judgeError(let reason)):
                return [.verdictError(slot: slot, item: entry.item, source: .judge, details: reason)]
            case .success(.preference(let side, let scores)):
                guard let option = journal.option(favouring: side) else { return failed("the study's rubric has no option for this verdict") }
                var events: [JournalEvent] = [.preference(slot: slot, item: entry.item, option: option)]
                for (criterion, pair) in scores.sorted(by: { $0.key < $1.key }) {
                    events.append(.rating(slot: slot, item: entry.item, response: entry.a, criterion: criterion, value: pair[0]))
                    events.append(.rating(slot: slot, item: entry.item, response: entry.b, criterion: criterion, value: pair[1]))
                }
                return events
            }
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    /// The work list, the running summary and the one journal writer, behind one lock.
    final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var todo: [Int]
        private var position = 0
        private(set) var summary: Summary
        private(set) var failure: Error?
        private let giveUpAfter: Int
        private let command: String
        /// Calls that failed (the command's fault) before any call succeeded.
        private var failuresFirst = 0
        private var anySuccess = false

        init(todo: [Int], summary: Summary, giveUpAfter: Int, command: String) {
            self.todo = todo
            self.summary = summary
            self.giveUpAfter = giveUpAfter
            self.command = command
        }

        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard failure == nil, position < todo.count else { return nil }
            position += 1
            return todo[position - 1]
        }

        func skipWithdrawn() {
            lock.lock(); defer { lock.unlock() }
            summary.withdrawn += 1
        }

        func fail(_ error: Error) {
            lock.lock(); defer { lock.unlock() }
            if failure == nil { failure = error }
        }

        /// Appends one slot's events (fsynced) and counts them; a failed write stops every worker, and so do
        /// `giveUpAfter` failed calls before the first that worked.
        func append(_ events: [JournalEvent], to writer: JournalWriter, progress: (@Sendable (Summary) -> Void)?) {
            lock.lock(); defer { lock.unlock() }
            guard failure == nil else { return }
            do {
                _ = try writer.append(contentsOf: events)
                summary.judged += 1
                let error = events.first { $0.type == .error }
                if error != nil { summary.errors += 1 }
                progress?(summary)
                if let error, error.option == JudgeErrorSource.command.rawValue {
                    if !anySuccess { failuresFirst += 1 }
                } else {
                    anySuccess = true
                }
                if giveUpAfter > 0, !anySuccess, failuresFirst >= giveUpAfter {
                    failure = BlindReviewError(
                        message: "the first \(failuresFirst) calls of the judge command all failed (the last: \(error?.text ?? "?")); stopped rather than fill the queue with errors",
                        fix: "try the command by hand (echo '{}' | \(command)) and fix it; the failures are journaled as errors: run again with --retry-errors")
                }
            } catch {
                failure = error
            }
        }
    }
}
