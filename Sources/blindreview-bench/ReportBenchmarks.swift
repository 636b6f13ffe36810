import BlindReviewCore
import BlindReviewReport
import Foundation
import SeededRandom

/// The full JSON report for 10,000 pairs x 5 annotators x 4 criteria with B = 1000 bootstrap.
enum ReportBenchmarks {
    static func run(folder: URL) throws {
        let store = try prepare(folder: folder)
        var size = 0
        let result = try Stopwatch.median(runs: 3) {
            let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 1000, seed: 1)
            size = report.json().rendered().utf8.count
        }
        Stopwatch.report("report: JSON, 10,000 pairs x 5 annotators x 4 criteria, B = 1000", result, goal: 3.0)
        print("    (\(size) bytes of JSON; 500,000 journal events read)")
    }

    /// Where the time goes: each part of the report on its own (one run each).
    static func parts(folder: URL) throws {
        let store = try prepare(folder: folder)
        let (study, hash) = try store.load()
        let key = try StudyStore.loadKey(at: store.defaultKeyFile, for: study)
        var items: [String: StudyItem] = [:]
        for item in try store.loadItems(for: study).all() { items[item.id] = item }
        func time(_ name: String, _ body: () -> Void) {
            let start = Date()
            body()
            print(String(format: "    %-28@ %7.0f ms", name as NSString, Date().timeIntervalSince(start) * 1000))
        }
        var journals: StudyJournals!
        time("load journals") { journals = StudyJournals.load(store: store, study: study, studySHA256: hash) }
        var votes: StudyVotes!
        time("collect votes") { votes = StudyVotes.collect(study: study, journals: journals.journals, repeats: RepeatMap(study: study, key: key)) }
        var agreement: AgreementSection!
        time("agreement") { agreement = AgreementSection.compute(study: study, votes: votes, bootstrap: 1000, seed: 1) }
        time("annotators") { _ = AnnotatorQuality.compute(votes: votes, kappas: agreement.preference?.cohen ?? [], pairOrder: study.itemIndex(), bootstrap: 1000, seed: 1) }
        time("results") { _ = ModelComparison.compute(study: study, items: items, key: key, votes: votes, bootstrap: 1000, seed: 1) }
    }

    @discardableResult
    static func prepare(folder: URL) throws -> StudyStore {
        var rng = SplitMix64(seed: 11)
        let pairs = (0..<10_000).map { i in
            CandidatePair(sourceID: "q\(i)", prompt: [.user("question \(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: [String(repeating: "word ", count: 20 + rng.below(60))]),
                          second: ModelResponse(model: "tuned", turns: [String(repeating: "word ", count: 20 + rng.below(60))]))
        }
        let annotators = ["a1", "a2", "a3", "a4", "a5"]
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "report", seed: 3, annotators: annotators))
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/report"))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let hash = SHA256Digest.hex(of: built.studyData)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Each annotator scores every response on every criterion and states a preference; tuned is a bit better.
        for annotator in annotators {
            var out = String(decoding: CanonicalJSON.encode(JournalHeader(study: "report", studySHA256: hash, annotator: annotator, created: nil)), as: UTF8.self) + "\n"
            var seq = 0
            func add(_ event: JournalEvent) throws {
                var event = event
                seq += 1
                event.seq = seq
                event.t = "2026-11-22T10:00:00.000Z"
                out += String(decoding: try encoder.encode(event), as: UTF8.self) + "\n"
            }
            for (slot, entry) in built.study.plan(for: annotator)!.queue.enumerated() {
                let quality = [entry.a, entry.b].map { built.key.model(pair: entry.item, response: $0) == "tuned" ? 4 : 3 }
                for (index, response) in [entry.a, entry.b].enumerated() {
                    for criterion in built.study.rubric.criteria {
                        try add(.rating(slot: slot, item: entry.item, response: response, criterion: criterion.id, value: max(1, min(5, quality[index] + rng.below(3) - 1))))
                    }
                }
                let pick = rng.below(10)
                try add(.preference(slot: slot, item: entry.item, option: pick < 2 ? "tie" : (quality[0] > quality[1]) == (pick < 7) ? "a" : "b"))
                try add(JournalEvent(type: .leave, slot: slot, item: entry.item, activeSeconds: Double(20 + rng.below(40))))
            }
            try Data(out.utf8).write(to: store.journalFile(for: annotator))
        }
        return store
    }
}
