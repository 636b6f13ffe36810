import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// "Judge against people" on a study small enough to compute by hand.
final class JudgeSectionTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!
    var key: StudyKey!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-judge-\(UUID().uuidString.prefix(8))")
        store = StudyStore(folder: folder.appendingPathComponent("sessions/j"))
        let pairs = (0..<6).map { i in
            CandidatePair(sourceID: "p\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["short \(i)"]),
                          second: ModelResponse(model: "tuned", turns: ["a much longer answer \(i)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "j", seed: 8, annotators: ["ann", "bo"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
        key = built.key
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// A person's preferences in model terms ("tie" for a tie), by source id.
    func person(_ annotator: String, _ choices: [String: String]) throws {
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() {
            guard let choice = choices[key.pairs[entry.item]!.sourceID] else { continue }
            let option = choice == "tie" ? "tie" : key.model(pair: entry.item, response: entry.a) == choice ? "a" : "b"
            try writer.append(.preference(slot: slot, item: entry.item, option: option))
        }
    }

    /// The judge's verdict in each order (stored order first, then swapped): a model name, "tie", "A"/"B" (the
    /// side shown first or second, whatever model it is), "error", or "-" (no verdict in that order).
    func judge(_ name: String, _ verdicts: [String: (String, String)]) throws {
        let journal = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: name)
        defer { journal.close() }
        for (index, item) in study.itemIDs.enumerated() {
            guard let spec = verdicts[key.pairs[item]!.sourceID] else { continue }
            for (swapped, verdict) in [(false, spec.0), (true, spec.1)] where verdict != "-" {
                let slot = DerivedQueue.judgeSlot(pairIndex: index, swapped: swapped)
                let entry = journal.plan.queue[slot]
                switch verdict {
                case "error": try journal.writer.append(.verdictError(slot: slot, item: item, source: .judge, details: "unparsable"))
                case "tie", "A", "B": try journal.writer.append(.preference(slot: slot, item: item, option: verdict == "tie" ? "tie" : verdict.lowercased()))
                default: try journal.writer.append(.preference(slot: slot, item: item, option: key.model(pair: item, response: entry.a) == verdict ? "a" : "b"))
                }
            }
        }
    }

    func setUpVotes() throws {
        try person("ann", ["p0": "tuned", "p1": "base", "p2": "tie", "p3": "tuned", "p4": "tie", "p5": "tuned"])
        try person("bo", ["p0": "tuned", "p1": "tuned", "p2": "tuned", "p3": "tie", "p4": "base", "p5": "base"])
        try judge("gpt4", [
            "p0": ("tuned", "tuned"), "p1": ("tuned", "tuned"), "p2": ("tie", "tie"),
            "p3": ("A", "A"), "p4": ("tie", "A"), "p5": ("A", "error"),
        ])
    }

    func testHandComputedJudgeSection() throws {
        try setUpVotes()
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 200, seed: 3)
        let section = try XCTUnwrap(report.judge)
        let judge = try XCTUnwrap(section.judges.first)
        XCTAssertEqual(judge.name, "gpt4")
        XCTAssertEqual(judge.verdicts, 12)
        XCTAssertEqual(judge.errors, 1)
        XCTAssertEqual(judge.pairs, 6)
        XCTAssertEqual(judge.pairsWithVerdict, 5, "p5 holds an error")
        // Position: p0-p2 consistent (2 tuned, 1 tie), p3 first position, p4 a tie in one order, p5 an error.
        let position = judge.position
        XCTAssertEqual(position.bothOrders, 6)
        XCTAssertEqual(position.consistent, 3)
        XCTAssertEqual(position.consistentTies, 1)
        XCTAssertEqual(position.consistentByModel, ["tuned": 2])
        XCTAssertEqual(position.firstPosition, 1)
        XCTAssertEqual(position.secondPosition, 0)
        XCTAssertEqual(position.tieInOneOrder, 1)
        XCTAssertEqual(position.withError, 1)
        // First shown: p0 and p1 one each way, p3 twice, p4 and p5 once: 6 of 8 non-tie verdicts.
        XCTAssertEqual(position.firstShare.winRateNoTies!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(position.firstShare.votes, 11, "8 decided verdicts and 3 ties (p2 twice, p4 once)")
        XCTAssertNotNil(position.firstShare.intervalNoTies)

        // Pair verdicts (both orders, else a tie): tuned, tuned, tie, tie, tie; none for p5.
        let byName = Dictionary(uniqueKeysWithValues: judge.agreement.map { ($0.against, $0) })
        let ann = try XCTUnwrap(byName["ann"]).result
        XCTAssertEqual(ann.pairs, 5)
        XCTAssertEqual(ann.withTies!, 0.6, accuracy: 1e-12)
        XCTAssertEqual(ann.withoutTies!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(ann.comparisonsWithoutTies, 2)
        // Judge 2 of 5 decided, 3 ties; ann 3 decided, 2 ties: chance 2(0.2)(0.3) + 0.6(0.4) = 0.36.
        XCTAssertEqual(ann.kappa.value!, (0.6 - 0.36) / (1 - 0.36), accuracy: 1e-12)
        let bo = try XCTUnwrap(byName["bo"]).result
        XCTAssertEqual(bo.withTies!, 0.6, accuracy: 1e-12)
        XCTAssertEqual(bo.withoutTies!, 1.0, accuracy: 1e-12)
        XCTAssertEqual(bo.kappa.value!, (0.6 - 0.28) / (1 - 0.28), accuracy: 1e-12)
        let majority = try XCTUnwrap(byName["majority"])
        XCTAssertEqual(majority.result.pairs, 1, "only p0 has a majority of the two people")
        XCTAssertEqual(majority.noMajority, 4)
        XCTAssertEqual(majority.result.withTies!, 1.0, accuracy: 1e-12)
        // People with each other: agree on p0 only (1 of 6); without ties p0, p1, p5 count: 1 of 3.
        let people = try XCTUnwrap(section.people).result
        XCTAssertEqual(people.withTies!, 1.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(people.withoutTies!, 1.0 / 3, accuracy: 1e-12)

        // Win rates of tuned: consistent verdicts 2 wins and 1 tie; every pair verdict 2 wins, 3 ties.
        let rate = try XCTUnwrap(judge.winRates.first)
        XCTAssertEqual([rate.first, rate.second], ["tuned", "base"])
        XCTAssertEqual(rate.consistent.winRateTiesHalf!, 2.5 / 3, accuracy: 1e-12)
        XCTAssertEqual(rate.consistent.winRateNoTies!, 1.0, accuracy: 1e-12)
        XCTAssertEqual(rate.consistentCounts.wins, 2)
        XCTAssertEqual(rate.consistentCounts.ties, 1)
        XCTAssertEqual(rate.conservative.winRateTiesHalf!, 3.5 / 5, accuracy: 1e-12)
        // People: 6 wins, 3 ties, 3 losses for tuned, unchanged by the judge.
        XCTAssertEqual(report.results!.pairs[0].winRateTiesHalf!, 7.5 / 12, accuracy: 1e-12)
        XCTAssertEqual(report.study.annotators.count, 2, "the judge is not a person")
        XCTAssertEqual(judge.lengthVotes, 8)

        // Every format carries the section with the same figures.
        let text = report.text()
        XCTAssertTrue(text.contains("JUDGE AGAINST PEOPLE: GPT4"), text)
        XCTAssertTrue(text.contains("favoured whichever response was shown first: pairs 1; share 0.17"), text)
        XCTAssertTrue(text.contains("66%"), text)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        let markdown = report.markdown()
        XCTAssertTrue(markdown.contains("## Judge against people: gpt4"), markdown)
        XCTAssertTrue(markdown.contains("| ann | 5 | 0.60 \\[0."), markdown)
        XCTAssertTrue(report.html().contains("<h2>Judge against people: gpt4</h2>"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json().rendered().utf8)) as? [String: Any])
        let judges = try XCTUnwrap(json["judges"] as? [[String: Any]])
        let consistency = try XCTUnwrap(judges[0]["position_consistency"] as? [String: Any])
        XCTAssertEqual(consistency["consistent"] as? Int, 3)
        XCTAssertEqual(consistency["first_position"] as? Int, 1)
        XCTAssertEqual(consistency["error"] as? Int, 1)
        XCTAssertEqual(judges[0]["errors"] as? Int, 1)
    }

    /// Gold pairs are left out of the people's win rate by default; the judge's win rate, printed beside it,
    /// leaves them out too (it counted them, so the two figures were over different pairs).
    func testJudgeWinRateLeavesOutGoldPairsLikeThePeoples() throws {
        try? FileManager.default.removeItem(at: folder)
        let pairs = (0..<6).map { i in
            CandidatePair(sourceID: "p\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["short \(i)"]),
                          second: ModelResponse(model: "tuned", turns: ["a much longer answer \(i)"]))
        }
        var options = StudyOptions(name: "j", seed: 8, annotators: ["ann", "bo"])
        options.gold = GoldList(file: "gold.jsonl", entries: [.init(line: 1, sourceID: "p0", better: "tuned")], bySide: false)
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: options)
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
        key = built.key
        try setUpVotes()
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 50, seed: 3)
        let rate = try XCTUnwrap(report.judge?.judges.first?.winRates.first)
        // Without p0 (gold): consistent verdicts p1 tuned, p2 tie, p3 first-position (not consistent): 1 win, 1 tie.
        XCTAssertEqual(rate.consistentCounts.wins, 1)
        XCTAssertEqual(rate.consistentCounts.ties, 1)
        XCTAssertEqual(rate.consistent.winRateTiesHalf!, 1.5 / 2, accuracy: 1e-12)
        // Every pair verdict without p0: p1 tuned, p2 tie, p3 tie, p4 tie (p5 holds an error).
        XCTAssertEqual(rate.conservative.winRateTiesHalf!, 2.5 / 4, accuracy: 1e-12)
        XCTAssertEqual(report.goldLeftOut, 1)
        // Agreement and position still read every pair, gold included (as the people's agreement does).
        XCTAssertEqual(report.judge?.judges.first?.position.consistent, 3)

        var choices = ReportChoices()
        choices.includeGold = true
        let withGold = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 50, seed: 3, choices: choices)
        XCTAssertEqual(try XCTUnwrap(withGold.judge?.judges.first?.winRates.first).consistentCounts.wins, 2)
    }

    /// The position rows partition the pairs judged in both orders (their shares add up to one); a pair whose only
    /// verdict is an error was judged in one order only: it used to be counted as "an error in either order" of
    /// the both-order pairs, so the shares added up to more than one.
    func testAnErrorInAPairsOnlyOrderIsAOneOrderPair() throws {
        try judge("gpt4", ["p0": ("tuned", "tuned"), "p1": ("error", "-")])
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 20, seed: 3)
        let judge = try XCTUnwrap(report.judge?.judges.first)
        XCTAssertEqual(judge.errors, 1)
        let position = judge.position
        XCTAssertEqual(position.bothOrders, 1)
        XCTAssertEqual(position.consistent + position.firstPosition + position.secondPosition + position.tieInOneOrder + position.withError, position.bothOrders)
        XCTAssertEqual(position.oneOrderOnly, 1)
    }

    /// `report` shows its progress in its parts (each with its bootstrap) as well as while reading journals: a
    /// large study's report spent half a minute with nothing on screen after the journals were read.
    func testTheReportCountsEachOfItsPartsOnce() throws {
        let computing = ProgressReporter(label: "computing", total: nil, unit: "parts", quiet: true, estimates: false)
        for keyFile in [store.defaultKeyFile, nil] {
            _ = try StudyReport.build(store: store, keyFile: keyFile, blind: keyFile == nil, bootstrap: 20, seed: 3, computing: computing)
            XCTAssertEqual(computing.done, StudyReport.computeSteps, "every part counted once, with and without the key")
            XCTAssertEqual(computing.total, StudyReport.computeSteps)
        }
    }

    func testBlindReportShowsTheJudgeWithoutNamingAModel() throws {
        try setUpVotes()
        let report = try StudyReport.build(store: store, keyFile: nil, blind: true, bootstrap: 50, seed: 3)
        let judge = try XCTUnwrap(report.judge?.judges.first)
        XCTAssertEqual(judge.position.consistent, 3)
        XCTAssertNil(judge.position.consistentByModel)
        XCTAssertTrue(judge.winRates.isEmpty)
        for text in [report.text(), report.markdown(), report.html(), report.json().rendered()] {
            XCTAssertFalse(text.contains("tuned") || text.contains("base"), "a blind report names no model")
        }
    }

    func testIncludeJudgesCountsOneConservativeVerdictPerPair() throws {
        try setUpVotes()
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 50, seed: 3, includeJudges: true)
        XCTAssertEqual(report.judgesIncluded, ["gpt4"])
        XCTAssertEqual(report.study.annotators.map(\.name), ["ann", "bo", "gpt4"])
        // People: 6 wins, 3 ties, 3 losses; the judge adds tuned, tuned, tie, tie, tie (none for p5).
        XCTAssertEqual(report.results!.pairs[0].wins, 8)
        XCTAssertEqual(report.results!.pairs[0].ties, 6)
        XCTAssertEqual(report.results!.pairs[0].losses, 3)
        XCTAssertTrue(report.text().contains("judges counted as annotators (--include-judges): gpt4"))
        // The judge section still compares the judge with the people only.
        XCTAssertEqual(report.judge?.judges.first?.agreement.map(\.against), ["ann", "bo", "majority"])
    }
}
