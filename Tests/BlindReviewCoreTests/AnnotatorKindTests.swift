import BlindReviewCore
import Foundation
import XCTest

/// Judges and adjudicators join a study beside its people without changing `study.json` or any person's journal.
final class AnnotatorKindTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(6), models: ["base", "tuned"],
            options: StudyOptions(name: "s", seed: 3, annotators: ["alice", "bob"], perItem: 1))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testJudgeQueueShowsEveryPairInBothOrdersAtStablePositions() throws {
        let plan = try DerivedQueue.plan(name: "gpt4", kind: .judge, study: study)
        XCTAssertEqual(plan.kind, .judge)
        XCTAssertEqual(plan.queue.count, 2 * study.itemIDs.count)
        for (index, item) in study.itemIDs.enumerated() {
            let first = plan.queue[DerivedQueue.judgeSlot(pairIndex: index, swapped: false)]
            let second = plan.queue[DerivedQueue.judgeSlot(pairIndex: index, swapped: true)]
            XCTAssertEqual(first.item, item)
            XCTAssertEqual(second.item, item)
            XCTAssertLessThan(first.a, first.b, "stored order is by opaque id")
            XCTAssertEqual(first.a, second.b)
            XCTAssertEqual(first.b, second.a)
        }
        // With one annotator per pair, every pair's responses still come from some person's queue.
        let shown = Set(study.annotators.flatMap { $0.queue.map(\.item) })
        XCTAssertEqual(shown, Set(study.itemIDs))
    }

    func testAdjudicatorQueueHasOnePairPerSlotWithSidesByCoin() throws {
        let plan = try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: study)
        XCTAssertEqual(plan.queue.map(\.item), study.itemIDs)
        XCTAssertEqual(try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: study), plan, "the same every time")
        // Over many names the coin lands both ways (sides are not fixed by id order).
        let swaps = try (0..<20).map { try DerivedQueue.plan(name: "lead\($0)", kind: .adjudicator, study: study).queue[0] }
            .map { $0.a > $0.b }
        XCTAssertTrue(swaps.contains(true) && swaps.contains(false))
    }

    func testJudgeJournalLoadsApartFromPeopleAndLeavesTheirFilesAlone() throws {
        let alice = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
        let entry = study.plan(for: "alice")!.queue[0]
        try alice.append(.preference(slot: 0, item: entry.item, option: "a"))
        let studyBytes = try Data(contentsOf: store.studyFile)
        let aliceBytes = try Data(contentsOf: store.journalFile(for: "alice"))

        let plan = try DerivedQueue.plan(name: "gpt4", kind: .judge, study: study)
        let judge = try JournalWriter.open(store: store, study: study.adding(plan), studySHA256: hash, annotator: "gpt4")
        try judge.append(.preference(slot: 1, item: plan.queue[1].item, option: "b"))

        let header = try String(contentsOf: store.journalFile(for: "gpt4"), encoding: .utf8).split(separator: "\n")[0]
        XCTAssertTrue(header.contains("\"kind\":\"judge\""), String(header))
        XCTAssertFalse(try String(contentsOf: store.journalFile(for: "alice"), encoding: .utf8).contains("\"kind\""),
                       "people's headers are unchanged")
        XCTAssertEqual(try Data(contentsOf: store.studyFile), studyBytes)
        XCTAssertEqual(try Data(contentsOf: store.journalFile(for: "alice")), aliceBytes)

        let all = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(all.refused.map(\.message), [])
        XCTAssertEqual(Set(all.journals.keys), ["alice"], "a judge is not counted among the people")
        XCTAssertEqual(all.derived["gpt4"]?.kind, .judge)
        XCTAssertEqual(all.derived["gpt4"]?.plan, plan)
        XCTAssertEqual(all.derived["gpt4"]?.journal.state.slots[1].preference, "b")
    }

    func testAJournalWithoutAKindUnderAnUnknownNameIsStillRefused() throws {
        let stray = StudyStore(folder: store.folder)
        try FileManager.default.copyItem(at: store.folder.appendingPathComponent("study.json"), to: folder.appendingPathComponent("copy.json"))
        let header = JournalHeader(study: "s", studySHA256: hash, annotator: "mallory", created: nil)
        try write(String(decoding: CanonicalJSON.encode(header), as: UTF8.self) + "\n", to: stray.journalFile(for: "mallory"))
        let all = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertTrue(all.journals.isEmpty && all.derived.isEmpty)
        XCTAssertEqual(all.refused.count, 1)
        XCTAssertTrue(all.refused[0].message.contains("not an annotator"), all.refused[0].message)
    }

    func testAPersonsNameCannotBeReusedByAJudge() throws {
        let header = JournalHeader(study: "s", studySHA256: hash, annotator: "alice", created: nil, kind: .judge)
        try write(String(decoding: CanonicalJSON.encode(header), as: UTF8.self) + "\n", to: store.journalFile(for: "alice"))
        let all = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(all.refused.count, 1)
        XCTAssertTrue(all.refused[0].message.contains("is a judge's, but \"alice\" is a human"), all.refused[0].message)
    }

    func testAPersonsJournalClaimingToBeAnAdjudicatorsIsRefusedInGoodEnglish() throws {
        let header = JournalHeader(study: "s", studySHA256: hash, annotator: "alice", created: nil, kind: .adjudicator)
        try write(String(decoding: CanonicalJSON.encode(header), as: UTF8.self) + "\n", to: store.journalFile(for: "alice"))
        let all = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(all.refused.count, 1)
        XCTAssertTrue(all.journals.isEmpty && all.derived.isEmpty)
        XCTAssertTrue(all.refused[0].message.contains("is an adjudicator's, but \"alice\" is a human"), all.refused[0].message)
    }

    func testStudyJSONNamingAJudgeIsRefused() throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: store.studyFile)) as! [String: Any]
        var plans = object["annotators"] as! [[String: Any]]
        plans[0]["kind"] = "judge"
        object["annotators"] = plans
        try JSONSerialization.data(withJSONObject: object).write(to: store.studyFile)
        assertThrowsBlindReviewError(try store.load(), contains: ["study.json", "never written into study.json"])
    }
}
