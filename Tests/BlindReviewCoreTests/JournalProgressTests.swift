@testable import BlindReviewCore
import XCTest

/// `status`, `report` and `export` show how much of the journals they have read (see ``ProgressReporter``).
final class JournalProgressTests: XCTestCase {
    func testLoadingJournalsCountsEveryJournalsKilobytesOnce() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/p"))
        let built = try StudyBuilder.build(pairs: samplePairs(200), models: ["base", "tuned"], options: StudyOptions(name: "p", seed: 3, annotators: ["a1", "a2"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        var bytes = 0
        for annotator in ["a1", "a2"] {
            let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
            let queue = study.plan(for: annotator)!.queue
            try writer.append(contentsOf: queue.indices.map { JournalEvent.note(slot: $0, item: queue[$0].item, text: String(repeating: "n", count: 40)) })
            bytes += try Data(contentsOf: store.journalFile(for: annotator)).count
        }
        XCTAssertGreaterThan(bytes, 4096)
        let progress = ProgressReporter(label: "reading journals", total: nil, unit: "KB", quiet: true)
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash, progress: progress)
        XCTAssertEqual(journals.journals.count, 2)
        XCTAssertEqual(progress.total, bytes / 1024)
        XCTAssertEqual(progress.done, bytes / 1024)
        XCTAssertEqual(journals.journals["a1"]?.eventCount, study.plan(for: "a1")!.queue.count)
        XCTAssertEqual(journals.journals["a1"]?.events, [], "folded without keeping the events")
    }

    /// A total given once (as status, report and export give it) stays on every later line; the line used to
    /// be drawn with each call's own total, so a bar with a total set once never showed.
    func testATotalGivenOnceStaysOnEveryLine() {
        let progress = ProgressReporter(label: "reading journals", total: nil, unit: "KB", quiet: true)
        progress.update(0, total: 2048)
        progress.update(1024)
        let line = progress.line(elapsed: 1, width: 80)
        XCTAssertTrue(line.contains("1,024/2,048 KB"), line)
        XCTAssertTrue(line.contains("["), line)
    }
}
