import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// Replaces one journal (by inode) on its second write and fails every write from a later call on.
final class ReplacingWriteCounter: @unchecked Sendable {
    var calls = 0
    var journalWrites = 0
    var replacedAt = Int.max
    var failAfterReplacing = 4
    let journal: URL
    let replacement: Data

    init(journal: URL, replacement: Data) {
        self.journal = journal
        self.replacement = replacement
    }

    var io: FileIO {
        FileIO(
            write: { fd, bytes in
                self.calls += 1
                var open = stat(), named = stat()
                if fstat(fd, &open) == 0, lstat(self.journal.path, &named) == 0, open.st_ino == named.st_ino {
                    self.journalWrites += 1
                    if self.journalWrites == 2 {
                        // Another machine's copy of the journal arrives (a sync tool renames it into place).
                        let spare = self.journal.deletingLastPathComponent().appendingPathComponent(".sync-tmp")
                        try? self.replacement.write(to: spare)
                        rename(spare.path, self.journal.path)
                        self.replacedAt = self.calls
                    }
                }
                return self.replacedAt != Int.max && self.calls >= self.replacedAt + self.failAfterReplacing ? -Int(ENOSPC) : FileIO.system.write(fd, bytes)
            },
            fsync: FileIO.system.fsync)
    }
}

extension ImportExportFastPathTests {
    /// An import written in parts, its journal replaced by another machine's copy between two parts, then a
    /// failed write: the roll-back must not cut the replacement (a length measured on the old file) and lose the
    /// other machine's saved change.
    func testAJournalReplacedBetweenPartsKeepsTheReplacementsChangesWhenTheImportFails() throws {
        let (store, key) = try makeStudy("fast", count: 30)
        try judgeByHand(store, seed: 21)
        let csv = try write(rows(store, key: key, seed: 22), "rows.csv")
        let (study, hash) = try store.load()
        // The other machine's copy of ann's journal: what is there now, plus a note made there.
        let other = try copy("fast", to: "other")
        let remote = try JournalWriter.open(store: other, study: study, studySHA256: hash, annotator: "ann", now: Self.clock)
        try remote.append(.note(slot: 0, item: study.plan(for: "ann")!.queue[0].item, text: "made on the other machine"))
        let replacement = try Data(contentsOf: other.journalFile(for: "ann"))
        let counter = ReplacingWriteCounter(journal: store.journalFile(for: "ann"), replacement: replacement)
        XCTAssertThrowsError(try JudgmentImport.run(
            store: store, key: key, file: csv, replace: true, io: counter.io, study: (study, hash), now: Self.clock, eventsPerWrite: 7, progress: nil))
        XCTAssertNotEqual(counter.replacedAt, Int.max, "the journal was replaced between parts")
        // The other machine's note is still on disk: in the journal, or in a copy beside it.
        let folder = store.journalsFolder
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))?.contains("made on the other machine") == true
        }
        XCTAssertFalse(kept.isEmpty, "the replacement's own change was lost; files: \((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])")
        // Cut back to the replacement exactly as it arrived (the old file, with the first parts, is the orphan).
        XCTAssertEqual(try Data(contentsOf: store.journalFile(for: "ann")), replacement)
        // And the journal still loads.
        XCTAssertNoThrow(try JournalLoader.load(store.journalFile(for: "ann"), study: study, studySHA256: hash, annotator: "ann"))
    }
}
