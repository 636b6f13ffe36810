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
                relative to that input's response_a/response_b. Every row is checked and every annotator's lock taken before \
                anything is written; any failure cuts every journal back (nothing imported). Rows already imported are \
                recognised and skipped; a row changing an imported value needs --replace.

                Example:
                  blindreview import pandalm labels.csv
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Argument(help: "The judgments (CSV or JSONL).", completion: .file(extensions: ["csv", "jsonl", "json"]))
        var file: String

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json), to read the input's a/b.", valueName: "PATH"))
        var key: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "What to print when done: text, or json (imported, already_imported, replaced, annotators).")
        var format: Format = .text

        @Flag(help: "Rows that change a value already in a journal are recorded as changes (otherwise refused).")
        var replace = false

        @Flag(help: "No progress bar on stderr (it is shown only when stderr is a terminal).")
        var quiet = false

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                let (loaded, hash) = try store.load()
                let keyURL = store.keyFile(key)
                let studyKey = try StudyStore.loadKey(at: keyURL, for: loaded)
                do {
                    let bar = ProgressReporter(label: "importing", total: nil, unit: "rows", quiet: quiet)
                    defer { bar.finish() }
                    let summary = try JudgmentImport.run(store: store, key: studyKey, file: file, replace: replace, study: (loaded, hash), progress: { done, total in
                        bar.update(done / 2, total: total / 2)
                    })
                    bar.finish()
                    if format == .json {
                        print(OrderedJSON.object([
                            ("study", .string(loaded.name)), ("file", .string(file)), ("imported", .integer(summary.imported)),
                            ("already_imported", .integer(summary.alreadyImported)), ("replaced", .integer(summary.replaced)),
                            ("annotators", .object(summary.annotators.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
                        ]).rendered())
                        return
                    }
                    let per = summary.annotators.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    var line = "imported \(summary.imported) judgments into \(store.journalsFolder.path)" + (per.isEmpty ? "" : " (\(per))")
                    if summary.replaced > 0 { line += "; \(summary.replaced) replaced earlier values" }
                    if summary.alreadyImported > 0 { line += "; \(summary.alreadyImported) already imported (nothing written for them)" }
                    printHuman(line)
                } catch let error as AgreementError {
                    throw BlindReviewError(message: error.description)
                }
            }
        }
    }
}
