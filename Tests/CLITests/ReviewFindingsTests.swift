import Foundation
import XCTest

/// Findings of the adversarial review of blinding and input, each reproduced.
final class ReviewFindingsTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }

    func testModelFilesThatDisagreeOnAPromptAreRefused() throws {
        try write("m1.jsonl", #"{"id": "q1", "prompt": "Reset my password?", "response": "a"}"#)
        try write("m2.jsonl", #"{"id": "q1", "prompt": "Delete my account?", "response": "b"}"#)
        let result = try runBlindReview(["create", "s", "--model", "x=m1.jsonl", "--model", "y=m2.jsonl", "--annotators", "a"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("m2.jsonl:1: the prompt (or system message) for id \"q1\" differs"), result.stderr)
        try write("m3.jsonl", #"{"id": "q1", "prompt": "Reset my password?", "response": "b", "reference": "other gold"}"#)
        try write("m4.jsonl", #"{"id": "q1", "prompt": "Reset my password?", "response": "a", "reference": "gold"}"#)
        let references = try runBlindReview(["create", "s", "--model", "x=m4.jsonl", "--model", "y=m3.jsonl", "--annotators", "a"], in: folder)
        XCTAssertTrue(references.stderr.contains("the reference for id \"q1\" differs"), references.stderr)
    }

    func testOneResponseCannotFloodTheLeakList() throws {
        try write("m1.jsonl", #"{"id": "q1", "prompt": "p", "response": "\#(String(repeating: "GPT ", count: 5_000))"}"#)
        try write("m2.jsonl", #"{"id": "q1", "prompt": "p", "response": "fine"}"#)
        let result = try runBlindReview(["create", "s", "--model", "x=m1.jsonl", "--model", "y=m2.jsonl", "--annotators", "a"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "\nleak: pair").count + (result.stderr.hasPrefix("leak: pair") ? 1 : 0) - 1, 5, "five lines for one response")
        XCTAssertTrue(result.stderr.contains("4995 more not listed") && result.stderr.contains("leaks by term: GPT 5000"), result.stderr)
    }

    func testImportMatchesCriterionColumnsWithoutCase() throws {
        try write("rubric.yaml", "name: r\ncriteria:\n  - {id: Acc}\npreference:\n  options: [{id: a, key: a, favours: a}, {id: b, key: b, favours: b}]\n")
        try write("pairs.jsonl", #"{"id": "p0", "prompt": "Q?", "response_a": "x", "response_b": "y", "mapping": {"a": "m1", "b": "m2"}}"#)
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "al", "--rubric", "rubric.yaml"], in: folder).status, 0)
        try write("up.csv", "id,annotator,preference,Acc_a,Acc_b\np0,al,a,4,2\n")
        let result = try runBlindReview(["import", "s", "up.csv"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let journal = try String(contentsOf: folder.appendingPathComponent("sessions/s/journals/al.jsonl"), encoding: .utf8)
        XCTAssertTrue(journal.contains("\"criterion\":\"Acc\""), journal)
    }

    /// QA: `create ./pilot` was refused although the README says any argument with a / is a folder path.
    func testALeadingDotSlashNamesAFolderHere() throws {
        try write("m1.jsonl", #"{"id": "q1", "prompt": "p", "response": "a"}"#)
        try write("m2.jsonl", #"{"id": "q1", "prompt": "p", "response": "b"}"#)
        let result = try runBlindReview(["create", "./pilot", "--model", "x=m1.jsonl", "--model", "y=m2.jsonl", "--annotators", "a"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("pilot/study.json").path))
        XCTAssertEqual(try runBlindReview(["create", "./pilot/../x", "--model", "x=m1.jsonl", "--model", "y=m2.jsonl", "--annotators", "a"], in: folder).status, 1)
    }

    func testAFolderOrAnOldSchemaIsNamedForWhatItIs() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir.jsonl"), withIntermediateDirectories: true)
        try write("m2.jsonl", #"{"id": "q1", "prompt": "p", "response": "b"}"#)
        let result = try runBlindReview(["create", "s", "--model", "x=dir.jsonl", "--model", "y=m2.jsonl", "--annotators", "a"], in: folder)
        XCTAssertTrue(result.stderr.contains("dir.jsonl: this is a folder, not a file."), result.stderr)
        try write("m1.jsonl", #"{"id": "q1", "prompt": "p", "response": "a"}"#)
        XCTAssertEqual(try runBlindReview(["create", "t", "--model", "x=m1.jsonl", "--model", "y=m2.jsonl", "--annotators", "a"], in: folder).status, 0)
        let studyFile = folder.appendingPathComponent("sessions/t/study.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: studyFile)) as! [String: Any]
        json["schema_version"] = 0
        try JSONSerialization.data(withJSONObject: json).write(to: studyFile)
        let status = try runBlindReview(["status", "t"], in: folder)
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.stderr.contains("study schema 0 is not a version blindreview wrote"), status.stderr)
    }
}
