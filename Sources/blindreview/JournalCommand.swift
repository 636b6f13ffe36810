import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Journal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work on annotators' journals.",
            subcommands: [Merge.self])

        struct Merge: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Merge another copy of an annotator's journal (an orphan, or their second machine's) into theirs.",
                discussion: """
                    The copy must be a journal of this study and annotator. Changes are deduplicated; where both \
                    copies changed the same score, preference or note, the later change wins and is reported. \
                    Nothing is rewritten: the missing events are appended (fsynced), keeping their times.

                    Example:
                      blindreview journal merge demo laptop/alice.jsonl --annotator alice
                    """)

            @Argument(help: "The study: a bare name means sessions/<name>/.")
            var study: String

            @Argument(help: "The other copy of the journal.")
            var file: String

            @Option(help: "Whose journal it is.")
            var annotator: String

            func run() throws {
                try failing {
                    let store = StudyStore.resolve(study)
                    try AnnotatorName.validate(annotator)
                    let result = try JournalMerge.mergeCopy(at: URL(fileURLWithPath: file), into: store, annotator: annotator)
                    let visits = result.events.count - result.taken
                    print("merged \(file) into \(store.journalFile(for: annotator).path): \(result.taken) change(s) and \(visits) visit(s) added, \(result.duplicates) already there, \(result.conflicts.count) conflict(s)")
                    for conflict in result.conflicts { print("conflict: \(conflict)") }
                }
            }
        }
    }
}
