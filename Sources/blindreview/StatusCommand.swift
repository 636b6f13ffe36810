import AgreementStats
import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each annotator's progress (names no model).",
            discussion: """
                Hidden repeats look like any other pair in the study folder; only the key tells them apart. The key \
                is read when it is readable at its default place (or given with --key), only to count repeats; \
                without it the repeats column shows "?".

                Example:
                  blindreview status demo
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "Output format: text (a table) or json (for scripts).")
        var format: Format = .text

        @Option(help: ArgumentHelp("The key, to count hidden repeats (default: sessions/.keys/<study>.json when readable).", valueName: "PATH"))
        var key: String?

        @Flag(help: "No progress bar on stderr (it is shown only when stderr is a terminal).")
        var quiet = false

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                let (loaded, hash) = try store.load()
                var studyKey: StudyKey?
                if let key {
                    studyKey = try StudyStore.loadKey(at: URL(fileURLWithPath: key), for: loaded)
                } else if FileManager.default.isReadableFile(atPath: store.defaultKeyFile.path) {
                    studyKey = try StudyStore.loadKey(at: store.defaultKeyFile, for: loaded)
                }
                let repeats = RepeatMap(study: loaded, key: studyKey)
                let bar = ProgressReporter(label: "reading journals", total: nil, unit: "KB", quiet: quiet)
                let journals = StudyJournals.load(store: store, study: loaded, studySHA256: hash, progress: bar)
                bar.finish()
                (loaded.amendmentWarnings + journals.warnings).forEach(warn)
                var progress = StudyStatus.progress(study: loaded, journals: journals.journals, repeats: repeats)
                for index in progress.indices where journals.unreadable.contains(progress[index].annotator) {
                    progress[index].readable = false
                }
                switch format {
                case .text:
                    printHuman(StudyStatus.render(study: loaded, progress: progress, repeats: repeats), terminator: "")
                    // Judges and adjudicators: listed apart, never counted as annotators.
                    for (name, derived) in journals.derived.sorted(by: { $0.key < $1.key }) {
                        let progress = DerivedProgress(derived)
                        printHuman("\(name): \(progress.description), last activity \(progress.lastActivity ?? "none") (not counted as an annotator)")
                    }
                case .json:
                    print(Status.json(study: loaded, progress: progress, repeats: repeats, refused: journals.refused, derived: journals.derived).rendered())
                }
                for refused in journals.refused { printError("refused: \(refused)") }
                if !journals.refused.isEmpty { throw ExitCode(ExitStatus.failure) }
            }
        }
    }
}

extension BlindReview.Status {
    /// `status --format json`: the same facts as the table, for scripts. Nulls where a value is unknown.
    static func json(study: Study, progress: [AnnotatorProgress], repeats: RepeatMap, refused: [BlindReviewError], derived: [String: DerivedJournal] = [:]) -> OrderedJSON {
        .object([
            ("study", .string(study.name)), ("study_id", study.studyID.map(OrderedJSON.string) ?? .null),
            ("pairs", repeats.pairCount(in: study).map(OrderedJSON.integer) ?? .null),
            ("items", .integer(study.itemIDs.count)),
            ("repeats_known", .bool(repeats.isKnown)),
            ("annotators", .array(progress.map { p in
                .object([
                    ("annotator", .string(p.annotator)), ("retired", .bool(study.isRetired(p.annotator))), ("readable", .bool(p.readable)),
                    ("preferences", p.readable ? .integer(p.preferences) : .null), ("complete", p.readable ? .integer(p.done) : .null),
                    ("assigned", .integer(p.assigned)), ("repeats_done", p.readable ? p.repeatsDone.map(OrderedJSON.integer) ?? .null : .null),
                    ("repeats_assigned", p.repeatsAssigned.map(OrderedJSON.integer) ?? .null),
                    ("median_seconds", p.readable ? .number(p.medianSeconds) : .null),
                    ("last_activity", p.readable ? p.lastActivity.map(OrderedJSON.string) ?? .null : .null),
                ])
            })),
            ("judges_and_adjudicators", .array(derived.sorted { $0.key < $1.key }.map { name, journal in
                let progress = DerivedProgress(journal)
                return .object([
                    ("name", .string(name)), ("kind", .string(progress.kind.rawValue)), ("decided", .integer(progress.decided)),
                    ("slots", .integer(progress.slots)), ("errors", .integer(progress.errors)),
                    ("last_activity", progress.lastActivity.map(OrderedJSON.string) ?? .null),
                ])
            })),
            ("amendments", .array(study.amendments.map { record in
                .object([("seq", .integer(record.seq)), ("time", .string(record.time)), ("change", .string(record.change.kind)),
                         ("summary", .string(record.change.summary)), ("reason", record.reason.map(OrderedJSON.string) ?? .null)])
            })),
            ("withdrawn", .array(study.withdrawn.sorted { $0.key < $1.key }.map { .object([("pair_id", .string($0.key)), ("reason", .string($0.value))]) })),
            ("refused_journals", .array(refused.map { .string($0.description) })),
        ])
    }
}
