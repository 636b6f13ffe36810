@testable import BlindReviewCore
import Foundation
import XCTest

/// The amendment log and the effective study: each change applied on load, the planner's balance and blinding,
/// and a damaged log refused with its file and line (never a partial study).
final class AmendmentTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var keyFile: URL!

    /// Twelve pairs of "alphamodel" and "betamodel" with source ids `src-N-x`, four annotators, two each, one
    /// hidden repeat each.
    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        keyFile = store.defaultKeyFile
        let built = try StudyBuilder.build(
            pairs: AmendmentTests.candidates(1...12), models: ["alphamodel", "betamodel"],
            options: StudyOptions(name: "s", seed: 11, annotators: ["ann", "bo", "cy", "di"], perItem: 2, repeats: 1))
        try store.create(built, keyFile: keyFile, force: false)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    static func candidates(_ range: ClosedRange<Int>, text: String = "") -> [CandidatePair] {
        range.map { index in
            CandidatePair(
                sourceID: "src-\(index)-x", prompt: [.user("Question \(index)?")], reference: nil,
                first: ModelResponse(model: "alphamodel", turns: ["First answer \(index).\(text)"]),
                second: ModelResponse(model: "betamodel", turns: ["Second answer \(index).\(text)"]))
        }
    }

    /// Appends one change worked out by `decide` against the effective study, as `amend` does (under the lock).
    @discardableResult
    func amend(reason: String? = nil, _ decide: (inout AmendmentPlanner, Study, Int) throws -> AmendmentChange) throws -> AmendmentEntry {
        try AmendmentLog.withLock(store: store) {
            let (study, hash) = try store.load()
            let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
            let key = try StudyStore.loadKey(at: keyFile, for: study)
            let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
            var planner = try AmendmentPlanner(study: study, key: key, items: try store.loadItems(for: study), journals: journals.journals, seq: log.entries.count + 1)
            let change = try decide(&planner, study, log.entries.count + 1)
            return try AmendmentLog.append(change, reason: reason, to: log, store: store, studyID: study.studyID, studySHA256: hash)
        }
    }

    /// Adds pairs as `amend add-pairs` does: items file and key part first, then the entry.
    func addPairs(_ candidates: [CandidatePair], perItem: Int?) throws -> PairAddition {
        var result: PairAddition!
        try amend { planner, study, seq in
            let key = try StudyStore.loadKey(at: keyFile, for: study)
            let input = ComparisonInput(candidates: candidates, models: ["alphamodel", "betamodel"], warnings: [])
            let added = try PairAddition.build(input, study: study, key: key, seq: seq, extraLeakTerms: [])
            let url = store.addedItemsFile(seq: seq)
            let items = try store.loadItems(for: study).appending(data: added.itemsData, file: url.path, ids: added.itemIDs)
            var withItems = try AmendmentPlanner(study: study, key: key, items: items, journals: planner.journals, seq: seq)
            let appended = try withItems.assignAdded(added.itemIDs, perItem: perItem)
            try SafeFile.createNew(added.itemsData, at: url)
            _ = try AmendmentKeyPart.write(added.keyPart, keyFile: keyFile)
            result = added
            return .addPairs(itemsFile: url.lastPathComponent, itemsSHA256: SHA256Digest.hex(of: added.itemsData), itemIDs: added.itemIDs, appended: appended)
        }
        return result
    }

    /// Writes judgments (a preference and every score) for the first `count` slots of an annotator.
    func judge(_ annotator: String, slots: Range<Int>) throws {
        let (study, hash) = try store.load()
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        let plan = study.plan(for: annotator)!
        for slot in slots {
            let entry = plan.queue[slot]
            for criterion in study.rubric.criteria {
                try writer.append(JournalEvent(type: .rating, slot: slot, item: entry.item, response: entry.a, criterion: criterion.id, value: 4))
                try writer.append(JournalEvent(type: .rating, slot: slot, item: entry.item, response: entry.b, criterion: criterion.id, value: 2))
            }
            try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: "a"))
        }
    }

    // MARK: - Each change, with another annotator's journal on disk

    func testEveryChangeKeepsOtherJournalsByteForByteAndLoading() throws {
        try judge("ann", slots: 0..<3)
        let annJournal = store.journalFile(for: "ann")
        let bytes = try Data(contentsOf: annJournal)
        func stillLoads(_ label: String) throws {
            XCTAssertEqual(try Data(contentsOf: annJournal), bytes, label)
            let (study, hash) = try store.load()
            let loaded = try JournalLoader.load(annJournal, study: study, studySHA256: hash, annotator: "ann")
            XCTAssertEqual(loaded.state.slots.prefix(3).filter { $0.preference == "a" }.count, 3, label)
            XCTAssertEqual(loaded.state.slots.count, study.plan(for: "ann")!.queue.count, label)
        }
        let before = try store.load().study
        let withdrawnPair = before.plan(for: "ann")!.queue[1].item

        try amend { planner, _, _ in try planner.addAnnotator("eve", perItem: nil) }
        try stillLoads("add-annotator")
        try amend(reason: "response B is cut off") { _, _, _ in .withdraw(pair: withdrawnPair) }
        try stillLoads("withdraw")
        let added = try addPairs(AmendmentTests.candidates(13...16), perItem: 2)
        try stillLoads("add-pairs")
        try amend(reason: "left the project") { planner, _, _ in try planner.retire("bo", reassign: true).change }
        try stillLoads("retire-annotator")
        try amend { planner, _, _ in try planner.addOverlap(roots: nil, perItem: 3).change }
        try stillLoads("add-overlap")

        let (study, hash) = try store.load()
        XCTAssertEqual(hash, SHA256Digest.hex(of: try Data(contentsOf: store.studyFile)), "journals keep carrying study.json's hash")
        XCTAssertEqual(Array(study.itemIDs.prefix(before.itemIDs.count)), before.itemIDs, "study.json's pairs come first, unchanged")
        XCTAssertEqual(Array(study.itemIDs.suffix(4)), added.itemIDs, "added pairs follow, in log order")
        for plan in before.annotators {
            XCTAssertEqual(Array(study.plan(for: plan.name)!.queue.prefix(plan.queue.count)), plan.queue, "\(plan.name)'s existing slots never change")
        }
        XCTAssertEqual(study.withdrawn, [withdrawnPair: "response B is cut off"])
        XCTAssertEqual(study.retired, ["bo": 4])
        XCTAssertEqual(study.amendments.map(\.change.kind), ["add-annotator", "withdraw", "add-pairs", "retire-annotator", "add-overlap"])
        XCTAssertNotNil(study.plan(for: "eve"))
        // The merged key unblinds the added pairs; the key file itself was never rewritten.
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        for id in added.itemIDs { XCTAssertEqual(Set(key.pairs[id]!.responses.values), ["alphamodel", "betamodel"]) }
        let items = try store.loadItems(for: study)
        XCTAssertEqual(items.count, study.itemIDs.count)
        XCTAssertEqual(try items.item(id: added.itemIDs[0]).id, added.itemIDs[0])
        // Every queue names each pair at most once and only pairs of the study (StudyStore.validate's rules).
        XCTAssertNoThrow(try StudyStore.validate(study, file: "effective"))
    }

    func testAnAddedAnnotatorsJournalIsWrittenAndReadAgainstTheEffectiveStudy() throws {
        try amend { planner, _, _ in try planner.addAnnotator("eve", perItem: nil) }
        try judge("eve", slots: 0..<2)
        let (study, hash) = try store.load()
        let journal = try JournalLoader.load(store.journalFile(for: "eve"), study: study, studySHA256: hash, annotator: "eve")
        XCTAssertEqual(journal.header.studySHA256, hash, "the header carries study.json's hash, as every journal does")
        XCTAssertEqual(journal.state.slots.prefix(2).map(\.preference), ["a", "a"])
        XCTAssertNotNil(StudyJournals.load(store: store, study: study, studySHA256: hash).journals["eve"])
    }

    func testRetiredAnnotatorsUnfinishedPairsGoToOthersBalancedWithRepeatsTogether() throws {
        try judge("bo", slots: 0..<2)
        let (before, _) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: before)
        try amend(reason: "left") { planner, _, _ in try planner.retire("bo", reassign: true).change }
        let (study, _) = try store.load()
        let boQueue = before.plan(for: "bo")!.queue
        let root = { (item: String) in key.pairs[item]?.repeatOf?.item ?? item }
        let unfinished = Set(boQueue.dropFirst(2).map { root($0.item) })
        var gained: [String: Int] = [:]
        var received = Set<String>()
        for name in ["ann", "cy", "di"] {
            let new = study.plan(for: name)!.queue.dropFirst(before.plan(for: name)!.queue.count)
            gained[name] = new.count
            // Whoever gets a pair gets its hidden repeat too, or the queues would tell original from copy.
            let roots = new.map { root($0.item) }
            for r in Set(roots) {
                let copies = before.itemIDs.filter { key.pairs[$0]?.repeatOf?.item == r }
                XCTAssertEqual(roots.filter { $0 == r }.count, 1 + copies.count, "\(name) got the whole unit of \(r)")
            }
            received.formUnion(roots)
            XCTAssertTrue(before.plan(for: name)!.queue.allSatisfy { !Set(new.map(\.item)).contains($0.item) }, "nobody gets a pair twice")
        }
        XCTAssertEqual(received, unfinished, "exactly bo's unfinished pairs were handed on")
        XCTAssertTrue(study.isRetired("bo"))
        // The finished two stay bo's and count.
        XCTAssertEqual(study.plan(for: "bo")!.queue, boQueue)
    }

    func testAddedPairsAreBalancedLeakScannedFreshAndBlind() throws {
        let (before, _) = try store.load()
        let added = try addPairs(AmendmentTests.candidates(13...24, text: " As an AI developed by OpenAI, I think so."), perItem: 2)
        XCTAssertFalse(added.leaks.isEmpty, "the new text is scanned like create's")
        XCTAssertTrue(added.leaks.contains { $0.term.lowercased() == "openai" })
        let (study, _) = try store.load()
        // 12 new pairs x 2 annotators over 4 people: 6 each.
        let gains = study.annotators.map { $0.queue.count - before.plan(for: $0.name)!.queue.count }
        XCTAssertEqual(gains.reduce(0, +), 24)
        XCTAssertLessThanOrEqual(gains.max()! - gains.min()!, 1, "balanced: \(gains)")
        let newIDs = Set(added.itemIDs)
        XCTAssertTrue(newIDs.isDisjoint(with: before.itemIDs))
        for id in added.itemIDs { XCTAssertTrue(id.hasPrefix("p") && id.count == 17, id) }
        XCTAssertEqual(added.itemIDs, added.itemIDs.sorted(), "items in id order, so position says nothing of source order")
        // Nothing annotators get names a model or a source id.
        let log = try String(contentsOf: store.amendmentsFile, encoding: .utf8)
        let itemsText = try String(contentsOf: store.addedItemsFile(seq: 1), encoding: .utf8)
        for text in [log, itemsText] {
            for secret in ["alphamodel", "betamodel", "src-"] { XCTAssertFalse(text.contains(secret), "\(secret) leaked") }
        }
        // The key part beside the key holds the mapping, mode 0600.
        let part = AmendmentKeyPart.file(for: keyFile, seq: 1)
        XCTAssertEqual(part.lastPathComponent, "s.amendment-1.json")
        let mode = (try FileManager.default.attributesOfItem(atPath: part.path)[.posixPermissions] as! NSNumber).intValue
        XCTAssertEqual(mode & 0o777, 0o600)
        XCTAssertTrue(try String(contentsOf: part, encoding: .utf8).contains("src-13-x"))
    }

    func testAddingAComparisonTheStudyHasIsRefusedUnlessTheOldOneWasWithdrawn() throws {
        XCTAssertThrowsError(try addPairs(AmendmentTests.candidates(3...3), perItem: nil)) { error in
            XCTAssertTrue("\(error)".contains("already in the study"), "\(error)")
        }
        let (study, _) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        let old = key.pairs.first { $0.value.sourceID == "src-3-x" && $0.value.repeatOf == nil }!.key
        try amend(reason: "wrong prompt") { _, _, _ in .withdraw(pair: old) }
        let replacement = try addPairs(AmendmentTests.candidates(3...3), perItem: nil)
        XCTAssertEqual(replacement.itemIDs.count, 1)
        XCTAssertNotEqual(replacement.itemIDs[0], old)
    }

    func testAddAnnotatorWithPerItemTakesABalancedShareOfTheLeastRatedPairs() throws {
        try amend { planner, _, _ in try planner.addAnnotator("eve", perItem: 2) }
        let (study, _) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        let eve = study.plan(for: "eve")!.queue
        let originals = eve.filter { key.pairs[$0.item]?.repeatOf == nil }
        // 12 pairs x 2 raters / 5 people, rounded up.
        XCTAssertEqual(originals.count, 5)
        XCTAssertThrowsError(try amend { planner, _, _ in try planner.addAnnotator("eve", perItem: nil) })
        XCTAssertThrowsError(try amend { planner, _, _ in try planner.addAnnotator("../x", perItem: nil) })
    }

    func testAJudgesDerivedQueueGrowsWithAddedPairsAndKeepsItsSlots() throws {
        let (before, hash) = try store.load()
        let plan = try DerivedQueue.plan(name: "gpt4", kind: .judge, study: before)
        let writer = try JournalWriter.open(store: store, study: before.adding(plan), studySHA256: hash, annotator: "gpt4")
        try writer.append(JournalEvent(type: .preference, slot: 3, item: plan.queue[3].item, option: "b"))
        let bytes = try Data(contentsOf: store.journalFile(for: "gpt4"))
        let added = try addPairs(AmendmentTests.candidates(13...14), perItem: nil)
        let (study, _) = try store.load()
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        let judge = try XCTUnwrap(journals.derived["gpt4"], "\(journals.refused)")
        XCTAssertNil(journals.journals["gpt4"], "a judge is not counted as a person")
        XCTAssertEqual(judge.plan.queue.count, plan.queue.count + 2 * added.itemIDs.count)
        XCTAssertEqual(Array(judge.plan.queue.prefix(plan.queue.count)), plan.queue, "a judge's slots keep their meaning")
        XCTAssertEqual(judge.journal.state.slots[3].preference, "b")
        XCTAssertEqual(try Data(contentsOf: store.journalFile(for: "gpt4")), bytes)
        XCTAssertFalse(study.annotators.contains { $0.name == "gpt4" }, "judges never go into the study or the log")
    }

    // MARK: - Damage

    /// A log with three entries, then `mutate` applied to its lines; loading must fail naming the file and line.
    func assertRefused(_ label: String, line: Int, _ mutate: (inout [String]) -> Void, file: StaticString = #filePath, at: UInt = #line) throws {
        let url = store.amendmentsFile
        let original = try String(contentsOf: url, encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        mutate(&lines)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        defer { try? Data(original.utf8).write(to: url) }
        XCTAssertThrowsError(try store.load(), label, file: file, line: at) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("amendments.jsonl:\(line):"), "\(label): \(text)", file: file, line: at)
        }
    }

    func testADamagedLogIsANamedErrorWithItsLineNeverAPartialStudy() throws {
        let (study, _) = try store.load()
        try amend(reason: "one") { _, _, _ in .withdraw(pair: study.itemIDs[0]) }
        try amend(reason: "two") { _, _, _ in .withdraw(pair: study.itemIDs[1]) }
        try amend(reason: "three") { _, _, _ in .withdraw(pair: study.itemIDs[2]) }
        XCTAssertEqual(try store.load().study.withdrawn.count, 3)
        try assertRefused("edited", line: 3) { $0[1] = $0[1].replacingOccurrences(of: "one", with: "won") }
        try assertRefused("line removed", line: 2) { $0.remove(at: 1) }
        try assertRefused("reordered", line: 2) { $0.swapAt(1, 2) }
        try assertRefused("repeated", line: 3) { $0.insert($0[1], at: 2) }
        try assertRefused("cut mid-line", line: 2) { $0[1] = String($0[1].prefix(40)) }
        try assertRefused("empty line", line: 2) { $0.insert("", at: 1) }
        try assertRefused("unknown change", line: 3) { $0[2] = $0[2].replacingOccurrences(of: "\"withdraw\"", with: "\"rename\"") }
        try assertRefused("newer schema", line: 1) { $0[0] = $0[0].replacingOccurrences(of: "\"schema\":1", with: "\"schema\":2") }
        try assertRefused("another study", line: 1) { $0[0] = $0[0].replacingOccurrences(of: "\"study_sha256\":\"", with: "\"study_sha256\":\"0") }
        try assertRefused("not a log", line: 1) { $0[0] = "{}" }
        try assertRefused("no time", line: 4) { lines in
            lines[3] = lines[3].replacingOccurrences(of: #""t":"[^"]*""#, with: "\"t\":\"\\u001b[31m\"", options: .regularExpression)
        }
        // A forger who recomputes every hash still cannot make an entry that does not fit the study.
        try assertRefused("re-chained, unknown pair", line: 3) { lines in
            lines[2] = lines[2].replacingOccurrences(of: study.itemIDs[1], with: "p0000000000000000")
            lines[3] = AmendmentTests.rechained(lines[3], after: lines[2])
        }
        try assertRefused("re-chained, withdrawn twice", line: 3) { lines in
            lines[2] = lines[2].replacingOccurrences(of: study.itemIDs[1], with: study.itemIDs[0])
            lines[3] = AmendmentTests.rechained(lines[3], after: lines[2])
        }
        XCTAssertEqual(try store.load().study.withdrawn.count, 3, "restored, it loads again")
    }

    /// The line with its `prev` set to the SHA-256 of `previous`.
    static func rechained(_ line: String, after previous: String) -> String {
        let hash = SHA256Digest.hex(of: Data(previous.utf8))
        return line.replacingOccurrences(of: #""prev":"[0-9a-f]{64}""#, with: "\"prev\":\"\(hash)\"", options: .regularExpression)
    }

    func testATornLastLineIsSkippedWithAWarningAndCutOffByTheNextAmend() throws {
        let (study, _) = try store.load()
        try amend(reason: "one") { _, _, _ in .withdraw(pair: study.itemIDs[0]) }
        let handle = try FileHandle(forWritingTo: store.amendmentsFile)
        handle.seekToEndOfFile()
        handle.write(Data(#"{"change":{"pair":"p1","ty"#.utf8))
        try handle.close()
        let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: try store.load().sha256)
        XCTAssertEqual(log.entries.count, 1)
        XCTAssertTrue(log.warnings.first?.description.contains("amendments.jsonl:3:") == true)
        XCTAssertEqual(try store.load().study.withdrawn.count, 1, "the torn amendment is not in force")
        try amend(reason: "two") { _, _, _ in .withdraw(pair: study.itemIDs[1]) }
        let text = try String(contentsOf: store.amendmentsFile, encoding: .utf8)
        XCTAssertFalse(text.contains("\"ty\n") || text.contains("\"ty{"), text)
        XCTAssertEqual(try store.load().study.withdrawn.count, 2)
    }

    func testACutLogIsNoticedByTheItemsFileOfALaterAmendment() throws {
        _ = try addPairs(AmendmentTests.candidates(13...14), perItem: nil)
        let (study, _) = try store.load()
        try amend(reason: "x") { _, _, _ in .withdraw(pair: study.itemIDs[0]) }
        // Cut the log back to its header: the add-pairs and the withdraw disappear, items-1.jsonl stays.
        let text = try String(contentsOf: store.amendmentsFile, encoding: .utf8)
        try Data((text.components(separatedBy: "\n")[0] + "\n").utf8).write(to: store.amendmentsFile)
        XCTAssertThrowsError(try store.load()) { error in
            XCTAssertTrue("\(error)".contains("amendments.jsonl:1:") && "\(error)".contains("items-1.jsonl"), "\(error)")
        }
    }

    func testAMissingKeyPartOrAChangedItemsFileIsNamed() throws {
        _ = try addPairs(AmendmentTests.candidates(13...14), perItem: nil)
        let (study, _) = try store.load()
        let part = AmendmentKeyPart.file(for: keyFile, seq: 1)
        try FileManager.default.moveItem(at: part, to: part.appendingPathExtension("away"))
        XCTAssertThrowsError(try StudyStore.loadKey(at: keyFile, for: study)) { XCTAssertTrue("\($0)".contains("s.amendment-1.json"), "\($0)") }
        try FileManager.default.moveItem(at: part.appendingPathExtension("away"), to: part)
        XCTAssertNoThrow(try StudyStore.loadKey(at: keyFile, for: study))
        try Data("{}\n{}\n".utf8).write(to: store.addedItemsFile(seq: 1))
        XCTAssertThrowsError(try store.loadItems(for: study)) { XCTAssertTrue("\($0)".contains("items-1.jsonl"), "\($0)") }
    }

    func testAFailedWriteLeavesTheLogAsItWas() throws {
        let (study, hash) = try store.load()
        try amend(reason: "one") { _, _, _ in .withdraw(pair: study.itemIDs[0]) }
        let before = try Data(contentsOf: store.amendmentsFile)
        let faults = Faults()
        faults.writeError = ENOSPC
        faults.tornBytes = 30
        let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
        XCTAssertThrowsError(try AmendmentLog.append(.withdraw(pair: study.itemIDs[1]), reason: "two", to: log, store: store, studyID: study.studyID, studySHA256: hash, io: faults.io))
        XCTAssertEqual(try Data(contentsOf: store.amendmentsFile), before)
    }

    func testTwoAmendsCannotInterleave() throws {
        try AmendmentLog.withLock(store: store) {
            XCTAssertThrowsError(try AmendmentLog.withLock(store: store) {}) { XCTAssertTrue("\($0)".contains("another `blindreview amend`"), "\($0)") }
        }
    }

    /// An added annotator's second showings come at least the gap after the first, as in a created queue (they
    /// used to land at the end, right after their first, when a unit with a repeat was drawn among the last).
    func testAnAddedAnnotatorsRepeatsKeepTheGap() throws {
        for seed in 1...12 {
            let built = try StudyBuilder.build(
                pairs: AmendmentTests.candidates(1...14), models: ["alphamodel", "betamodel"],
                options: StudyOptions(name: "g", seed: UInt64(seed), annotators: ["ann", "bo"], repeats: 4))
            let items = try StudyItems(data: built.itemsData, file: "items.jsonl", ids: built.study.itemIDs)
            var planner = try AmendmentPlanner(study: built.study, key: built.key, items: items, journals: [:], seq: 1)
            guard case .addAnnotator(_, let queue) = try planner.addAnnotator("cy", perItem: nil) else { return XCTFail("not an add-annotator") }
            XCTAssertEqual(queue.count, 18)
            for (position, entry) in queue.enumerated() {
                guard let origin = built.key.pairs[entry.item]?.repeatOf else { continue }
                let first = try XCTUnwrap(queue.firstIndex { $0.item == origin.item })
                XCTAssertGreaterThanOrEqual(abs(position - first), StudyBuilder.repeatGap, "seed \(seed)")
            }
        }
    }
}
