import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// Counts write calls and fails from the `failAt`-th on (ENOSPC), for import's all-or-nothing test.
final class WriteCounter: @unchecked Sendable {
    var calls = 0
    var failAt = Int.max
    var io: FileIO {
        FileIO(
            write: { fd, bytes in
                self.calls += 1
                return self.calls >= self.failAt ? -Int(ENOSPC) : FileIO.system.write(fd, bytes)
            },
            fsync: FileIO.system.fsync)
    }
}

final class ImportAtomicityTests: XCTestCase {
    func testAWriteFailureOnTheThirdJournalCutsEveryJournalBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-import-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/i"))
        let pairs = (1...2).map {
            CandidatePair(sourceID: "x\($0)", prompt: [.user("Q\($0)?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["b\($0)"]), second: ModelResponse(model: "tuned", turns: ["t\($0)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "i", seed: 5, annotators: ["a1", "a2", "a3"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let hash = try store.load().sha256
        var before: [String: Data] = [:]
        for annotator in ["a1", "a2", "a3"] {
            let writer = try JournalWriter.open(store: store, study: built.study, studySHA256: hash, annotator: annotator)
            let entry = built.study.plan(for: annotator)!.queue[0]
            try writer.append(JournalEvent(type: .open, slot: 0, item: entry.item))
            before[annotator] = try Data(contentsOf: store.journalFile(for: annotator))
        }
        let csv = folder.appendingPathComponent("labels.csv")
        try Data("id,annotator,preference\nx1,a1,a\nx1,a2,b\nx1,a3,tie\nx2,a1,a\n".utf8).write(to: csv)
        let counter = WriteCounter()
        counter.failAt = 3  // a1 and a2 are written, a3 fails
        XCTAssertThrowsError(try JudgmentImport.run(store: store, key: built.key, file: csv.path, io: counter.io)) { error in
            XCTAssertTrue("\(error)".contains("cut back"), "\(error)")
        }
        XCTAssertEqual(counter.calls, 3)
        for annotator in ["a1", "a2", "a3"] {
            XCTAssertEqual(try Data(contentsOf: store.journalFile(for: annotator)), before[annotator], "\(annotator) cut back")
        }
        let summary = try JudgmentImport.run(store: store, key: built.key, file: csv.path)
        XCTAssertEqual(summary.imported, 4)
    }
}
