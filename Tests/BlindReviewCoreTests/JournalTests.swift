import BlindReviewCore
import Foundation
import XCTest

final class JournalTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(10), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 1, annotators: ["alice", "bob"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    var queue: [QueueEntry] { study.plan(for: "alice")!.queue }

    func open(_ annotator: String = "alice") throws -> JournalWriter {
        try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
    }

    func testKeyIsOutsideTheStudyWithPrivateModes() throws {
        let key = store.defaultKeyFile
        XCTAssertFalse(key.path.hasPrefix(store.folder.path + "/"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as! Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: key.deletingLastPathComponent().path)[.posixPermissions] as! Int
        XCTAssertEqual(keyMode & 0o777, 0o600)
        XCTAssertEqual(folderMode & 0o777, 0o700)
        XCTAssertEqual(try StudyStore.loadKey(at: key, for: study).study, "s")
        let contents = try FileManager.default.subpathsOfDirectory(atPath: store.folder.path)
        XCTAssertEqual(contents.sorted(), ["items.jsonl", "journals", "study.json"])
    }

    func testItemsAreReadOnDemandAndCheckedAgainstTheStudy() throws {
        let items = try store.loadItems(for: study)
        XCTAssertEqual(items.count, 10)
        let first = try items.item(id: study.itemIDs[3])
        XCTAssertEqual(first.id, study.itemIDs[3])
        XCTAssertEqual(first.responses.count, 2)
        XCTAssertEqual(try items.all().map(\.id), study.itemIDs)
        var text = try String(contentsOf: store.itemsFile, encoding: .utf8)
        text = text.replacingOccurrences(of: "answer 3", with: "answer 4")
        try write(text, to: store.itemsFile)
        assertThrowsBlindReviewError(try store.loadItems(for: study), contains: ["items.jsonl", "does not match study.json"])
    }

    func testJournalWithOnlyATornHeaderIsStartedAnew() throws {
        try write("{\"annotator\":\"alice\",\"sch", to: store.journalFile(for: "alice"))
        let writer = try open()
        try writer.append(.preference(slot: 0, item: queue[0].item, option: "a"))
        let loaded = try JournalLoader.load(store.journalFile(for: "alice"), study: study, studySHA256: hash, annotator: "alice")
        XCTAssertEqual(loaded.events.count, 1)
        XCTAssertEqual(loaded.header.annotator, "alice")
    }

    func testKeyOfAnotherStudyIsRefused() throws {
        let other = StudyStore(folder: folder.appendingPathComponent("sessions/t"))
        let built = try StudyBuilder.build(pairs: samplePairs(10), models: ["base", "tuned"], options: StudyOptions(name: "t", seed: 2, annotators: ["alice"]))
        try other.create(built, keyFile: other.defaultKeyFile, force: false)
        assertThrowsBlindReviewError(try StudyStore.loadKey(at: other.defaultKeyFile, for: study), contains: ["does not belong to study \"s\""])
    }

    func testExistingStudyIsNotOverwrittenAndForceSparesJudgments() throws {
        let built = try StudyBuilder.build(pairs: samplePairs(5), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 9, annotators: ["alice"]))
        assertThrowsBlindReviewError(try store.create(built, keyFile: store.defaultKeyFile, force: false), contains: ["already exists", "--force"])
        let writer = try open()
        try writer.append(.preference(slot: 0, item: queue[0].item, option: "a"))
        assertThrowsBlindReviewError(try store.create(built, keyFile: store.defaultKeyFile, force: true), contains: ["alice.jsonl", "has judgments"])
        XCTAssertEqual(try store.load().study, study, "the refused --force left the study as it was")
    }

    func testEventsRoundTripAndUndoSurvivesRestart() throws {
        let writer = try open()
        let entry = queue[2]
        try writer.append(.rating(slot: 2, item: entry.item, response: entry.a, criterion: "accuracy", value: 4))
        try writer.append(.rating(slot: 2, item: entry.item, response: entry.a, criterion: "accuracy", value: 2))
        try writer.append(.preference(slot: 2, item: entry.item, option: "tie"))
        try writer.append(.note(slot: 2, item: entry.item, text: "both vague"))
        try writer.append(.flag(slot: 1, item: queue[1].item, reason: .duplicate, note: "same as pair 3"))
        try writer.append(JournalEvent(type: .leave, slot: 2, item: entry.item, activeSeconds: 12.5))
        XCTAssertEqual(writer.state.slots[2].rating(response: entry.a, criterion: "accuracy"), 2)

        let reopened = try open()
        XCTAssertEqual(reopened.state, writer.state)
        XCTAssertEqual(reopened.state.slots[2].note, "both vague")
        XCTAssertEqual(reopened.state.slots[2].activeSeconds, 12.5)
        XCTAssertEqual(reopened.state.slots[1].flag, "duplicate", "a flag reloads")
        XCTAssertEqual(reopened.state.slots[1].flagNote, "same as pair 3")
        try reopened.undo()  // the flag
        XCTAssertNil(reopened.state.slots[1].flag)
        try reopened.undo()  // the note
        try reopened.undo()  // the preference
        try reopened.undo()  // the second score: back to 4
        XCTAssertEqual(reopened.state.slots[2].rating(response: entry.a, criterion: "accuracy"), 4)
        XCTAssertNil(reopened.state.slots[2].preference)
        XCTAssertNil(reopened.state.slots[2].note)
        let third = try open()
        XCTAssertEqual(third.state.slots[2].rating(response: entry.a, criterion: "accuracy"), 4)
        try third.undo()
        XCTAssertNil(third.state.slots[2].rating(response: entry.a, criterion: "accuracy"))
        XCTAssertNil(try third.undo(), "nothing left to undo")
    }

    func testCompletionNeedsEveryRequiredField() throws {
        let writer = try open()
        let entry = queue[0]
        XCTAssertEqual(writer.state.slots[0].missing(rubric: study.rubric, entry: entry).count, 9)
        for criterion in study.rubric.criteria {
            for response in [entry.a, entry.b] {
                try writer.append(.rating(slot: 0, item: entry.item, response: response, criterion: criterion.id, value: 3))
            }
        }
        XCTAssertFalse(writer.state.slots[0].isComplete(rubric: study.rubric, entry: entry))
        XCTAssertEqual(writer.state.slots[0].missing(rubric: study.rubric, entry: entry), ["preference"])
        try writer.append(.preference(slot: 0, item: entry.item, option: "b"))
        XCTAssertTrue(writer.state.slots[0].isComplete(rubric: study.rubric, entry: entry))
    }

    func testTornLastLineIsReportedSkippedAndCutBeforeAppending() throws {
        let writer = try open()
        try writer.append(.preference(slot: 0, item: queue[0].item, option: "a"))
        try writer.append(.preference(slot: 1, item: queue[1].item, option: "b"))
        let url = store.journalFile(for: "alice")
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":3,\"t\":\"2026-11-22T10:00:00.000Z\",\"type\":\"prefer".utf8))
        try handle.close()

        let loaded = try JournalLoader.load(url, study: study, studySHA256: hash, annotator: "alice")
        XCTAssertEqual(loaded.events.count, 2)
        XCTAssertEqual(loaded.warnings.count, 1)
        XCTAssertTrue(loaded.warnings[0].description.contains("alice.jsonl:4"), loaded.warnings[0].description)
        XCTAssertEqual(loaded.state.slots[1].preference, "b")

        let reopened = try open()
        try reopened.append(.preference(slot: 2, item: queue[2].item, option: "tie"))
        let clean = try JournalLoader.load(url, study: study, studySHA256: hash, annotator: "alice")
        XCTAssertEqual(clean.warnings, [])
        XCTAssertEqual(clean.events.map(\.seq), [1, 2, 3])
        XCTAssertEqual(clean.state.slots[2].preference, "tie")
    }

    func testCorruptLineInTheMiddleIsAnErrorNamingTheLine() throws {
        let writer = try open()
        try writer.append(.preference(slot: 0, item: queue[0].item, option: "a"))
        try writer.append(.preference(slot: 1, item: queue[1].item, option: "b"))
        let url = store.journalFile(for: "alice")
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        lines[1] = "{\"seq\": garbage"
        try write(lines.joined(separator: "\n"), to: url)
        assertThrowsBlindReviewError(
            try JournalLoader.load(url, study: study, studySHA256: hash, annotator: "alice"),
            contains: ["alice.jsonl:2", "corrupt journal line"])
    }

    func testEventsThatDoNotFitTheStudyAreRejected() throws {
        let writer = try open()
        try writer.append(.preference(slot: 0, item: queue[0].item, option: "a"))
        let url = store.journalFile(for: "alice")
        let original = try String(contentsOf: url, encoding: .utf8)
        let cases = [
            "{\"seq\":9,\"t\":\"x\",\"type\":\"preference\",\"slot\":99,\"option\":\"a\"}": "slot 99",
            "{\"seq\":9,\"t\":\"x\",\"type\":\"preference\",\"slot\":0,\"option\":\"maybe\"}": "preference maybe",
            "{\"seq\":9,\"t\":\"x\",\"type\":\"rating\",\"slot\":0,\"response\":\"rnope\",\"criterion\":\"accuracy\",\"value\":3}": "response rnope",
            "{\"seq\":9,\"t\":\"x\",\"type\":\"rating\",\"slot\":0,\"response\":\"\(queue[0].a)\",\"criterion\":\"accuracy\",\"value\":7}": "score 7",
            "{\"seq\":1,\"t\":\"x\",\"type\":\"preference\",\"slot\":0,\"option\":\"b\"}": "event number 1",
            "{\"seq\":9,\"t\":\"x\",\"type\":\"flag\",\"slot\":0,\"option\":\"boring\"}": "flag boring",
        ]
        for (line, fragment) in cases {
            try write(original + line + "\n" + line + "\n", to: url)
            assertThrowsBlindReviewError(
                try JournalLoader.load(url, study: study, studySHA256: hash, annotator: "alice"), contains: ["alice.jsonl:3", fragment])
        }
    }

    func testJournalOfAnotherStudyOrAnnotatorIsRefused() throws {
        _ = try open()
        let url = store.journalFile(for: "alice")
        assertThrowsBlindReviewError(
            try JournalLoader.load(url, study: study, studySHA256: String(repeating: "0", count: 64), annotator: "alice"),
            contains: ["alice.jsonl:1", "belongs to another study"])
        try FileManager.default.copyItem(at: url, to: store.journalFile(for: "bob"))
        try FileManager.default.copyItem(at: url, to: store.journalsFolder.appendingPathComponent("mallory.jsonl"))
        let all = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(Array(all.journals.keys), ["alice"])
        XCTAssertEqual(all.refused.count, 2)
        XCTAssertTrue(all.refused.contains { $0.description.contains("bob.jsonl") && $0.description.contains("annotator \"alice\", not \"bob\"") })
        XCTAssertTrue(all.refused.contains { $0.description.contains("mallory.jsonl") && $0.description.contains("not an annotator") })
    }

    func testSecondLockForTheSameAnnotatorIsRefusedWithThePID() throws {
        let lock = try AnnotatorLock.acquire(store: store, annotator: "alice")
        assertThrowsBlindReviewError(try AnnotatorLock.acquire(store: store, annotator: "alice"), contains: ["already open", "process \(getpid())"])
        let other = try AnnotatorLock.acquire(store: store, annotator: "bob")
        other.release()
        lock.release()
        let again = try AnnotatorLock.acquire(store: store, annotator: "alice")
        again.release()
        assertThrowsBlindReviewError(try AnnotatorLock.acquire(store: store, annotator: "../evil"), contains: ["not allowed"])
    }

    func testStatusCountsDoneRepeatsAndMedianSeconds() throws {
        let writer = try open()
        for slot in 0..<3 {
            let entry = queue[slot]
            for criterion in study.rubric.criteria {
                for response in [entry.a, entry.b] {
                    try writer.append(.rating(slot: slot, item: entry.item, response: response, criterion: criterion.id, value: 4))
                }
            }
            try writer.append(.preference(slot: slot, item: entry.item, option: "a"))
            try writer.append(JournalEvent(type: .leave, slot: slot, item: entry.item, activeSeconds: Double(10 * (slot + 1))))
        }
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        let repeats = RepeatMap(study: study, key: nil)
        let progress = StudyStatus.progress(study: study, journals: journals.journals, repeats: repeats)
        XCTAssertEqual(progress[0].annotator, "alice")
        XCTAssertEqual(progress[0].done, 3)
        XCTAssertEqual(progress[0].assigned, 10)
        XCTAssertEqual(progress[0].medianSeconds, 20)
        XCTAssertNotNil(progress[0].lastActivity)
        XCTAssertEqual(progress[1].done, 0)
        XCTAssertNil(progress[1].lastActivity)
        let table = StudyStatus.render(study: study, progress: progress, repeats: repeats)
        XCTAssertTrue(table.contains("alice") && table.contains("3/10") && table.contains("20.0"))
        XCTAssertFalse(table.contains("base") || table.contains("tuned"))
    }

    func testLoadingAJournalFoldsTenThousandEvents() throws {
        let writer = try open()
        let entry = queue[0]
        for i in 0..<200 {
            try writer.append(.rating(slot: i % 10, item: queue[i % 10].item, response: queue[i % 10].a, criterion: "fluency", value: 1 + i % 5))
        }
        _ = entry
        let loaded = try JournalLoader.load(store.journalFile(for: "alice"), study: study, studySHA256: hash, annotator: "alice")
        XCTAssertEqual(loaded.events.count, 200)
        XCTAssertEqual(loaded.state.slots[9].rating(response: queue[9].a, criterion: "fluency"), 5)
    }
}
