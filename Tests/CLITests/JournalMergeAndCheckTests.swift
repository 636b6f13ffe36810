import Foundation
import XCTest

/// `blindreview journal merge` with two machines' copies, and `blindreview check`.
final class JournalMergeAndCheckTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        try write("""
            {"id": "x1", "prompt": "P1", "response_a": "A1", "response_b": "B1", "mapping": {"a": "base", "b": "tuned"}}
            {"id": "x2", "prompt": "P2", "response_a": "A2", "response_b": "B2", "mapping": {"a": "tuned", "b": "base"}}
            """, "pairs.jsonl")
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann,bo", "--seed", "2"], in: folder).status, 0)
        try write("id,annotator,preference,accuracy_a,accuracy_b\nx1,ann,a,5,2\n", "labels.csv")
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    var journal: URL { folder.appendingPathComponent("sessions/s/journals/ann.jsonl") }

    func lines(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    func text(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The final score per response id (no undo in these journals).
    func scores(_ url: URL) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for event in try lines(url) where event["type"] as? String == "rating" { result[event["response"] as! String] = event["value"] as? Int }
        return result
    }

    func testTwoMachinesCopiesWithOverlappingAndConflictingChanges() throws {
        let shared = try lines(journal)  // header, preference, two ratings: what both machines had
        let ratingA = shared[2], ratingB = shared[3]
        func change(_ base: [String: Any], seq: Int, value: Int, t: String) -> [String: Any] {
            var copy = base
            copy["seq"] = seq
            copy["value"] = value
            copy["t"] = "2030-01-01T10:\(t).000Z"
            return copy
        }
        // Laptop: response A's accuracy to 4 at 10:05. Desktop: the same score to 3 at 10:07 (later), B's to 1.
        let laptop = shared + [change(ratingA, seq: 4, value: 4, t: "05:00")]
        let desktop = shared + [change(ratingA, seq: 4, value: 3, t: "07:00"), change(ratingB, seq: 5, value: 1, t: "08:00")]
        try (laptop.map(text).joined(separator: "\n") + "\n").write(to: journal, atomically: true, encoding: .utf8)
        try write(desktop.map(text).joined(separator: "\n") + "\n", "desktop.jsonl")

        let merged = try runBlindReview(["journal", "merge", "s", "desktop.jsonl", "--annotator", "ann"], in: folder)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertTrue(merged.stdout.contains("2 change(s)") && merged.stdout.contains("1 conflict(s)"), merged.stdout)
        XCTAssertTrue(merged.stdout.contains("conflict:") && merged.stdout.contains("kept \"3\"") && merged.stdout.contains("over \"4\""), merged.stdout)
        let final = try scores(journal)
        XCTAssertEqual(final[ratingA["response"] as! String], 3, "the later change wins")
        XCTAssertEqual(final[ratingB["response"] as! String], 1, "the change only the desktop had")
        XCTAssertEqual(try lines(journal).prefix(laptop.count).map(text), laptop.map(text), "nothing rewritten, only appended")

        let count = try lines(journal).count
        let again = try runBlindReview(["journal", "merge", "s", "desktop.jsonl", "--annotator", "ann"], in: folder)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 change(s)"), again.stdout)
        XCTAssertEqual(try lines(journal).count, count, "merging the same copy twice adds nothing")

        let wrong = try runBlindReview(["journal", "merge", "s", "desktop.jsonl", "--annotator", "bo"], in: folder)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("belongs to annotator \"ann\""), wrong.stderr)
        XCTAssertEqual(try runBlindReview(["status", "s"], in: folder).status, 0)
    }

    func testCheckSaysOkOrNamesWhatIsWrongOneLineEach() throws {
        let good = try runBlindReview(["check", "s"], in: folder)
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.contains("ok    study.json") && good.stdout.contains("ok    journals/ann.jsonl") && good.stdout.contains("belongs to this study"), good.stdout)
        XCTAssertTrue(good.stdout.contains("lost key cannot be recovered"))

        XCTAssertEqual(try runBlindReview(["create", "t", "--pairs", "pairs.jsonl", "--annotators", "ann", "--seed", "3"], in: folder).status, 0)
        let foreign = try runBlindReview(["check", "s", "--key", "sessions/.keys/t.json"], in: folder)
        XCTAssertEqual(foreign.status, 1)
        XCTAssertTrue(foreign.stdout.contains("FAIL") && foreign.stdout.contains("does not belong to study \"s\""), foreign.stdout)

        try FileManager.default.copyItem(at: journal, to: journal.deletingLastPathComponent().appendingPathComponent("ann.jsonl.orphan-20300101T000000Z"))
        try "garbage\n".write(to: journal.deletingLastPathComponent().appendingPathComponent("bo.jsonl"), atomically: true, encoding: .utf8)
        let damaged = try runBlindReview(["check", "s"], in: folder)
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stdout.contains("FAIL  ") && damaged.stdout.contains("bo.jsonl"), damaged.stdout)
        XCTAssertTrue(damaged.stdout.contains("orphan") && damaged.stdout.contains("journal merge"), damaged.stdout)
    }
}
