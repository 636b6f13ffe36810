import BlindReviewCore
import Foundation
import XCTest

/// Finding 6 (`import` atomic, re-imports recognised) and finding 7 (`--output` never over study or key files).
final class ImportAndOutputSafetyTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        try write("""
            {"id": "x1", "prompt": "P1", "response_a": "A1", "response_b": "B1", "mapping": {"a": "base", "b": "tuned"}}
            {"id": "x2", "prompt": "P2", "response_a": "A2", "response_b": "B2", "mapping": {"a": "tuned", "b": "base"}}
            """, "pairs.jsonl")
        let create = try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann,bo,cy", "--seed", "2"], in: folder)
        XCTAssertEqual(create.status, 0, create.stderr)
        try write("id,annotator,preference,accuracy_a,accuracy_b\nx1,ann,a,5,2\nx2,ann,b,1,4\nx1,bo,a,4,2\nx2,bo,tie,3,3\nx1,cy,b,2,2\n", "labels.csv")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func journal(_ annotator: String) -> URL { folder.appendingPathComponent("sessions/s/journals/\(annotator).jsonl") }
    func bytes(_ annotator: String) -> Data? { try? Data(contentsOf: journal(annotator)) }
    func eventCount(_ annotator: String) -> Int {
        (bytes(annotator).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "\n").count - 1
    }

    func testAFailureOnTheThirdJournalChangesNothing() throws {
        // cy's journal is damaged: the import must not have written ann's and bo's first.
        try FileManager.default.createDirectory(at: journal("cy").deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a journal\n".utf8).write(to: journal("cy"))
        let result = try runBlindReview(["import", "s", "labels.csv"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cy.jsonl"), result.stderr)
        XCTAssertNil(bytes("ann"), "nothing written for ann")
        XCTAssertNil(bytes("bo"), "nothing written for bo")
    }

    func testAHeldLockStopsTheImportBeforeAnythingIsWritten() throws {
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let lock = try AnnotatorLock.acquire(store: store, annotator: "cy")
        defer { lock.release() }
        let result = try runBlindReview(["import", "s", "labels.csv"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("already open") && result.stderr.contains("\(getpid())"), result.stderr)
        XCTAssertNil(bytes("ann"))
        XCTAssertNil(bytes("bo"))
    }

    func testReimportIsRecognisedAndConflictsNeedReplace() throws {
        let first = try runBlindReview(["import", "s", "labels.csv"], in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        let counts = ["ann", "bo", "cy"].map(eventCount)
        XCTAssertEqual(counts, [6, 6, 3])
        let again = try runBlindReview(["import", "s", "labels.csv"], in: folder)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("5 already imported"), again.stdout)
        XCTAssertEqual(["ann", "bo", "cy"].map(eventCount), counts, "a second import adds nothing")

        try write("id,annotator,preference,accuracy_a,accuracy_b\nx1,ann,b,5,2\n", "changed.csv")
        let before = bytes("ann")
        let conflict = try runBlindReview(["import", "s", "changed.csv"], in: folder)
        XCTAssertEqual(conflict.status, 1)
        XCTAssertTrue(conflict.stderr.contains("changed.csv:2") && conflict.stderr.contains("--replace"), conflict.stderr)
        XCTAssertEqual(bytes("ann"), before)
        let replaced = try runBlindReview(["import", "s", "changed.csv", "--replace"], in: folder)
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stdout.contains("1 replaced"), replaced.stdout)
        XCTAssertEqual(eventCount("ann"), 7, "the change is one new event; nothing rewritten")
        XCTAssertTrue(try String(contentsOf: journal("ann"), encoding: .utf8).hasPrefix(String(decoding: before!, as: UTF8.self)))
    }

    // Finding 7: --output could overwrite the key, a journal or study.json.
    func testOutputNeverWritesIntoTheStudyOrKeyFolder() throws {
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
        let protected = ["sessions/.keys/s.json", "sessions/s/journals/ann.jsonl", "sessions/s/study.json", "sessions/.keys/new.txt", "sessions/s/new.txt"]
        let before = protected.map { try? Data(contentsOf: folder.appendingPathComponent($0)) }
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("out"), withDestinationURL: folder.appendingPathComponent("sessions/s"))
        for target in protected + ["out/report.txt"] {
            let report = try runBlindReview(["report", "s", "--output", target, "--bootstrap", "0"], in: folder)
            XCTAssertEqual(report.status, 1, target)
            XCTAssertTrue(report.stderr.contains("--output never writes there"), report.stderr)
            let export = try runBlindReview(["export", "s", "--format", "csv", "--output", target], in: folder)
            XCTAssertEqual(export.status, 1, target)
        }
        XCTAssertEqual(protected.map { try? Data(contentsOf: folder.appendingPathComponent($0)) }, before)
        let fine = try runBlindReview(["report", "s", "--output", "report.txt", "--bootstrap", "0"], in: folder)
        XCTAssertEqual(fine.status, 0, fine.stderr)
    }
}
