@testable import BlindReviewCore
import Foundation
import XCTest

/// The writer folds a batch of changes when its state is next read, and a batch too large to keep (an
/// import's) from the file again: either way its state, and the events it reads back for a merge, are what
/// loading the journal gives, through small and large batches, undos and a slot outside the queue.
final class JournalWriterBatchTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testStateAfterSmallAndLargeBatchesIsTheLoadedState() throws {
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(600), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 2, annotators: ["alice"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        let queue = study.plan(for: "alice")!.queue
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
        func check(_ what: String, line: UInt = #line) throws {
            let loaded = try JournalLoader.load(store.journalFile(for: "alice"), study: study, studySHA256: hash, annotator: "alice")
            XCTAssertEqual(writer.state, loaded.state, what, line: line)
            XCTAssertEqual(writer.events, loaded.events, what, line: line)
        }
        func ratings(_ round: Int) -> [JournalEvent] {
            queue.enumerated().flatMap { slot, entry in
                ["accuracy", "relevance", "format", "fluency"].flatMap { criterion in
                    [entry.a, entry.b].map { .rating(slot: slot, item: entry.item, response: $0, criterion: criterion, value: 1 + (slot + round) % 5) }
                }
            }
        }
        // A small batch, kept for the fold; then one above the largest kept (folded from the file again).
        try writer.append(contentsOf: Array(ratings(0).prefix(50)))
        try check("small batch")
        let large = ratings(1)
        XCTAssertGreaterThan(large.count, JournalWriter.largestPendingBatch)
        try writer.append(contentsOf: large)
        try check("large batch")
        // An undo after a large batch folds it first, then refuses an undo of nothing.
        try writer.append(contentsOf: ratings(2))
        XCTAssertNotNil(try writer.undo())
        try check("undo after a large batch")
        let length = writer.length
        XCTAssertThrowsError(try writer.append(contentsOf: [JournalEvent(type: .undo, target: 999_999)]))
        XCTAssertEqual(writer.length, length, "a refused undo writes nothing")
        // A slot outside the queue is refused before anything is written.
        XCTAssertThrowsError(try writer.append(contentsOf: [.preference(slot: queue.count, item: queue[0].item, option: "a")]))
        XCTAssertEqual(writer.length, length)
        try writer.append(.preference(slot: 3, item: queue[3].item, option: "tie"))
        try check("single change after all")
    }
}
