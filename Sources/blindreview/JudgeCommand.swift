import AgreementStats
import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Judge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run an external LLM judge on every pair, in both orders, into a judge's journal.",
            discussion: """
                COMMAND runs with /bin/sh -c once per pair and order: the blinded pair as JSON on standard input \
                (schema 1: study, pair, order, system, prompt, reference, response_a, response_b, criteria, \
                question), a verdict as JSON on standard output ({"winner": "A"|"B"|"tie"|"error", "scores": \
                {"criterion": [A, B]}, "reason": "..."}). A nonzero exit, a timeout or output that is no verdict \
                is journaled as an error verdict with the exit status and the end of standard error. Resumable: \
                slots already judged are skipped. No key is needed and nothing sent names a model.

                Example:
                  blindreview judge phi3 --judge gpt-4o --command 'python3 j.py' --parallel 8
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Option(help: ArgumentHelp("The judge's name (its journal is journals/<name>.jsonl).", valueName: "NAME"))
        var judge: String

        @Option(help: ArgumentHelp("The judge command, run with /bin/sh -c.", valueName: "CMD"))
        var command: String

        @Option(help: ArgumentHelp("Commands run at the same time.", valueName: "N"))
        var parallel: Int = 4

        @Option(help: ArgumentHelp("Seconds one call may take before it is killed and recorded as an error.", valueName: "SECONDS"))
        var timeout: Double = 300

        @Option(help: ArgumentHelp("Judge at most N pair-orders in this run (a trial).", valueName: "N"))
        var limit: Int?

        @Flag(name: .customLong("retry-errors"), help: "Ask again for slots whose verdict is an error (by default they count as judged).")
        var retryErrors = false

        @Flag(help: "Print nothing while running (the summary still prints).")
        var quiet = false

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "What to print when done: text, or json (judge, slots, already_done, judged, errors, remaining, interrupted).")
        var format: Format = .text

        func validate() throws {
            guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be 1-64") }
            guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
            if command.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--command must not be empty") }
        }

        func run() throws {
            let stop = JudgeRunner.Stop()
            let summary: JudgeRunner.Summary = try failing {
                let store = StudyStore.resolve(study)
                let (loaded, hash) = try store.load()
                let items = try store.loadItems(for: loaded)
                let journal = try JudgeJournal.open(store: store, study: loaded, studySHA256: hash, judge: judge)
                defer { journal.close() }
                // Ctrl-C, SIGTERM and SIGHUP stop the running commands; every verdict already written stays.
                signal(SIGPIPE, SIG_IGN)
                var sources: [DispatchSourceSignal] = []
                for number in [SIGINT, SIGTERM, SIGHUP] {
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                    source.setEventHandler { stop.request(signal: number) }
                    source.resume()
                    sources.append(source)
                }
                defer { sources.forEach { $0.cancel() } }
                let total = journal.plan.queue.count
                let interactive = !quiet && isatty(2) != 0
                let summary = try JudgeRunner.run(
                    journal: journal, items: items,
                    options: .init(command: command, workers: parallel, timeout: timeout, retryErrors: retryErrors, limit: limit), stop: stop,
                    withdrawals: LiveWithdrawals(store: store, study: loaded)
                ) { running in
                    guard interactive else { return }
                    FileHandle.standardError.write(Data("\r\(judge): \(running.alreadyDone + running.judged)/\(total) judged, \(running.errors) errors this run ".utf8))
                }
                if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
                return summary
            }
            if format == .json {
                print(OrderedJSON.object([
                    ("study", .string(study)), ("judge", .string(judge)), ("slots", .integer(summary.slots)),
                    ("already_done", .integer(summary.alreadyDone)), ("judged", .integer(summary.judged)), ("errors", .integer(summary.errors)),
                    ("remaining", .integer(summary.remaining)), ("withdrawn", .integer(summary.withdrawn)), ("interrupted", .bool(summary.interrupted)),
                ]).rendered())
            } else {
                var line = "judge \(judge): \(summary.judged) pair-orders judged in this run (\(summary.errors) errors), \(summary.alreadyDone) already done, \(summary.remaining) of \(summary.slots) left"
                if summary.withdrawn > 0 { line += "; \(summary.withdrawn) pair-orders of withdrawn pairs not judged" }
                if summary.interrupted { line += "; interrupted: run the same command again to finish" }
                printHuman(line)
            }
            if summary.interrupted { throw ExitCode(128 + (stop.signal ?? SIGINT)) }
        }
    }
}
