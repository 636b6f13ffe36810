@testable import BlindReviewCore
@testable import BlindReviewTUI
import Foundation
import XCTest

/// A running session meets the lead's amendments through the pure update loop: the runtime reloads the study
/// and sends `.studyAmended`, and the session shows the new state at once (a withdrawn current pair is left in
/// one line; added pairs are reachable; a retired annotator's session ends).
final class AmendedSessionTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-amended-\(UUID().uuidString.prefix(8))")
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let candidates = (1...6).map { index in
            CandidatePair(
                sourceID: "q\(index)", prompt: [.user("Question \(index)?")], reference: nil,
                first: ModelResponse(model: "base", turns: ["Answer A \(index)."]), second: ModelResponse(model: "tuned", turns: ["Answer B \(index)."]))
        }
        let built = try StudyBuilder.build(pairs: candidates, models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 4, annotators: ["ann", "bo"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// A session of `annotator` on the study as it loads now.
    func session(_ annotator: String = "ann") throws -> Harness {
        var harness = try Harness()
        let (study, _) = try store.load()
        let items = try store.loadItems(for: study)
        harness.journal = []
        harness.state = AnnotationState(
            study: study, items: items, annotator: annotator, journal: JournalState(slotCount: study.plan(for: annotator)!.queue.count), width: 80, height: 24)
        let (started, effects) = AnnotationUpdate.start(harness.state, time: harness.time)
        harness.state = started
        harness.run(effects)
        return harness
    }

    func amend(_ change: (Study, StudyKey, Int) throws -> AmendmentChange, reason: String? = nil) throws {
        try AmendmentLog.withLock(store: store) {
            let (study, hash) = try store.load()
            let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
            let key = try StudyStore.loadKey(at: store.defaultKeyFile, for: study)
            try AmendmentLog.append(try change(study, key, log.entries.count + 1), reason: reason, to: log, store: store, studyID: study.studyID, studySHA256: hash)
        }
    }

    /// `amend add-pairs` with one new pair for everyone.
    func addOnePair() throws {
        try amend { study, key, seq in
            let input = ComparisonInput(
                candidates: [CandidatePair(
                    sourceID: "q9", prompt: [.user("A new question?")], reference: nil,
                    first: ModelResponse(model: "base", turns: ["New A."]), second: ModelResponse(model: "tuned", turns: ["New B."]))],
                models: ["base", "tuned"], warnings: [])
            let added = try PairAddition.build(input, study: study, key: key, seq: seq, extraLeakTerms: [])
            let url = self.store.addedItemsFile(seq: seq)
            let items = try self.store.loadItems(for: study).appending(data: added.itemsData, file: url.path, ids: added.itemIDs)
            var planner = try AmendmentPlanner(study: study, key: key, items: items, journals: [:], seq: seq)
            let appended = try planner.assignAdded(added.itemIDs, perItem: nil)
            try SafeFile.createNew(added.itemsData, at: url)
            _ = try AmendmentKeyPart.write(added.keyPart, keyFile: self.store.defaultKeyFile)
            return .addPairs(itemsFile: url.lastPathComponent, itemsSHA256: SHA256Digest.hex(of: added.itemsData), itemIDs: added.itemIDs, appended: appended)
        }
    }

    /// What the runtime does when the log changed: reload, grow the journal's slots, send the message.
    func reload(_ harness: inout Harness) throws {
        let (study, _) = try store.load()
        var journal = harness.state.journal
        journal.extend(to: study.plan(for: harness.state.annotator)!.queue.count)
        let (next, effects) = AnnotationUpdate.update(harness.state, .studyAmended(study, items: try store.loadItems(for: study), journal: journal, time: harness.time))
        harness.state = next
        harness.run(effects)
    }

    func testAWithdrawnCurrentPairIsLeftWithOneLineAndSkippedFromThenOn() throws {
        var ann = try session()
        ann.press(.character("4"))
        let current = ann.state.slot
        let pair = ann.entry.item
        try amend({ _, _, _ in .withdraw(pair: pair) }, reason: "response B is cut off")
        let events = ann.journal.count
        try reload(&ann)
        XCTAssertNotEqual(ann.state.slot, current)
        XCTAssertTrue(ann.state.message?.contains("withdrew that pair") == true, ann.state.message ?? "")
        // Leaving it was recorded as usual, and the next pair opened.
        XCTAssertEqual(ann.journal[events].type, .leave)
        XCTAssertEqual(ann.journal[events].slot, current)
        XCTAssertEqual(ann.journal[events + 1].type, .open)
        // The score given stays in the journal.
        XCTAssertTrue(ann.journal.contains { $0.type == .rating && $0.slot == current })
        assertScreen(ann, contains: ["0 done · 5 left", "withdrew that pair"])
        // n and p never land on it again.
        for _ in 0..<8 { ann.press(.character("p")) }
        XCTAssertNotEqual(ann.state.slot, current)
        for _ in 0..<8 {
            ann.press(.character("n"))
            XCTAssertNotEqual(ann.state.slot, current)
        }
    }

    func testAddedSlotsAppearAtTheEndAndCanBeJudged() throws {
        var ann = try session()
        let before = ann.state.queue
        let itemsBefore = try store.loadItems(for: try store.load().study).count
        try addOnePair()
        try reload(&ann)
        XCTAssertEqual(ann.state.queue.count, before.count + 1)
        XCTAssertEqual(Array(ann.state.queue.prefix(before.count)), before, "existing slots keep their meaning")
        XCTAssertTrue(ann.state.message?.contains("added 1 pair") == true, ann.state.message ?? "")
        XCTAssertEqual(ann.state.items.count, itemsBefore + 1)
        // Go to the new last pair and judge it: its text comes from items-1.jsonl.
        for _ in 0..<before.count { ann.press(.character("n"), .character("y")) }
        XCTAssertEqual(ann.state.slot, before.count)
        assertScreen(ann, contains: ["A new question?"])
        ann.press(.character("5"))
        XCTAssertTrue(ann.journal.contains { $0.type == .rating && $0.slot == before.count })
    }

    func testPairsReassignedFromARetiredAnnotatorReachARunningSession() throws {
        // A third annotator who will leave: re-create the study with ann, bo and cy, each on 4 of 6 pairs.
        try FileManager.default.removeItem(at: folder)
        let candidates = (1...6).map { index in
            CandidatePair(
                sourceID: "q\(index)", prompt: [.user("Question \(index)?")], reference: nil,
                first: ModelResponse(model: "base", turns: ["Answer A \(index)."]), second: ModelResponse(model: "tuned", turns: ["Answer B \(index)."]))
        }
        let built = try StudyBuilder.build(pairs: candidates, models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 5, annotators: ["ann", "bo", "cy"], perItem: 2))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        var ann = try session()
        let before = ann.state.queue
        try amend { study, key, seq in
            var planner = try AmendmentPlanner(study: study, key: key, items: try self.store.loadItems(for: study), journals: [:], seq: seq)
            return try planner.retire("cy", reassign: true).change
        }
        let (study, _) = try store.load()
        let gained = study.plan(for: "ann")!.queue.count - before.count
        try reload(&ann)
        XCTAssertEqual(ann.state.queue.count, before.count + gained)
        XCTAssertEqual(Array(ann.state.queue.prefix(before.count)), before)
        // Six pairs, two raters each, four per person: cy shares two with bo, and those come to ann.
        XCTAssertEqual(gained, 2)
        XCTAssertEqual(ann.state.message, "The lead added 2 pairs")
        XCTAssertGreaterThan(study.annotators.map { $0.queue.count }.reduce(0, +), built.study.annotators.map { $0.queue.count }.reduce(0, +))
    }

    func testASessionOpenedAfterAWithdrawSkipsThePairFromTheStart() throws {
        let (study, _) = try store.load()
        let first = study.plan(for: "ann")!.queue[0].item
        try amend({ _, _, _ in .withdraw(pair: first) }, reason: "broken")
        var ann = try session()
        XCTAssertEqual(ann.state.slot, 1)
        XCTAssertEqual(ann.journal.first?.slot, 1, "the withdrawn pair is never opened")
        assertScreen(ann, contains: ["pair 1/5", "0 done · 5 left"])
        ann.press(.character("p"))
        XCTAssertEqual(ann.state.slot, 1)
        XCTAssertEqual(ann.state.message, "This is the first pair")
    }

    func testAnAdjudicationSessionSkipsAPairWithdrawnMeanwhileAndKeepsItsPairs() throws {
        var lead = try Harness()
        let (study, _) = try store.load()
        let plan = try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: study)
        let withPlan = study.adding(plan)
        lead.journal = []
        lead.state = AnnotationState(
            study: withPlan, items: try store.loadItems(for: study), annotator: "lead", journal: JournalState(slotCount: plan.queue.count), width: 80, height: 24)
        let brief = AdjudicationBrief(slots: [4, 1, 3], pairs: [4: .init(reason: "disputed: 1-1", verdicts: []), 1: .init(reason: "disputed: 1-1", verdicts: []), 3: .init(reason: "flagged", verdicts: [])])
        lead.state.adjudicate(brief)
        XCTAssertEqual(lead.state.slot, 4)
        try amend({ _, _, _ in .withdraw(pair: plan.queue[4].item) }, reason: "broken")
        try addOnePair()
        // The runtime re-derives the adjudicator's plan from the amended study, as `adjudicate` does.
        let (amended, _) = try store.load()
        let again = try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: amended, items: try store.loadItems(for: amended))
        var journal = lead.state.journal
        journal.extend(to: again.queue.count)
        let (next, effects) = AnnotationUpdate.update(lead.state, .studyAmended(amended.adding(again), items: try store.loadItems(for: amended), journal: journal, time: lead.time))
        lead.state = next
        lead.run(effects)
        XCTAssertEqual(lead.state.slot, 1, "on to the next pair to settle")
        XCTAssertEqual(lead.state.message, "The lead withdrew that pair; now on pair 1", "no word of added pairs: the session settles its own")
        XCTAssertEqual(lead.state.visitOrder, [1, 3])
        assertScreen(lead, contains: ["adjudicating 1/2"])
    }

    func testARetiredAnnotatorsSessionEndsLikeQuit() throws {
        var bo = try session("bo")
        try amend({ _, _, _ in .retireAnnotator(name: "bo", reassigned: []) }, reason: "left")
        try reload(&bo)
        XCTAssertTrue(bo.quit)
        XCTAssertTrue(bo.state.retired)
        XCTAssertEqual(bo.journal.last?.type, .leave)
        XCTAssertTrue(bo.state.message?.contains("retired you") == true)
    }

    func testAllDoneThenANewPairSaysWhereItIs() throws {
        var ann = try session()
        let slots = ann.state.queue.count
        for slot in 0..<slots {
            let entry = ann.state.queue[slot]
            for criterion in ann.state.rubric.criteria {
                for response in [entry.a, entry.b] {
                    try ann.state.journal.apply(JournalEvent(seq: ann.state.journal.lastSeq + 1, type: .rating, slot: slot, item: entry.item, response: response, criterion: criterion.id, value: 3))
                }
            }
            try ann.state.journal.apply(JournalEvent(seq: ann.state.journal.lastSeq + 1, type: .preference, slot: slot, item: entry.item, option: "t"))
        }
        ann.state.overlay = .summary
        XCTAssertTrue(ann.state.allDone)
        try addOnePair()
        try reload(&ann)
        XCTAssertFalse(ann.state.allDone)
        XCTAssertEqual(ann.state.message, "The lead added 1 pair (g: next unfinished)")
        ann.press(.escape, .character("g"))
        XCTAssertEqual(ann.state.slot, slots, "g finds the new pair")
        // Withdrawing it again: everything left is done.
        try amend { study, _, _ in .withdraw(pair: study.itemIDs.last!) }
        try reload(&ann)
        XCTAssertTrue(ann.state.allDone)
        XCTAssertEqual(ann.state.overlay, .summary)
        assertScreen(ann, contains: ["All \(slots) pairs are done"])
    }
}
