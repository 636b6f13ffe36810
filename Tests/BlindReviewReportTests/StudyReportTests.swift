import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

final class StudyReportTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!
    var key: StudyKey!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-report-\(UUID().uuidString.prefix(8))")
        store = StudyStore(folder: folder.appendingPathComponent("sessions/r"))
        let pairs = (0..<10).map { i in
            CandidatePair(sourceID: "p\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["short \(i)"]),
                          second: ModelResponse(model: "tuned", turns: ["a much longer answer \(i)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "r", seed: 4, annotators: ["ann", "bo"], repeats: 2))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
        key = built.key
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Records `annotator`'s judgments: for each pair id, the model preferred ("tie" for a tie) and scores.
    func judge(_ annotator: String, _ choices: [String: String], scores: (String) -> Int = { _ in 3 }) throws {
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() {
            guard let choice = choices[key.pairs[entry.item]!.sourceID] else { continue }
            for response in [entry.a, entry.b] {
                for criterion in study.rubric.criteria {
                    try writer.append(.rating(slot: slot, item: entry.item, response: response, criterion: criterion.id, value: scores(key.model(pair: entry.item, response: response)!)))
                }
            }
            let option: String
            if choice == "tie" { option = "tie" } else { option = key.model(pair: entry.item, response: entry.a) == choice ? "a" : "b" }
            try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: option))
            try writer.append(JournalEvent(type: .leave, slot: slot, item: entry.item, activeSeconds: annotator == "ann" ? 30 : 40))
        }
    }

    func testHandCheckedTwoAnnotatorReport() throws {
        // ann prefers tuned on 8 pairs, base on p8, tie on p9; bo agrees except p7 (base) and p9 (tuned).
        var ann: [String: String] = [:], bo: [String: String] = [:]
        for i in 0..<10 { ann["p\(i)"] = "tuned"; bo["p\(i)"] = "tuned" }
        ann["p8"] = "base"; bo["p8"] = "base"
        ann["p9"] = "tie"
        bo["p7"] = "base"
        try judge("ann", ann, scores: { $0 == "tuned" ? 4 : 2 })
        try judge("bo", bo, scores: { $0 == "tuned" ? 5 : 3 })
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 200)

        XCTAssertEqual(report.coverage[2], 10)
        let pref = report.agreement.preference!
        XCTAssertEqual(pref.items, 10)
        assertClose(pref.pairwiseStrict.estimate, 0.8)              // 8 of 10 pairs agree
        assertClose(pref.pairwiseRelaxed.estimate, 0.85)            // p9: tie vs win = 0.5; p7: 0
        XCTAssertNotNil(pref.pairwiseStrict.interval?.low)
        XCTAssertEqual(pref.cohen.count, 1)
        XCTAssertEqual(Set(report.agreement.disputed.map { key.pairs[$0.item]!.sourceID }), ["p7", "p9"])

        let results = report.results!
        XCTAssertEqual(results.pairs.count, 1)
        let pair = results.pairs[0]
        XCTAssertEqual([pair.first, pair.second], ["tuned", "base"], "the later model leads: does tuned beat base?")
        XCTAssertEqual([pair.wins, pair.ties, pair.losses], [16, 1, 3])
        XCTAssertEqual(pair.winRateTiesHalf!, 16.5 / 20, accuracy: 1e-12)
        XCTAssertEqual(pair.winRateNoTies!, 16.0 / 19, accuracy: 1e-12)
        // Pair-cluster inference: per-pair differences (tuned - base votes) are +2 on p0-p6, 0 on p7, -2 on p8 and
        // +1 on p9 (a tie and a tuned vote); the test flips their signs, counted here by brute force.
        let differences = [2, 2, 2, 2, 2, 2, 2, 0, -2, 1]
        var extreme = 0
        for pattern in 0..<1024 {
            let sum = differences.enumerated().reduce(0) { $0 + (pattern >> $1.offset & 1 == 1 ? -$1.element : $1.element) }
            if abs(sum) >= 13 { extreme += 1 }
        }
        XCTAssertEqual(pair.inference.test.p, Double(extreme) / 1024, accuracy: 1e-12)
        XCTAssertEqual(pair.inference.test.method, "exact")
        XCTAssertEqual(pair.inference.pairs, 10)
        XCTAssertEqual(pair.inference.votes, 20)
        XCTAssertEqual(pair.pHolm!, pair.inference.test.p, accuracy: 1e-15, "one comparison: Holm changes nothing")
        XCTAssertNotNil(pair.inference.designEffect)
        XCTAssertEqual(pair.inference.intervalNoTies?.resampled, "pairs with all their votes")
        XCTAssertEqual([pair.majorityWins, pair.majorityTies, pair.majorityLosses, pair.split], [7, 0, 1, 2])
        let accuracy = results.criteria.first { $0.criterion == "accuracy" }!
        XCTAssertEqual(accuracy.means.map(\.model), ["base", "tuned"])
        XCTAssertEqual(accuracy.means[0].mean, 2.5, accuracy: 1e-12)
        XCTAssertEqual(accuracy.means[1].mean, 4.5, accuracy: 1e-12)
        XCTAssertEqual(accuracy.differences[0].meanDifference, 2, accuracy: 1e-12, "tuned minus base")
        XCTAssertLessThan(accuracy.differences[0].p!, 0.01)
        XCTAssertEqual(results.longerPreferred!, 16.0 / 19, accuracy: 1e-12, "tuned's answers are the longer ones")
        XCTAssertEqual(results.lengthTiesLeftOut, 1)
        // Scores favour tuned, so the 3 base votes go against the rubric totals: 16 of 19 consistent.
        XCTAssertEqual(results.consistency.last!.share!, 16.0 / 19, accuracy: 1e-12)

        let ann2 = report.annotators.first { $0.annotator == "ann" }!
        XCTAssertEqual(ann2.judged, 10)
        XCTAssertEqual(ann2.medianSeconds, 30)
        XCTAssertFalse(ann2.tooFast)
        let decided = study.plan(for: "ann")!.queue.filter { ann[key.pairs[$0.item]!.sourceID] != "tie" }.count
        XCTAssertEqual(ann2.sideChoices, decided, "every non-tie choice, hidden repeats included")

        let text = report.text()
        XCTAssertTrue(text.contains("RESULTS (unblinded)") && text.contains("tuned vs base") && text.contains("Wilson 95%"), text)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        let json = try JSONSerialization.jsonObject(with: Data(report.json().rendered().utf8)) as! [String: Any]
        XCTAssertEqual(json["blind"] as? Bool, false)
        XCTAssertNotNil((json["results"] as? [String: Any])?["pairs"])
        XCTAssertNotNil((json["agreement"] as? [String: Any])?["preference"])
    }

    func testMarkdownAndHTMLStructure() throws {
        var ann: [String: String] = [:], bo: [String: String] = [:]
        for i in 0..<10 { ann["p\(i)"] = i < 7 ? "tuned" : "base"; bo["p\(i)"] = i < 6 ? "tuned" : "tie" }
        try judge("ann", ann, scores: { $0 == "tuned" ? 4 : 3 })
        try judge("bo", bo)
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 100)
        let markdown = report.markdown()
        for fragment in ["# blindreview report: r", "## Coverage", "## Agreement", "### Preference (10 pairs)", "| Fleiss' kappa |", "## Annotators", "## Results", "| **tuned** vs base | 13 / 4 / 3 |", "### Accuracy"] {
            XCTAssertTrue(markdown.contains(fragment), "markdown lacks \(fragment)")
        }
        let html = report.html()
        XCTAssertTrue(html.hasPrefix("<!doctype html>"))
        XCTAssertTrue(html.contains("</html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 1 + 4 + 1, "win rates, four score distributions, the heatmap")
        XCTAssertFalse(html.contains("<script") || html.contains("src=\"http") || html.contains("href=\"http") || html.contains("@import"), "self-contained")
        // Readable on a phone: a viewport, charts that scale to the width, tables that scroll in their own box.
        XCTAssertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        XCTAssertEqual(html.components(separatedBy: "<svg viewBox=\"0 0 ").count, html.components(separatedBy: "<svg").count)
        XCTAssertEqual(html.components(separatedBy: "<div class=\"scroll\"><table>").count, html.components(separatedBy: "<table>").count)
        XCTAssertTrue(html.contains("svg{max-width:100%;height:auto}"))
        // A header that says what this is, from nothing derived from the key.
        XCTAssertTrue(html.contains("by blindreview \(BlindReviewVersion.current) · study id <code>\(study.studyID!)</code> · seeded"), html)
        // The heatmap's diagonal is blank and the scale has a legend.
        XCTAssertFalse(html.contains(">–</text>"), "no value on the diagonal")
        XCTAssertTrue(html.contains(">kappa</text>") && html.contains(">≤ 0</text>"))
        // A hostile annotator or model name is escaped, not interpreted.
        var hostile = report
        hostile.study.name = "<script>alert(1)</script>"
        XCTAssertFalse(hostile.html().contains("<script>alert"))
        XCTAssertTrue(hostile.html().contains("&lt;script&gt;"))
    }

    func testBlindReportNamesNoModel() throws {
        try judge("ann", ["p1": "tuned", "p2": "base"])
        try judge("bo", ["p1": "tuned", "p2": "tuned"])
        let report = try StudyReport.build(store: store, keyFile: nil, blind: true, bootstrap: 50)
        XCTAssertNil(report.results)
        let everything = report.text() + report.json().rendered() + report.markdown() + report.html()
        XCTAssertFalse(everything.contains("base") || everything.contains("tuned"))
    }

    func testKeyOfAnotherStudyIsRefused() throws {
        let other = StudyStore(folder: folder.appendingPathComponent("sessions/o"))
        let built = try StudyBuilder.build(pairs: [CandidatePair(sourceID: "x", prompt: [.user("q")], reference: nil, first: ModelResponse(model: "m1", turns: ["a"]), second: ModelResponse(model: "m2", turns: ["b"]))], models: ["m1", "m2"], options: StudyOptions(name: "o", seed: 1, annotators: ["ann"]))
        try other.create(built, keyFile: other.defaultKeyFile, force: false)
        XCTAssertThrowsError(try StudyReport.build(store: store, keyFile: other.defaultKeyFile, blind: false)) { error in
            XCTAssertTrue("\(error)".contains("does not belong to study \"r\""), "\(error)")
        }
    }

    func testEmptyStudyAndOneAnnotatorAreNotApplicableNotACrash() throws {
        let empty = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 50)
        XCTAssertEqual(empty.coverage[0], 10)
        XCTAssertNotNil(empty.agreement.notApplicable)
        XCTAssertEqual(empty.results?.pairs.count, 0)
        XCTAssertTrue(empty.text().contains("not applicable"))
        try judge("ann", ["p1": "tuned", "p2": "base", "p3": "tie"])
        let one = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 50)
        XCTAssertTrue(one.agreement.notApplicable!.contains("two or more annotators"))
        XCTAssertEqual(one.results!.pairs[0].wins + one.results!.pairs[0].losses + one.results!.pairs[0].ties, 3)
        _ = one.json().rendered()
    }

    func testSelfConsistencyAndPositionBias() throws {
        // ann always picks the left response, so repeats (sides swapped) flip: self-consistency 0.
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "ann")
        for (slot, entry) in study.plan(for: "ann")!.queue.enumerated() {
            try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: "a"))
        }
        // Only the key tells hidden repeats apart; a blind report reads it for that alone.
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: true, bootstrap: 0)
        XCTAssertNil(report.results)
        let ann = report.annotators.first { $0.annotator == "ann" }!
        XCTAssertEqual(ann.repeatsCompared, 2)
        XCTAssertEqual(ann.selfConsistency, 0)
        XCTAssertEqual(ann.leftShare, 1)
        XCTAssertEqual(ann.sideChoices, 12)
        // Clustered by pair: 8 pairs with one left choice, 2 (the repeated ones) with two; all on one side.
        XCTAssertEqual(ann.leftP!, 2 * pow(0.5, 10), accuracy: 1e-15)
        XCTAssertEqual(ann.selfConsistencyWilson!.low, 0, accuracy: 1e-12)
        XCTAssertTrue(ann.tooFewRepeats)
        XCTAssertTrue(report.text().contains("too few repeats"))
    }

    func assertClose(_ estimate: Estimate, _ expected: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(estimate.value ?? .nan, expected, accuracy: 1e-12, file: file, line: line)
    }
}

extension StudyReportTests {
    /// QA: the text report cut the self-consistency column ("0.00 of 2 [0.00,0.66") at its field width.
    func testSelfConsistencyColumnIsNotCut() throws {
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "ann")
        for (slot, entry) in study.plan(for: "ann")!.queue.enumerated() {
            try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: "a"))
        }
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 0)
        let line = try XCTUnwrap(report.text().split(separator: "\n").first { $0.hasPrefix("  ann ") && $0.contains("[") })
        XCTAssertTrue(line.contains("0.00/2 [0.00,0.66]*"), String(line))
        XCTAssertTrue(report.text().contains("*: too few repeats"))
    }
}
