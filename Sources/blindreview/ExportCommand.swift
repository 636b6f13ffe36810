import ArgumentParser
import BlindReviewCore
import BlindReviewReport
import Foundation

extension DPOExample.Turns: ExpressibleByArgument {}
extension DPOExample.Template: ExpressibleByArgument {}

extension BlindReview {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the unblinded judgments: DPO pairs for training, CSV tables, JSONL, or MT-Bench judgment lines.",
            discussion: """
                dpo: one line per pair with a clear winner, {"prompt", "chosen", "rejected"} plus pair_id, source_id, \
                chosen_model, rejected_model, votes, agreement and rubric_margin. A pair is kept when one response has \
                more votes than the other and than the ties, with a share of the votes above --min-agreement \
                (ties counted unless --ignore-tie-votes), and, with --min-chosen-score, a mean rubric score of the \
                chosen response at least that high. Hidden repeats are not counted.

                Examples:
                  blindreview export demo --format dpo --min-agreement 0.6 \\
                      --min-chosen-score 3 --output dpo.jsonl
                  blindreview export demo --format csv --output judgments.csv
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case dpo, csv, jsonl, mtbench }

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
        var key: String?

        @Option(help: "dpo, csv, jsonl, or mtbench (FastChat's MT-Bench human-judgment lines).")
        var format: Format

        @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "FILE"))
        var output: String?

        enum Table: String, ExpressibleByArgument, CaseIterable { case ratings, judgments }

        @Option(help: "csv: ratings (a row per pair, annotator, response and criterion) or judgments (a row per pair and annotator, in the shape import reads).")
        var table: Table = .ratings

        @Flag(help: "csv: write cells untouched (by default a text cell starting with =, +, -, @, tab or CR gets a leading ' so that spreadsheets do not run it).")
        var raw = false

        @Flag(help: "dpo: prompt, chosen and rejected as lists of {role, content} messages.")
        var conversational = false

        @Option(help: "dpo: multi-turn pairs: shared (skip those whose models answered earlier turns themselves), first (their first turn), each (every turn with a shared history), whole (whole conversations, implicit prompt; needs --conversational).")
        var turns: DPOExample.Turns = .shared

        @Option(help: "dpo, string form: how roles are written: plain (User: ... Assistant:) or chatml (<|im_start|>role ... <|im_end|>).")
        var template: DPOExample.Template = .plain

        @Option(name: .customLong("min-agreement"), help: ArgumentHelp("dpo: the winner's share of votes must be above this.", valueName: "SHARE"))
        var minAgreement: Double = 0.5

        @Flag(name: .customLong("ignore-tie-votes"), help: "dpo: leave tie votes out of the share (a tie majority still drops the pair).")
        var ignoreTieVotes = false

        @Option(name: .customLong("min-chosen-score"), help: ArgumentHelp("dpo: minimum mean rubric score of the chosen response.", valueName: "SCORE"))
        var minChosenScore: Double?

        @Option(name: .customLong("min-margin"), help: ArgumentHelp("dpo: minimum mean preference strength toward the chosen response (ties 0; on a graded scale \"much better\" counts 2).", valueName: "M"))
        var minMargin: Double?

        @Flag(help: "Replace annotator names by stable opaque ids (annotator-3f9a0c21), the same in every export of the study.")
        var pseudonymize = false

        @Option(help: ArgumentHelp("dpo: also write a dataset card (a Hugging Face README) here.", valueName: "FILE.md"))
        var card: String?

        @Option(help: ArgumentHelp("dpo --card: the license to state in the card (an SPDX id such as cc-by-4.0).", valueName: "ID"))
        var license: String = "other"

        @Flag(name: .customLong("exclude-flagged"), help: "Leave out pairs an annotator flagged (broken, duplicate, offensive, unsure).")
        var excludeFlagged = false

        @Flag(help: "Use adjudicated verdicts (blindreview adjudicate) in place of the people's votes on the pairs they settled.")
        var adjudicated = false

        @Flag(name: .customLong("include-gold"), help: "Export gold pairs (create --gold) too; by default they are left out.")
        var includeGold = false

        @Option(name: .customLong("min-gold-accuracy"), help: ArgumentHelp("Leave out every vote of an annotator whose gold accuracy is below this share (an annotator with no gold judgment is kept).", valueName: "SHARE"))
        var minGoldAccuracy: Double?

        @Flag(name: .customLong("include-judges"), help: "Count LLM judges' verdicts as annotators' (one per pair: the same in both orders, else a tie). By default judges are left out.")
        var includeJudges = false

        @Flag(help: "No progress bar on stderr (it is shown only when stderr is a terminal).")
        var quiet = false

        func validate() throws {
            if let minGoldAccuracy, !(0...1).contains(minGoldAccuracy) { throw ValidationError("--min-gold-accuracy must be between 0 and 1") }
            guard (0..<1).contains(minAgreement) else { throw ValidationError("--min-agreement must be at least 0 and below 1") }
            if card != nil && format != .dpo { throw ValidationError("--card goes with --format dpo") }
            if turns == .whole && !conversational {
                throw ValidationError("--turns whole writes whole conversations as message lists: add --conversational")
            }
        }

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                try store.requireStudy()
                if let output { try OutputLocation.check(URL(fileURLWithPath: output), keyFile: store.keyFile(key)) }
                var (loaded, hash) = try store.load()
                let studyKey = try StudyStore.loadKey(at: store.keyFile(key), for: loaded)
                let bar = ProgressReporter(label: "reading journals", total: nil, unit: "KB", quiet: quiet)
                var journals = StudyJournals.load(store: store, study: loaded, studySHA256: hash, progress: bar)
                bar.finish()
                if includeJudges {
                    (loaded, journals) = JudgeAsAnnotator.merge(study: loaded, journals: journals)
                    let judges = journals.derived.filter { $0.value.kind == .judge }.keys.sorted()
                    printError(judges.isEmpty ? "--include-judges: the study has no judge's journal" : "counting judges as annotators: \(judges.joined(separator: ", "))")
                }
                for refused in journals.refused { printError("refused: \(refused)") }
                let used = Set<AnnotatorKind>((includeJudges ? [.judge] : []) + (adjudicated ? [.adjudicator] : []))
                for foreign in ForeignJournals.warnings(store: store, derived: journals.derived, kinds: used) { printError("warning: " + foreign) }
                let repeats = RepeatMap(study: loaded, key: studyKey)
                var votes = StudyVotes.collect(study: loaded, journals: journals.journals, repeats: repeats)
                if !loaded.withdrawn.isEmpty {
                    let reasons = loaded.withdrawn.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.isEmpty ? "no reason given" : $0.value))" }
                    printError("left out \(loaded.withdrawn.count) withdrawn pair\(loaded.withdrawn.count == 1 ? "" : "s") (amend withdraw; the judgments stay in the journals): " + reasons.joined(separator: "; "))
                }
                // Gold accuracy as report computes it: on every vote, before any pair is left out.
                if let minGoldAccuracy {
                    guard let gold = GoldAccuracy.compute(votes: votes, key: studyKey, rubric: loaded.rubric, threshold: minGoldAccuracy) else {
                        throw BlindReviewError(message: "--min-gold-accuracy: this study has no gold pairs", fix: "create the study with --gold FILE, or leave the option out")
                    }
                    let dropped = Set(gold.flagged)
                    votes.votes.removeAll { dropped.contains($0.annotator) }
                    for row in gold.annotators where row.below {
                        printError("left out \(row.annotator): gold accuracy \(row.correct)/\(row.judged) is below \(minGoldAccuracy)")
                    }
                    for row in gold.annotators where row.judged == 0 { printError("note: \(row.annotator) judged no gold pair yet; kept") }
                }
                if excludeFlagged {
                    // A flag on a hidden repeat flags the pair it repeats (collect reads it through the repeat map).
                    let flagged = FlaggedPairs.collect(study: loaded, journals: journals.journals, repeats: repeats).items
                    votes.votes.removeAll { flagged.contains($0.item) }
                    if !flagged.isEmpty { printError("left out \(flagged.count) flagged pair\(flagged.count == 1 ? "" : "s")") }
                }
                var choices = ReportChoices()
                choices.adjudicated = adjudicated
                choices.includeGold = includeGold
                let chosen = choices.resultVotes(votes, study: loaded, key: studyKey, derived: journals.derived, repeats: repeats)
                votes = chosen.votes
                if chosen.goldLeftOut > 0 { printError("left out \(chosen.goldLeftOut) gold pair\(chosen.goldLeftOut == 1 ? "" : "s") (--include-gold exports them)") }
                if let adjudication = chosen.adjudication { printError(adjudication.summary) }
                let names = pseudonymize ? Pseudonyms(key: studyKey).callAsFunction : { $0 }
                var text: String
                switch format {
                case .dpo:
                    var items: [String: StudyItem] = [:]
                    for item in try store.loadItems(for: loaded).all() { items[item.id] = item }
                    var policy = PreferenceExport.Policy(countTies: !ignoreTieVotes, minAgreement: minAgreement, minChosenScore: minChosenScore, conversational: conversational, turns: turns, template: template)
                    policy.minMargin = minMargin
                    let result = PreferenceExport.dpo(study: loaded, items: items, key: studyKey, votes: votes, policy: policy)
                    text = result.lines.map { $0 + "\n" }.joined()
                    let skipped = result.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    printError("exported \(result.lines.count) pairs" + (skipped.isEmpty ? "" : "; skipped: \(skipped)"))
                    if let card {
                        let report = StudyReport.compute(
                            study: loaded, items: items, key: studyKey, journals: journals, bootstrap: 0, seed: 1, choices: choices)
                        let text = DatasetCard.render(
                            report: report, key: studyKey, policy: policy, exported: result.lines.count, skipped: result.skipped,
                            license: license, excludedFlagged: excludeFlagged, pseudonymized: pseudonymize)
                        try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: card))
                    }
                case .csv:
                    text = table == .judgments
                        ? JudgmentsTable.csv(study: loaded, key: studyKey, votes: votes, raw: raw, annotator: names)
                        : PreferenceExport.csv(study: loaded, key: studyKey, votes: votes, raw: raw, annotator: names)
                case .jsonl:
                    text = PreferenceExport.jsonl(study: loaded, key: studyKey, votes: votes, annotator: names).map { $0 + "\n" }.joined()
                case .mtbench:
                    var items: [String: StudyItem] = [:]
                    for item in try store.loadItems(for: loaded).all() { items[item.id] = item }
                    text = MTBenchExport.lines(key: studyKey, items: items, votes: votes, judge: names).map { $0 + "\n" }.joined()
                }
                if let output {
                    try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }
}
