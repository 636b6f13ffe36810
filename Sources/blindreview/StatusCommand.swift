import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each annotator's progress (needs no key, names no model).",
            discussion: "Example:\n  blindreview status demo")

        @Argument(help: "The study: a bare name means sessions/<name>/.")
        var study: String

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                let (loaded, hash) = try store.load()
                let journals = StudyJournals.load(store: store, study: loaded, studySHA256: hash)
                journals.warnings.forEach(warn)
                print(StudyStatus.render(study: loaded, progress: StudyStatus.progress(study: loaded, journals: journals.journals)), terminator: "")
                for refused in journals.refused { printError("refused: \(refused)") }
                if !journals.refused.isEmpty { throw ExitCode(1) }
            }
        }
    }
}
