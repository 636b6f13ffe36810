import BlindReviewCore
import Foundation
import XCTest

/// Faults switched on and off by a test, read by the injected ``FileIO``.
final class Faults: @unchecked Sendable {
    var writeError: Int32 = 0
    /// Bytes really written before the write error (a torn write).
    var tornBytes = 0
    var fsyncError: Int32 = 0
    /// Run once inside the next write, before it (to replace the file meanwhile).
    var duringWrite: (() -> Void)?

    var io: FileIO {
        FileIO(
            write: { fd, bytes in
                if let action = self.duringWrite {
                    self.duringWrite = nil
                    action()
                }
                if self.writeError != 0 {
                    let count = min(self.tornBytes, bytes.count)
                    if count > 0 { _ = FileIO.system.write(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<count])) }
                    return -Int(self.writeError)
                }
                return FileIO.system.write(fd, bytes)
            },
            fsync: { fd in self.fsyncError != 0 ? self.fsyncError : FileIO.system.fsync(fd) })
    }
}

final class JournalSafetyTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!
    let faults = Faults()

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(6), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 1, annotators: ["alice", "bob"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    var queue: [QueueEntry] { study.plan(for: "alice")!.queue }
    var journalURL: URL { store.journalFile(for: "alice") }

    func open() throws -> JournalWriter {
        try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice", io: faults.io)
    }

    func load() throws -> LoadedJournal {
        try JournalLoader.load(journalURL, study: study, studySHA256: hash, annotator: "alice")
    }

    func rating(_ slot: Int, _ value: Int, criterion: String = "accuracy") -> JournalEvent {
        .rating(slot: slot, item: queue[slot].item, response: queue[slot].a, criterion: criterion, value: value)
    }

    func size() throws -> Int { try FileManager.default.attributesOfItem(atPath: journalURL.path)[.size] as! Int }

    // Finding 4: a torn append was not cut back, and later appends landed after it.
    func testEveryWriteErrorIsCutBackAndLaterAppendsLoad() throws {
        let writer = try open()
        try writer.append(rating(0, 4))
        for code in [ENOSPC, EDQUOT, EFBIG, EIO] {
            let before = try size()
            faults.writeError = code
            faults.tornBytes = 17
            XCTAssertThrowsError(try writer.append(rating(1, 3))) { error in
                XCTAssertEqual((error as? JournalSaveError)?.code, code)
                XCTAssertTrue("\(error)".contains(SafeFile.reason(code)))
            }
            XCTAssertEqual(try size(), before, "the torn line is cut back (\(SafeFile.reason(code)))")
            faults.writeError = 0
            faults.fsyncError = code
            XCTAssertThrowsError(try writer.append(rating(1, 3)))
            XCTAssertEqual(try size(), before, "a failed fsync is cut back too")
            faults.fsyncError = 0
            XCTAssertNil(writer.state.slots[1].rating(response: queue[1].a, criterion: "accuracy"), "state unchanged by a failed append")
        }
        try writer.append(rating(1, 2))
        let loaded = try load()
        XCTAssertEqual(loaded.events.map(\.seq), [1, 2])
        XCTAssertEqual(loaded.state.slots[1].rating(response: queue[1].a, criterion: "accuracy"), 2)
        XCTAssertTrue(loaded.warnings.isEmpty)
    }

    func testBatchAppendIsAllOrNothing() throws {
        let writer = try open()
        let before = try size()
        faults.writeError = ENOSPC
        faults.tornBytes = 100
        XCTAssertThrowsError(try writer.append(contentsOf: [rating(0, 1), rating(1, 2), rating(2, 3)]))
        XCTAssertEqual(try size(), before)
        faults.writeError = 0
        let mark = writer.length
        try writer.append(contentsOf: [rating(0, 1), rating(1, 2)])
        try writer.rollBack(to: mark)
        XCTAssertEqual(try size(), mark)
        XCTAssertEqual(writer.state.lastSeq, 0)
        XCTAssertEqual(try load().events.count, 0)
    }

    // Finding 3: a journal or lock that is a symbolic link was written through.
    func testJournalAndLockLinksAreRefusedAndTheirTargetsUntouched() throws {
        let target = folder.appendingPathComponent("notes.txt")
        try write("precious text without a final newline", to: target)
        try FileManager.default.createDirectory(at: store.journalsFolder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: journalURL, withDestinationURL: target)
        assertThrowsBlindReviewError(try open(), contains: ["alice.jsonl", "symbolic link"])
        try FileManager.default.createSymbolicLink(at: store.lockFile(for: "alice"), withDestinationURL: target)
        assertThrowsBlindReviewError(try AnnotatorLock.acquire(store: store, annotator: "alice"), contains: ["alice.lock", "symbolic link"])
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "precious text without a final newline")
    }

    // Finding 5: a journal replaced by rename kept being written to the unlinked file.
    func testJournalReplacedBeforeAnAppendIsMergedAndTheOldOneKept() throws {
        let writer = try open()
        try writer.append(rating(0, 4))
        try writer.append(rating(1, 5))
        // The other machine's copy: only the first change, plus a preference of its own; put in place by rename.
        let lines = try String(contentsOf: journalURL, encoding: .utf8).split(separator: "\n")
        let other = JournalEvent(seq: 2, t: "2020-01-01T00:00:00.000Z", type: .preference, slot: 2, item: queue[2].item, option: "a")
        let copy = lines[0...1].joined(separator: "\n") + "\n" + String(decoding: try JSONEncoder().encode(other), as: UTF8.self) + "\n"
        let staged = store.journalsFolder.appendingPathComponent(".alice.rsync")
        try write(copy, to: staged)
        XCTAssertEqual(rename(staged.path, journalURL.path), 0)
        XCTAssertTrue(writer.isReplaced)

        try writer.append(rating(3, 2))
        XCTAssertFalse(writer.isReplaced)
        let notice = try XCTUnwrap(writer.takeNotice())
        XCTAssertTrue(notice.contains("replaced") && notice.contains("orphan"), notice)
        let state = try load().state
        XCTAssertEqual(state.slots[0].rating(response: queue[0].a, criterion: "accuracy"), 4)
        XCTAssertEqual(state.slots[1].rating(response: queue[1].a, criterion: "accuracy"), 5, "the change only the old file had")
        XCTAssertEqual(state.slots[2].preference, "a", "the new file's own change")
        XCTAssertEqual(state.slots[3].rating(response: queue[3].a, criterion: "accuracy"), 2)
        XCTAssertEqual(writer.state, state)
        let orphans = try FileManager.default.contentsOfDirectory(atPath: store.journalsFolder.path).filter { $0.hasPrefix("alice.jsonl.orphan-") }
        XCTAssertEqual(orphans.count, 1)
        XCTAssertEqual(StudyJournals.load(store: store, study: study, studySHA256: hash).refused, [], "orphans are not journals")
    }

    func testJournalReplacedDuringAnAppendCarriesTheChangeOver() throws {
        let writer = try open()
        try writer.append(rating(0, 4))
        let header = try String(contentsOf: journalURL, encoding: .utf8).split(separator: "\n")[0]
        faults.duringWrite = {
            let staged = self.store.journalsFolder.appendingPathComponent(".alice.tmp")
            try? write(header + "\n", to: staged)
            rename(staged.path, self.journalURL.path)
        }
        try writer.append(rating(1, 1))
        XCTAssertNotNil(writer.takeNotice())
        let state = try load().state
        XCTAssertEqual(state.slots[0].rating(response: queue[0].a, criterion: "accuracy"), 4)
        XCTAssertEqual(state.slots[1].rating(response: queue[1].a, criterion: "accuracy"), 1, "the change written to the unlinked file is in the new one")
    }

    func testJournalDeletedUnderTheSessionIsRestored() throws {
        let writer = try open()
        try writer.append(rating(0, 4))
        try FileManager.default.removeItem(at: journalURL)
        try writer.append(rating(1, 3))
        let state = try load().state
        XCTAssertEqual(state.slots[0].rating(response: queue[0].a, criterion: "accuracy"), 4)
        XCTAssertEqual(state.slots[1].rating(response: queue[1].a, criterion: "accuracy"), 3)
    }

    // journal merge: two machines' copies with overlapping and conflicting changes.
    func testMergeOfTwoMachinesCopies() throws {
        func event(_ seq: Int, _ t: String, _ type: JournalEvent.Kind, slot: Int, value: Int? = nil, option: String? = nil, target: Int? = nil) -> JournalEvent {
            JournalEvent(
                seq: seq, t: "2026-12-01T10:\(t).000Z", type: type, slot: type == .undo ? nil : slot, item: type == .undo ? nil : queue[slot].item,
                response: type == .rating ? queue[slot].a : nil, criterion: type == .rating ? "accuracy" : nil, value: value, option: option, target: target)
        }
        // Shared history (synced before the machines split).
        let shared = [event(1, "00:00", .open, slot: 0), event(2, "00:10", .rating, slot: 0, value: 3), event(3, "00:20", .preference, slot: 0, option: "a")]
        // Laptop: changes slot 0's score to 4 at 10:05, scores slot 1.
        let laptop = shared + [event(4, "05:00", .rating, slot: 0, value: 4), event(5, "06:00", .rating, slot: 1, value: 2), event(6, "06:30", .leave, slot: 1)]
        // Desktop: changes slot 0's score to 5 at 10:07 (later: wins), undoes the preference, scores slot 2.
        let desktop = shared + [event(4, "07:00", .rating, slot: 0, value: 5), event(5, "07:30", .undo, slot: 0, target: 3), event(6, "08:00", .rating, slot: 2, value: 1)]

        let merge = JournalMerge.merge(base: laptop, other: desktop)
        XCTAssertEqual(merge.conflicts.count, 1, "\(merge.conflicts)")
        XCTAssertTrue(merge.conflicts[0].description.contains("kept \"5\"") && merge.conflicts[0].description.contains("over \"4\""), merge.conflicts[0].description)
        var state = JournalState(slotCount: queue.count)
        for (index, event) in laptop.enumerated() { try state.apply(JournalEvent(seq: index + 1, t: event.t, type: event.type, slot: event.slot, item: event.item, response: event.response, criterion: event.criterion, value: event.value, option: event.option, target: event.target, activeSeconds: event.activeSeconds)) }
        for (index, event) in merge.events.enumerated() {
            var copy = event
            copy.seq = laptop.count + index + 1
            try state.apply(copy)
        }
        XCTAssertEqual(state.slots[0].rating(response: queue[0].a, criterion: "accuracy"), 5)
        XCTAssertNil(state.slots[0].preference, "the desktop's later undo wins")
        XCTAssertEqual(state.slots[1].rating(response: queue[1].a, criterion: "accuracy"), 2)
        XCTAssertEqual(state.slots[2].rating(response: queue[2].a, criterion: "accuracy"), 1)
        // Merging the same copy again adds nothing.
        let merged = laptop + merge.events.enumerated().map { var e = $0.element; e.seq = laptop.count + $0.offset + 1; return e }
        XCTAssertTrue(JournalMerge.merge(base: merged, other: desktop).events.isEmpty)
    }
}
