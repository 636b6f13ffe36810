import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// Gold accuracy in the report, gold pairs out of the results by default, and `--adjudicated` results.
final class GoldAndAdjudicationReportTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!
    var key: StudyKey!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-gold-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = StudyStore(folder: folder.appendingPathComponent("sessions/g"))
        let pairs = (0..<10).map { i in
            CandidatePair(sourceID: "p\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["short \(i)"]),
                          second: ModelResponse(model: "tuned", turns: ["a longer answer \(i)"]))
        }
        let goldURL = folder.appendingPathComponent("gold.jsonl")
        try Data("""
            {"id": "p0", "better": "tuned"}
            {"id": "p1", "better": "base", "min_score": 4}
            {"id": "p2", "better": "tuned"}

            """.utf8).write(to: goldURL)
        var options = StudyOptions(name: "g", seed: 11, annotators: ["ann", "bo", "cy"])
        options.gold = try GoldList.load(path: goldURL.path, bySide: false)
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: options)
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
        key = built.key
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Records choices by source id ("tie" for a tie, else the model preferred) with every score `scores(model)`.
    func judge(_ annotator: String, _ choices: [String: String], plan: AnnotatorPlan? = nil, scores: (String, String) -> Int = { _, _ in 4 }) throws {
        let plan = plan ?? study.plan(for: annotator)!
        let writer = try JournalWriter.open(store: store, study: study.plan(for: annotator) == nil ? study.adding(plan) : study, studySHA256: hash, annotator: annotator)
        for (slot, entry) in plan.queue.enumerated() {
            let source = key.pairs[entry.item]!.sourceID
            guard let choice = choices[source] else { continue }
            for response in [entry.a, entry.b] {
                for criterion in study.rubric.criteria {
                    try writer.append(.rating(slot: slot, item: entry.item, response: response, criterion: criterion.id, value: scores(source, key.model(pair: entry.item, response: response)!)))
                }
            }
            let option = choice == "tie" ? "tie" : key.model(pair: entry.item, response: entry.a) == choice ? "a" : "b"
            try writer.append(.preference(slot: slot, item: entry.item, option: option))
        }
    }

    func everyPair(_ model: String) -> [String: String] { Dictionary(uniqueKeysWithValues: (0..<10).map { ("p\($0)", model) }) }

    func testGoldAccuracyWithTiesAsMissesMinimumScoreAndThreshold() throws {
        var ann = everyPair("tuned"); ann["p1"] = "base"                 // right on all three
        var bo = everyPair("tuned"); bo["p0"] = "tie"; bo["p1"] = "base"   // p0 a tie (miss); p1 base scored 3 < 4 (miss)
        try judge("ann", ann)
        try judge("bo", bo, scores: { source, model in source == "p1" && model == "base" ? 3 : 4 })
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0)
        let gold = try XCTUnwrap(report.gold)
        XCTAssertEqual(gold.goldPairs, 3)
        XCTAssertEqual(gold.threshold, 0.7)
        let rows = Dictionary(uniqueKeysWithValues: gold.annotators.map { ($0.annotator, $0) })
        XCTAssertEqual([rows["ann"]!.correct, rows["ann"]!.judged], [3, 3])
        XCTAssertEqual([rows["bo"]!.correct, rows["bo"]!.judged], [1, 3])
        XCTAssertEqual(rows["cy"]!.judged, 0)
        XCTAssertNil(rows["cy"]!.accuracy)
        XCTAssertEqual(gold.flagged, ["bo"], "1/3 is below 0.7; no gold judgment is no flag")
        // Wilson 95% for 1 of 3, by hand: centre (1/3 + z²/6)/(1 + z²/3), half-width z·sqrt(p(1-p)/3 + z²/36)/(1 + z²/3).
        let z = 1.959963984540054, p = 1.0 / 3, d = 1 + z * z / 3
        let centre = (p + z * z / 6) / d, half = z * (p * (1 - p) / 3 + z * z / 36).squareRoot() / d
        XCTAssertEqual(rows["bo"]!.wilson!.low, centre - half, accuracy: 1e-12)
        XCTAssertEqual(rows["bo"]!.wilson!.high, centre + half, accuracy: 1e-12)
        XCTAssertTrue(report.text().contains("bo: 1 of 3 right, 0.33"))
        XCTAssertTrue(report.text().contains("BELOW THRESHOLD"))
        let json = report.json().rendered()
        XCTAssertTrue(json.contains("\"below_threshold\":true") || json.contains("\"below_threshold\": true"))

        // A lower threshold flags nobody.
        var choices = ReportChoices()
        choices.goldThreshold = 0.3
        XCTAssertEqual(try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0, choices: choices).gold?.flagged, [])
    }

    func testGoldPairsAreLeftOutOfTheResultsUnlessAsked() throws {
        var ann = everyPair("tuned"); ann["p1"] = "base"
        try judge("ann", ann)
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0)
        let pair = try XCTUnwrap(report.results?.pairs.first)
        XCTAssertEqual([pair.wins, pair.ties, pair.losses], [7, 0, 0], "p3-p9 only")
        XCTAssertEqual(report.goldLeftOut, 3)
        XCTAssertTrue(report.text().contains("3 gold pairs left out of the results"))
        XCTAssertEqual(report.coverage[1], 10, "coverage and agreement keep every pair")
        var choices = ReportChoices()
        choices.includeGold = true
        let all = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0, choices: choices)
        XCTAssertEqual([all.results!.pairs[0].wins, all.results!.pairs[0].losses], [9, 1])
        XCTAssertEqual(all.goldLeftOut, 0)
    }

    func testAdjudicatedVerdictsReplaceThePeoplesVotesOnSettledPairsOnly() throws {
        var ann = everyPair("tuned"), bo = everyPair("tuned")
        ann["p5"] = "base"; bo["p5"] = "tuned"     // disputed
        bo["p6"] = "base"                          // disputed
        try judge("ann", ann)
        try judge("bo", bo)
        let plan = try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: study)
        try judge("lead", ["p5": "base", "p6": "tie", "p0": "base"], plan: plan)  // p0 is gold: stays out of the results

        let plain = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0)
        XCTAssertNil(plain.adjudication)
        XCTAssertEqual([plain.results!.pairs[0].wins, plain.results!.pairs[0].ties, plain.results!.pairs[0].losses], [12, 0, 2], "p3-p9, two votes each")

        var choices = ReportChoices()
        choices.adjudicated = true
        let settled = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0, choices: choices)
        // p0's verdict is on a gold pair, which the results leave out: the summary counts the two it uses.
        XCTAssertEqual(settled.adjudication?.settled, 2)
        XCTAssertEqual(settled.adjudication?.settledGold, 1)
        XCTAssertEqual(settled.adjudication?.adjudicators, ["lead"])
        // p3, p4, p7, p8, p9: 10 tuned votes; p5: lead says base; p6: lead says tie.
        XCTAssertEqual([settled.results!.pairs[0].wins, settled.results!.pairs[0].ties, settled.results!.pairs[0].losses], [10, 1, 1])
        XCTAssertTrue(settled.text().contains("adjudicated: 2 pairs decided by lead in place of the people's votes (and 1\n    gold pair, left out"), settled.text())
        XCTAssertEqual(settled.goldLeftOut, 3)
        // Agreement is the people's either way.
        XCTAssertEqual(settled.agreement.preference?.pairwiseStrict.estimate.value, plain.agreement.preference?.pairwiseStrict.estimate.value)
        XCTAssertEqual(settled.annotators.map(\.annotator), ["ann", "bo", "cy"])
    }

    /// The adjudicator's queue: flagged pairs first, then disputed ones from the least agreement up, as `report`
    /// ranks them; each person's verdict and scores turned to the adjudicator's own sides.
    func testAdjudicationQueueRanksAndMapsVerdictsToTheAdjudicatorsSides() throws {
        var ann = everyPair("tuned"), bo = everyPair("tuned"), cy = everyPair("tuned")
        ann["p5"] = "base"                   // p5: 1-1 (ann, bo) plus cy tuned -> 2-1
        bo["p6"] = "base"; ann["p6"] = "base" // p6: 2-1 the other way
        ann["p4"] = "base"; cy["p4"] = "tie"  // p4: one each: base, tuned, tie (least agreement)
        try judge("ann", ann, scores: { _, model in model == "base" ? 2 : 5 })
        try judge("bo", bo)
        try judge("cy", cy)
        let cyWriter = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "cy")
        let p8 = study.plan(for: "cy")!.queue.enumerated().first { key.pairs[$0.element.item]!.sourceID == "p8" }!
        try cyWriter.append(.flag(slot: p8.offset, item: p8.element.item, reason: .broken, note: "cut off"))

        let plan = try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: study)
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        var items: [String: StudyItem] = [:]
        for item in try store.loadItems(for: study).all() { items[item.id] = item }
        let brief = AdjudicationQueue.brief(study: study, items: items, key: key, journals: journals, plan: plan)
        let sources = brief.slots.map { key.pairs[plan.queue[$0].item]!.sourceID }
        XCTAssertEqual(sources.first, "p8", "flagged first")
        // p4 (base, tuned, tie) and the 2-1 pairs all score 1/3 with a tie as half: the report's order decides.
        XCTAssertEqual(Set(sources.dropFirst()), ["p4", "p5", "p6"])
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: true, bootstrap: 0)
        XCTAssertEqual(Array(brief.slots.dropFirst().map { plan.queue[$0].item }), report.agreement.disputed.map(\.item))
        XCTAssertEqual(brief.pairs[brief.slots[0]]?.reason, "flagged: broken (cy)")
        func slot(_ source: String) -> Int { brief.slots[sources.firstIndex(of: source)!] }
        XCTAssertEqual(brief.pairs[slot("p5")]?.reason, "disputed: 2-1")
        XCTAssertEqual(brief.pairs[slot("p4")]?.reason, "disputed: 1-1, 1 tie")

        let p5 = slot("p5"), entry = plan.queue[p5]
        let verdicts = Dictionary(uniqueKeysWithValues: brief.pairs[p5]!.verdicts.map { ($0.annotator, $0) })
        let annVerdict = try XCTUnwrap(verdicts["ann"])
        let side = try XCTUnwrap(annVerdict.side)
        XCTAssertEqual(key.model(pair: entry.item, response: entry.response(on: side)), "base", "ann's choice, on the lead's side")
        XCTAssertEqual(annVerdict.choice, side == .a ? "A is better" : "B is better")
        let accuracy = annVerdict.scores[0]
        XCTAssertEqual(accuracy.a, key.model(pair: entry.item, response: entry.a) == "base" ? 2 : 5)
        XCTAssertEqual(accuracy.b, key.model(pair: entry.item, response: entry.b) == "base" ? 2 : 5)
        XCTAssertEqual(verdicts["bo"]?.side, side == .a ? .b : .a)
        XCTAssertEqual(brief.pairs[brief.slots[0]]?.verdicts.first { $0.annotator == "cy" }?.flag, "broken: cut off")
        let p4 = brief.pairs[slot("p4")]!.verdicts.first { $0.annotator == "cy" }!
        XCTAssertEqual([p4.choice, p4.side.map(\.rawValue)], ["Tie", nil])
        // The footer's line names sides only, never a model.
        let line = try XCTUnwrap(brief.summary(slot: p5))
        XCTAssertTrue(line.hasPrefix("disputed: 2-1 · ann \(side.label) · bo "), line)
        XCTAssertFalse(line.contains("base") || line.contains("tuned"))
    }
}
