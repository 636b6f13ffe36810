import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// `import` must not let its journals tell a reader the pairs' order in the input (usually the source ids'
/// order, which the keyed pair ids hide): events are written in the annotator's slot order.
final class ImportOrderBlindingTests: XCTestCase {
    func testImportedEventsFollowTheQueueNotTheInputFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-import-order-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/o"))
        let count = 40
        let pairs = (0..<count).map {
            CandidatePair(sourceID: String(format: "s%03d", $0), prompt: [.user("Question \($0)?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["b\($0)"]), second: ModelResponse(model: "tuned", turns: ["t\($0)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "o", seed: 11, annotators: ["a1"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        // Rows in source-id order, as a spreadsheet sorted by id would give them.
        var csv = "id,annotator,preference,accuracy_a,accuracy_b\n"
        for i in 0..<count { csv += String(format: "s%03d", i) + ",a1,\(i % 2 == 0 ? "a" : "b"),\(1 + i % 5),\(5 - i % 5)\n" }
        let file = folder.appendingPathComponent("labels.csv")
        try Data(csv.utf8).write(to: file)
        _ = try JudgmentImport.run(store: store, key: built.key, file: file.path)

        let (study, hash) = try store.load()
        let journal = try JournalLoader.load(store.journalFile(for: "a1"), study: study, studySHA256: hash, annotator: "a1")
        let slots = journal.events.compactMap(\.slot)
        XCTAssertEqual(slots.count, count * 3)
        XCTAssertEqual(slots, slots.sorted(), "events in slot order, not in the input's source-id order")
        // And the queue itself is not in source order, or the test would prove nothing.
        let sourceOrder = study.plan(for: "a1")!.queue.map { built.key.pairs[$0.item]!.sourceID }
        XCTAssertNotEqual(sourceOrder, sourceOrder.sorted())
    }
}
