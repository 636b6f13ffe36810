import AgreementStats
import ArgumentParser
import BlindReviewCore
import BlindReviewReport
import Foundation

extension BlindReview {
    struct ImportJudge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-judge",
            abstract: "Import an LLM judge's verdicts into a study as a judge's journal.",
            discussion: """
                FILE: FastChat's pairwise judgments (model_judgment/*_pair.jsonl: question_id, model_1, model_2, \
                g1_winner, g2_winner, turn), or JSONL {"id", "winner", "swapped_winner", "scores", "model_a", \
                "model_b", "reason"} with winner a, b, tie or error relative to the input's a/b (the input's a shown \
                first; swapped_winner: the game with b shown first). Error verdicts are kept and counted. The judge \
                never counts as a person unless report/export are given --include-judges. All or nothing; a \
                re-import writes nothing; a changed verdict needs --replace.

                Example:
                  blindreview import-judge phi3 gpt-4_pair.jsonl --judge gpt-4
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Argument(help: "The verdicts (JSONL).", completion: .file(extensions: ["jsonl", "json"]))
        var file: String

        @Option(help: ArgumentHelp("The judge's name (its journal is journals/<name>.jsonl).", valueName: "NAME"))
        var judge: String

        @Option(name: .customLong("model-map"), help: ArgumentHelp("A model name in the file and the study's name for it (repeat).", valueName: "FILE_NAME=STUDY_NAME"))
        var modelMap: [String] = []

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json), to find each verdict's pair.", valueName: "PATH"))
        var key: String?

        @Flag(help: "Verdicts that change one already in the journal are recorded as changes (otherwise refused).")
        var replace = false

        @Flag(name: .customLong("skip-missing"), help: "Skip (and count) verdicts for prompts the study has no pair for (a --sample study); otherwise refused.")
        var skipMissing = false

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "What to print when done: text, or json (judge, games, errors, pairs, already_imported, replaced, skipped_missing).")
        var format: Format = .text

        func validate() throws {
            for entry in modelMap {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("--model-map expects FILE_NAME=STUDY_NAME, got \"\(entry)\"")
                }
            }
        }

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                let (loaded, _) = try store.load()
                let keyURL = store.keyFile(key)
                let studyKey = try StudyStore.loadKey(at: keyURL, for: loaded)
                var map: [String: String] = [:]
                for entry in modelMap {
                    let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    guard studyKey.models.contains(parts[1]) else {
                        throw BlindReviewError(message: "--model-map \(entry): \(parts[1]) is not a model of the study", fix: "map to one of: \(studyKey.models.joined(separator: ", "))")
                    }
                    map[parts[0]] = parts[1]
                }
                let summary = try JudgeImport.run(
                    store: store, key: studyKey, file: file, judge: judge, modelMap: map, replace: replace, skipMissing: skipMissing)
                if summary.games == 0 && summary.alreadyImported == 0 {
                    throw BlindReviewError(
                        file: file,
                        message: "no verdict to import" + (summary.skippedMissing > 0 ? " (all \(summary.skippedMissing) lines are about prompts the study does not have)" : ""),
                        fix: "check that this is the judge's pairwise file for this study's prompts")
                }
                if format == .json {
                    print(OrderedJSON.object([
                        ("study", .string(loaded.name)), ("file", .string(file)), ("judge", .string(judge)),
                        ("games", .integer(summary.games)), ("errors", .integer(summary.errors)), ("pairs", .integer(summary.pairs)),
                        ("already_imported", .integer(summary.alreadyImported)), ("replaced", .integer(summary.replaced)),
                        ("skipped_missing", .integer(summary.skippedMissing)),
                    ]).rendered())
                    return
                }
                var line = "imported \(summary.games) verdicts (pair and order) of judge \(judge) on \(summary.pairs) pairs into \(store.journalFile(for: judge).path)"
                if summary.errors > 0 { line += "; \(summary.errors) are error verdicts (kept and counted)" }
                if summary.replaced > 0 { line += "; \(summary.replaced) replaced earlier verdicts" }
                if summary.alreadyImported > 0 { line += "; \(summary.alreadyImported) already imported (nothing written for them)" }
                if summary.skippedMissing > 0 { line += "; \(summary.skippedMissing) lines skipped: their prompt is not in the study" }
                printHuman(line)
            }
        }
    }
}
