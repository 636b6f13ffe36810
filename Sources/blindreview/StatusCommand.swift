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

        @Argument(help: "The study: a bare name means sessions/<name>/.")
        var study: String

        @Option(help: ArgumentHelp("The key, to count hidden repeats (default: sessions/.keys/<study>.json when readable).", valueName: "PATH"))
        var key: String?

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
                let journals = StudyJournals.load(store: store, study: loaded, studySHA256: hash)
                journals.warnings.forEach(warn)
                var progress = StudyStatus.progress(study: loaded, journals: journals.journals, repeats: repeats)
                for index in progress.indices where journals.unreadable.contains(progress[index].annotator) {
                    progress[index].readable = false
                }
                printHuman(StudyStatus.render(study: loaded, progress: progress, repeats: repeats), terminator: "")
                for refused in journals.refused { printError("refused: \(refused)") }
                if !journals.refused.isEmpty { throw ExitCode(ExitStatus.failure) }
            }
        }
    }
}
