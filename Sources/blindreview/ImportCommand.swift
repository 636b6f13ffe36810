import AgreementStats
import ArgumentParser
import BlindReviewCore
import BlindReviewReport
import Foundation

extension BlindReview {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import judgments collected elsewhere into a study's journals.",
            discussion: """
                FILE: CSV with header id,annotator,preference[,<criterion>_a,<criterion>_b...] or JSONL with those \
                fields. id is the pair id of the --pairs input the study was made from; preference is a, b or tie \
                relative to that input's response_a/response_b. Every row is checked before anything is written.

                Example:
                  blindreview import pandalm labels.csv
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Argument(help: "The judgments (CSV or JSONL).", completion: .file(extensions: ["csv", "jsonl", "json"]))
        var file: String

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json), to read the input's a/b.", valueName: "PATH"))
        var key: String?

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                let (loaded, _) = try store.load()
                let keyURL = key.map { URL(fileURLWithPath: $0) } ?? store.defaultKeyFile
                let studyKey = try StudyStore.loadKey(at: keyURL, for: loaded)
                do {
                    let summary = try JudgmentImport.run(store: store, key: studyKey, file: file)
                    let per = summary.annotators.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    printHuman("imported \(summary.imported) judgments into \(store.journalsFolder.path) (\(per))")
                } catch let error as AgreementError {
                    throw BlindReviewError(message: error.description)
                }
            }
        }
    }
}
