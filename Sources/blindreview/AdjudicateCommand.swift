import ArgumentParser
import BlindReviewCore
import BlindReviewReport
import Foundation

extension BlindReview {
    struct Adjudicate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle disputed and flagged pairs as the lead: the annotation screen on those pairs, with what the others said.",
            discussion: """
                Offers the pairs annotators flagged first, then every disputed pair from the least agreement up (the \
                order of `report`); v shows each other annotator's verdict and scores in this screen's sides. The \
                final verdict goes to journals/NAME.jsonl (an adjudicator's journal); `report --adjudicated` and \
                `export --adjudicated` use it. With --key, hidden repeats count for the pairs they repeat.

                Example:
                  blindreview adjudicate support-v2 --annotator lead \\
                      --key sessions/.keys/support-v2.json
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Option(help: "The adjudicator's name: not one of the study's annotators, nor a judge's.")
        var annotator: String

        @Option(help: ArgumentHelp("The key, read only to fold hidden repeats into their pairs (nothing shown names a model).", valueName: "PATH"))
        var key: String?

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                try store.requireStudy()
                try AnnotatorName.validate(annotator)
                try AnnotateRunner.run(store: store, annotator: annotator) { study, hash in
                    try AdjudicationSetup.prepare(store: store, study: study, studySHA256: hash, adjudicator: annotator, keyFile: key.map { URL(fileURLWithPath: $0) })
                }
            }
        }
    }
}

/// Everything `adjudicate` checks and gathers before the screen opens.
enum AdjudicationSetup {
    static func prepare(store: StudyStore, study: Study, studySHA256: String, adjudicator: String, keyFile: URL?) throws -> (Study, AdjudicationBrief) {
        if study.plan(for: adjudicator) != nil {
            throw BlindReviewError(
                message: "\"\(adjudicator)\" rates pairs in study \"\(study.name)\"; an adjudicator settles the others' votes under a name of their own",
                fix: "pick another name, such as --annotator lead")
        }
        let key = try keyFile.map { try StudyStore.loadKey(at: $0, for: study) }
        let studyItems = try store.loadItems(for: study)
        let plan = try DerivedQueue.plan(name: adjudicator, kind: .adjudicator, study: study, items: studyItems)
        let journals = StudyJournals.load(store: store, study: study, studySHA256: studySHA256)
        for refused in journals.refused { printError("refused: \(refused)") }
        var items: [String: StudyItem] = [:]
        for item in try studyItems.all() { items[item.id] = item }
        let brief = AdjudicationQueue.brief(study: study, items: items, key: key, journals: journals, plan: plan)
        guard !brief.slots.isEmpty else {
            printHuman("nothing to adjudicate in study \(study.name): no pair is flagged or disputed (agreement needs two annotators on a pair)")
            throw ExitCode.success
        }
        if key == nil, !study.itemIDs.isEmpty {
            printError("note: without --key, a hidden repeat is offered as a pair of its own (pass --key to fold repeats into their pairs)")
        }
        return (study.adding(plan), brief)
    }
}
