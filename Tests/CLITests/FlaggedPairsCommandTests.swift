import BlindReviewCore
import Foundation
import XCTest

/// `report` lists pairs annotators flagged; `export --exclude-flagged` leaves them out.
final class FlaggedPairsCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testReportListsFlagsAndExportCanExcludeThem() throws {
        let pairs = (1...3).map { #"{"id": "x\#($0)", "prompt": "P\#($0)", "response_a": "A\#($0)", "response_b": "B\#($0)", "mapping": {"a": "base", "b": "tuned"}}"# }
        try Data((pairs.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        let created = try runBlindReview(["create", "fl", "--pairs", "pairs.jsonl", "--annotators", "ann", "--seed", "1"], in: folder)
        XCTAssertEqual(created.status, 0, created.stderr)
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/fl"))
        let (study, hash) = try store.load()
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "ann")
        let queue = study.plan(for: "ann")!.queue
        for (slot, entry) in queue.enumerated() {
            try writer.append(.preference(slot: slot, item: entry.item, option: "a"))
        }
        try writer.append(.flag(slot: 0, item: queue[0].item, reason: .broken, note: "cut off"))
        try writer.append(.flag(slot: 1, item: queue[1].item, reason: .unsure, note: nil))
        try writer.append(.flag(slot: 1, item: queue[1].item, reason: nil, note: nil))  // cleared again

        let report = try runBlindReview(["report", "fl", "--bootstrap", "0"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        // With the key the lead also sees the prompt's own id.
        let source = try StudyStore.loadKey(at: store.defaultKeyFile, for: study).pairs[queue[0].item]!.sourceID
        XCTAssertTrue(report.stdout.contains("Flagged pairs (1):\n  \(queue[0].item) (source \(source))  ann: broken, \"cut off\""), report.stdout)

        let all = try runBlindReview(["export", "fl", "--format", "jsonl"], in: folder)
        XCTAssertEqual(all.status, 0, all.stderr)
        let kept = try runBlindReview(["export", "fl", "--format", "jsonl", "--exclude-flagged"], in: folder)
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(kept.stderr.contains("left out 1 flagged pair"), kept.stderr)
        XCTAssertEqual(all.stdout.split(separator: "\n").count - 1, kept.stdout.split(separator: "\n").count, "one judgment fewer")
        XCTAssertFalse(kept.stdout.contains("\"\(queue[0].item)\""), kept.stdout)
    }
}
