import BlindReviewCore
import Foundation
import XCTest

/// Amendments meeting the rest of the tool, as an adversarial pass found them: gold pairs under `add-annotator
/// --per-item`, imports after a withdrawn pair was replaced by `add-pairs`, and the status line's total after a
/// retirement.
final class AmendAdversarialTests: XCTestCase {
    var folder: URL!
    var store: StudyStore { StudyStore(folder: folder.appendingPathComponent("sessions/s")) }
    var keyFile: URL { folder.appendingPathComponent("sessions/.keys/s.json") }

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        for model in ["alpha", "beta"] {
            let lines = (1...12).map { #"{"id": "q\#($0)", "prompt": "Question \#($0)?", "response": "Answer \#($0) of the \#(model == "alpha" ? "first" : "second") kind \#(String(repeating: "x", count: $0))."}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("\(model).jsonl"))
            let fixed = #"{"id": "q3", "prompt": "Question 3?", "response": "A whole answer 3 of the \#(model == "alpha" ? "first" : "second") kind."}"#
            try Data(fixed.utf8).write(to: folder.appendingPathComponent("fixed-\(model).jsonl"))
        }
        try Data("{\"id\": \"q1\", \"better\": \"alpha\"}\n{\"id\": \"q2\", \"better\": \"beta\"}\n".utf8).write(to: folder.appendingPathComponent("gold.jsonl"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func run(_ arguments: [String]) throws -> CommandResult { try runBlindReview(arguments, in: folder, watchdog: 120) }

    @discardableResult
    func expect(_ arguments: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let result = try run(arguments)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.stderr)", file: file, line: line)
        return result
    }

    func create(_ extra: [String]) throws {
        try expect(["create", "s", "--model", "alpha=alpha.jsonl", "--model", "beta=beta.jsonl", "--seed", "5"] + extra)
    }

    // MARK: - Gold and add-annotator --per-item

    /// Gold pairs go to every annotator (so that everyone's gold accuracy is measured, and `export
    /// --min-gold-accuracy` screens everyone). An annotator added with `--per-item` must get them too, hidden among
    /// the same decoys as at creation; otherwise they are never checked (no gold judgment: kept by the screen).
    func testAnAnnotatorAddedWithPerItemGetsTheGoldPairsAndTheirDecoys() throws {
        try create(["--annotators", "ann,bo,cy,di", "--per-item", "2", "--gold", "gold.jsonl"])
        try expect(["amend", "s", "add-annotator", "ed", "--per-item", "2"])
        let (study, _) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        let gold = Set(try XCTUnwrap(key.gold).keys)
        XCTAssertEqual(gold.count, 2)
        let mine = Set(study.plan(for: "ed")!.queue.map(\.item))
        XCTAssertTrue(gold.isSubset(of: mine), "ed rates no gold pair: \(gold.subtracting(mine))")
        // The pairs every one of the study's own annotators rates (gold and decoys) all go to ed, so the new queue
        // does not single the gold pairs out.
        let everyone = study.annotators.prefix(4).map { Set($0.queue.map(\.item)) }.reduce(Set(study.itemIDs)) { $0.intersection($1) }
        XCTAssertEqual(everyone.count, 4, "two gold pairs and two decoys")
        XCTAssertTrue(everyone.isSubset(of: mine), "ed lacks \(everyone.subtracting(mine))")
        // And the share of the rest is what --per-item 2 gives five annotators: 8 pairs x 2 / 5, rounded up.
        XCTAssertEqual(mine.subtracting(everyone).count, 4)
    }

    /// In a study where everyone rates every pair, the new annotator's share holds the gold pairs and as many others.
    func testAnAnnotatorAddedWithPerItemToAFullOverlapStudyGetsTheGoldPairs() throws {
        try create(["--annotators", "ann,bo", "--gold", "gold.jsonl"])
        try expect(["amend", "s", "add-annotator", "cy", "--per-item", "1"])
        let (study, _) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        let gold = Set(try XCTUnwrap(key.gold).keys)
        let mine = Set(study.plan(for: "cy")!.queue.map(\.item))
        XCTAssertTrue(gold.isSubset(of: mine), "cy rates no gold pair: \(gold.subtracting(mine))")
        // Gold, two decoys, and the share of the other 8: 8 x 1 / 3 rounded up.
        XCTAssertEqual(mine.count, 2 + 2 + 3)
        // Every newcomer gets the same decoys, so comparing their queues does not narrow the gold down.
        for (index, name) in ["dave", "eve", "fay"].enumerated() {
            try expect(["amend", "s", "add-annotator", name, "--per-item", "1"])
            let theirs = Set(try store.load().study.plan(for: name)!.queue.map(\.item))
            XCTAssertEqual(theirs.count, 2 + 2 + Int((8.0 / Double(4 + index)).rounded(.up)))
            XCTAssertGreaterThanOrEqual(theirs.intersection(mine).subtracting(gold).count, 2, name)
        }
        let added = try store.load().study.annotators.suffix(4).map { Set($0.queue.map(\.item)) }
        XCTAssertEqual(added.reduce(Set(study.itemIDs)) { $0.intersection($1) }.subtracting(gold).count, 2, "the two decoys, and by chance nothing else")
        // Pairs added to a few annotators later do not turn the study into a --per-item one: the next newcomer
        // still gets a share, not every pair of study.json.
        for model in ["alpha", "beta"] {
            try Data(#"{"id": "q99", "prompt": "Question 99?", "response": "Answer 99 of \#(model == "alpha" ? "one" : "another") kind."}"#.utf8)
                .write(to: folder.appendingPathComponent("late-\(model).jsonl"))
        }
        try expect(["amend", "s", "add-pairs", "--model", "alpha=late-alpha.jsonl", "--model", "beta=late-beta.jsonl", "--per-item", "1"])
        try expect(["amend", "s", "add-annotator", "gus", "--per-item", "1"])
        let gus = Set(try store.load().study.plan(for: "gus")!.queue.map(\.item))
        XCTAssertTrue(gold.isSubset(of: gus))
        XCTAssertLessThan(gus.count, 9, "a share, not all 12 pairs: \(gus.count)")
    }

    // MARK: - Imports after a replaced pair

    /// The README's way to replace a broken pair: withdraw it, add the prompt again. Rows and verdicts for that prompt
    /// then mean the new pair; they were refused as "three or more models" (or, with model columns, went to
    /// whichever of the two the dictionary gave first).
    func testImportAndImportJudgeReachTheReplacementOfAWithdrawnPair() throws {
        try create(["--annotators", "ann,bo"])
        let key = try StudyStore.loadKey(at: keyFile, for: try store.load().study)
        let old = try XCTUnwrap(key.pairs.first { $0.value.sourceID == "q3" }?.key)
        try expect(["amend", "s", "withdraw", old, "--reason", "the answer is cut off"])
        try expect(["amend", "s", "add-pairs", "--model", "alpha=fixed-alpha.jsonl", "--model", "beta=fixed-beta.jsonl"])
        let (study, _) = try store.load()
        let replacement = try XCTUnwrap(study.itemIDs.last)
        XCTAssertNotEqual(replacement, old)

        try Data("id,annotator,preference\nq3,ann,a\nq4,ann,b\n".utf8).write(to: folder.appendingPathComponent("rows.csv"))
        try expect(["import", "s", "rows.csv"])
        try Data("id,annotator,preference,model_a,model_b\nq3,bo,a,alpha,beta\n".utf8).write(to: folder.appendingPathComponent("models.csv"))
        try expect(["import", "s", "models.csv"])
        let journals = StudyJournals.load(store: store, study: study, studySHA256: try store.load().1)
        for annotator in ["ann", "bo"] {
            let plan = study.plan(for: annotator)!
            let slot = try XCTUnwrap(plan.queue.firstIndex { $0.item == replacement })
            XCTAssertNotNil(journals.journals[annotator]?.state.slots[slot].preference, "\(annotator)'s row went elsewhere")
            let withdrawnSlot = try XCTUnwrap(plan.queue.firstIndex { $0.item == old })
            XCTAssertNil(journals.journals[annotator]?.state.slots[withdrawnSlot].preference, "\(annotator)'s row went to the withdrawn pair")
        }
        let report = try expect(["report", "s", "--format", "json", "--bootstrap", "0"])
        let results = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(((results["results"] as! [String: Any])["pairs"] as! [[String: Any]])[0]["n_votes"] as? Int, 3)

        for (index, line) in [#"{"id": "q3", "winner": "a", "swapped_winner": "b"}"#, #"{"id": "q3", "winner": "a", "model_a": "alpha", "model_b": "beta"}"#].enumerated() {
            try Data((line + "\n").utf8).write(to: folder.appendingPathComponent("judge.jsonl"))
            let judge = "judge\(index)"
            try expect(["import-judge", "s", "judge.jsonl", "--judge", judge])
            let loaded = StudyJournals.load(store: store, study: study, studySHA256: try store.load().1)
            let derived = try XCTUnwrap(loaded.derived[judge])
            let pairIndex = try XCTUnwrap(study.itemIDs.firstIndex(of: replacement))
            XCTAssertNotNil(derived.journal.state.slots[DerivedQueue.judgeSlot(pairIndex: pairIndex, swapped: false)].preference, "\(judge)'s verdict missed the new pair")
        }
    }

    // MARK: - Withdrawing a pair with a hidden repeat

    /// The lead withdraws the pair the report lists; its hidden repeat (a copy only the key knows) was still shown
    /// to annotators, who rated a pair withdrawn as broken for nothing (the report drops the copy's votes with the
    /// original's), and status counted it as assigned.
    func testWithdrawingAPairWithdrawsItsHiddenRepeatsToo() throws {
        try create(["--annotators", "ann,bo", "--repeat", "1"])
        let (study, _) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        let copies = key.pairs.filter { $0.value.repeatOf != nil }
        XCTAssertEqual(copies.count, 1)
        let (copy, original) = (copies.first!.key, copies.first!.value.repeatOf!.item)
        XCTAssertEqual(study.plan(for: "ann")!.queue.count, 13)
        let result = try expect(["amend", "s", "withdraw", original, "--reason", "response B is cut off"])
        XCTAssertTrue(result.stdout.contains("withdraw \(copy)"), result.stdout)
        let amended = try store.load().study
        XCTAssertEqual(amended.withdrawn, [original: "response B is cut off", copy: "response B is cut off"])
        let status = try expect(["status", "s"])
        XCTAssertTrue(status.stdout.contains("0/11"), "12 pairs and a repeat, less the pair and its repeat: \(status.stdout)")
        // A pair without repeats is one entry, as before; a second withdraw of the original is refused.
        let other = try XCTUnwrap(amended.itemIDs.first { $0 != original && $0 != copy })
        XCTAssertFalse(try expect(["amend", "s", "withdraw", other, "--reason", "no answer"]).stdout.contains("amendment 4"))
        XCTAssertTrue(try expect(["amend", "s", "withdraw", original, "--reason", "again"], status: 1).stderr.contains("already withdrawn"))
    }

    func testAWithdrawInterruptedBeforeTheRepeatsEntryIsFinishedByRunningItAgain() throws {
        try create(["--annotators", "ann,bo", "--repeat", "1"])
        let (study, hash) = try store.load()
        let key = try StudyStore.loadKey(at: keyFile, for: study)
        let copy = key.pairs.first { $0.value.repeatOf != nil }!
        let original = copy.value.repeatOf!.item
        // What a kill between the two entries leaves.
        let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
        try AmendmentLog.append(.withdraw(pair: original), reason: "cut off", to: log, store: store, studyID: study.studyID, studySHA256: hash)
        XCTAssertNil(try store.load().study.withdrawn[copy.key])
        let again = try expect(["amend", "s", "withdraw", original, "--reason", "cut off"])
        XCTAssertTrue(again.stdout.contains("withdraw \(copy.key)"), again.stdout)
        XCTAssertEqual(try store.load().study.withdrawn.count, 2)
    }

    // MARK: - Reasons without the key

    /// A reason is checked against the study's model names, which only the key holds; annotators can read the log
    /// and an entry cannot be taken back. Without the key (moved, or not on this machine) "alpha's answer is cut
    /// off" went into the log.
    func testAReasonIsNotWrittenUncheckedWhenTheKeyCannotBeRead() throws {
        try create(["--annotators", "ann,bo"])
        let pair = try store.load().study.itemIDs[0]
        try FileManager.default.moveItem(at: keyFile, to: folder.appendingPathComponent("away.json"))
        let refused = try expect(["amend", "s", "withdraw", pair, "--reason", "the alpha answer is cut off"], status: 1)
        XCTAssertTrue(refused.stderr.contains("s.json") && refused.stderr.contains("--key"), refused.stderr)
        XCTAssertTrue(try expect(["amend", "s", "retire-annotator", "bo", "--reason", "alpha fan"], status: 1).stderr.contains("reason"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.amendmentsFile.path), "nothing was written")
        XCTAssertTrue(try expect(["amend", "s", "withdraw", pair, "--reason", "the alpha answer is cut off", "--key", "away.json"], status: 1).stderr.contains("names \"alpha\""))
        try expect(["amend", "s", "withdraw", pair, "--reason", "response B is cut off", "--key", "away.json"])
        // A change without a reason needs no key, as before.
        try expect(["amend", "s", "retire-annotator", "bo"])
    }

    // MARK: - Odd reasons and the lock

    /// "At most 500 characters" counted graphemes: one letter with 600 combining marks was one character, so a
    /// reason of any size (up to the shell's limit) went into the log and every report and status after.
    func testAReasonOfOneLetterWithThousandsOfCombiningMarksIsRefused() throws {
        try create(["--annotators", "ann,bo"])
        let pair = try store.load().study.itemIDs[0]
        let zalgo = "a" + String(repeating: "\u{0301}", count: 5000)
        XCTAssertEqual(zalgo.count, 1)
        XCTAssertTrue(try expect(["amend", "s", "withdraw", pair, "--reason", zalgo], status: 1).stderr.contains("500"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.amendmentsFile.path))
        try expect(["amend", "s", "withdraw", pair, "--reason", "r\u{00E9}ponse coup\u{0065}\u{0301}e"])
    }

    /// Annotators can read the study folder. With a lock readable by all, any of them could open it read-only and
    /// hold `flock` on it, and every `amend` was refused as "another amend is changing this study".
    func testTheAmendmentLockIsTheLeadsAlone() throws {
        try create(["--annotators", "ann,bo"])
        try expect(["amend", "s", "retire-annotator", "bo"])
        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: store.folder.appendingPathComponent("amendments.lock").path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o077, 0, String(mode, radix: 8))
    }

    // MARK: - An older log over the lead's

    /// `rsync` of a whole returning folder puts an older amendments.jsonl over the lead's: an annotator added since
    /// is unknown again, and their journal was refused with "remove it from journals/", advice that throws saved
    /// work away. The message names the likelier cause.
    func testAJournalOfAnAnnotatorTheLogNoLongerKnowsPointsAtTheLog() throws {
        try create(["--annotators", "ann,bo"])
        let older = folder.appendingPathComponent("older.jsonl")
        try expect(["amend", "s", "retire-annotator", "bo"])
        try FileManager.default.copyItem(at: store.amendmentsFile, to: older)
        try expect(["amend", "s", "add-annotator", "dave"])
        try Data("id,annotator,preference\nq1,dave,a\n".utf8).write(to: folder.appendingPathComponent("dave.csv"))
        try expect(["import", "s", "dave.csv"])
        try FileManager.default.removeItem(at: store.amendmentsFile)
        try FileManager.default.copyItem(at: older, to: store.amendmentsFile)
        let status = try expect(["status", "s"], status: 1)
        XCTAssertTrue(status.stderr.contains("dave.jsonl") && status.stderr.contains("amendments.jsonl"), status.stderr)
        XCTAssertFalse(status.stderr.contains("or remove it"), status.stderr)
    }

    // MARK: - Recovering from an interrupted add-pairs

    /// Killed after its files, before its log line: the study names items-N.jsonl and "the key part of amendment
    /// N". A lead who removed only the items file was then told "keys are never overwritten. Choose another --key
    /// path": advice that would part the study from its key.
    func testALeftoverKeyPartIsNamedAsTheLeftoverOfAnInterruptedAddPairs() throws {
        try create(["--annotators", "ann,bo"])
        for model in ["alpha", "beta"] {
            try Data(#"{"id": "q77", "prompt": "Question 77?", "response": "Answer 77 of \#(model == "alpha" ? "one" : "another") kind."}"#.utf8)
                .write(to: folder.appendingPathComponent("new-\(model).jsonl"))
        }
        try expect(["amend", "s", "retire-annotator", "bo"])
        let before = try Data(contentsOf: store.amendmentsFile)
        try expect(["amend", "s", "add-pairs", "--model", "alpha=new-alpha.jsonl", "--model", "beta=new-beta.jsonl"])
        try before.write(to: store.amendmentsFile)  // what a kill before the log line leaves
        try FileManager.default.removeItem(at: store.addedItemsFile(seq: 2))
        let again = try expect(["amend", "s", "add-pairs", "--model", "alpha=new-alpha.jsonl", "--model", "beta=new-beta.jsonl"], status: 1)
        XCTAssertTrue(again.stderr.contains("s.amendment-2.json") && again.stderr.contains("interrupted"), again.stderr)
        XCTAssertFalse(again.stderr.contains("another --key"), again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.addedItemsFile(seq: 2).path), "no new leftover")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("sessions/.keys/s.amendment-2.json"))
        try expect(["amend", "s", "add-pairs", "--model", "alpha=new-alpha.jsonl", "--model", "beta=new-beta.jsonl"])
    }

    // MARK: - Status after a retirement

    /// A retired annotator's unfinished slots will never be done (with --reassign others have them): the total
    /// "N/M pairs complete" must not count them, or a finished study never shows complete.
    func testStatusTotalLeavesOutARetiredAnnotatorsUnfinishedSlots() throws {
        try create(["--annotators", "ann,bo"])
        try expect(["amend", "s", "retire-annotator", "bo", "--reason", "left the project"])
        let (study, hash) = try store.load()
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "ann")
        for (slot, entry) in study.plan(for: "ann")!.queue.enumerated() {
            for criterion in study.rubric.criteria {
                try writer.append(.rating(slot: slot, item: entry.item, response: entry.a, criterion: criterion.id, value: 4))
                try writer.append(.rating(slot: slot, item: entry.item, response: entry.b, criterion: criterion.id, value: 3))
            }
            try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: "a"))
        }
        let status = try expect(["status", "s"])
        XCTAssertTrue(status.stdout.contains("12/12 pairs complete"), status.stdout)
        XCTAssertTrue(status.stdout.contains("bo (retired)") && status.stdout.contains("0/12"), "the retired row keeps its own count: \(status.stdout)")
    }
}
