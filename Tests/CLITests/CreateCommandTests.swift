import Foundation
import XCTest

final class CreateCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        try Data("""
            {"id": "q1", "prompt": "Reset password?", "response": "Use the link."}
            {"id": "q2", "prompt": "Delete account?", "response": "Settings."}
            {"id": "q3", "prompt": "Change email?", "response": "I am ChatGPT."}
            """.utf8).write(to: folder.appendingPathComponent("base.jsonl"))
        try Data("""
            {"id": "q2", "prompt": "Delete account?", "response": "Settings > Account."}
            {"id": "q1", "prompt": "Reset password?", "response": "Tap Forgot password."}
            {"id": "q3", "prompt": "Change email?", "response": "Settings > Email."}
            """.utf8).write(to: folder.appendingPathComponent("tuned.jsonl"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func create(_ extra: [String] = []) throws -> CommandResult {
        try runBlindReview(["create", "s", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "ann,bo", "--seed", "5"] + extra, in: folder)
    }

    func testCreateWritesStudyAndKeyAndListsLeaks() throws {
        let result = try create()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("pairs:      3"))
        XCTAssertTrue(result.stderr.contains("(source q3), response r"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\"ChatGPT\""))
        let study = try String(contentsOf: folder.appendingPathComponent("sessions/s/study.json"), encoding: .utf8)
            + String(contentsOf: folder.appendingPathComponent("sessions/s/items.jsonl"), encoding: .utf8)
        XCTAssertTrue(study.contains("Tap Forgot password."))
        XCTAssertFalse(study.contains("\"base\"") || study.contains("tuned"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/.keys/s.json").path))
    }

    func testGuidelinesAreStoredCoveredByTheStudyHashAndCheckedOnOpen() throws {
        try Data("# Judge carefully\nAccuracy first.\n".utf8).write(to: folder.appendingPathComponent("guide.md"))
        let result = try create(["--guidelines", "guide.md"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let stored = folder.appendingPathComponent("sessions/s/guidelines.md")
        XCTAssertEqual(try String(contentsOf: stored, encoding: .utf8), "# Judge carefully\nAccuracy first.\n")
        let study = try String(contentsOf: folder.appendingPathComponent("sessions/s/study.json"), encoding: .utf8)
        XCTAssertTrue(study.contains("guidelines_sha256"), study)
        try Data("# Judge quickly\n".utf8).write(to: stored)
        let open = try runBlindReview(["annotate", "s", "--annotator", "ann"], in: folder)
        XCTAssertEqual(open.status, 1)
        XCTAssertTrue(open.stderr.contains("guidelines.md") && open.stderr.contains("changed after the study was created"), open.stderr)
        try Data().write(to: folder.appendingPathComponent("empty.md"))
        let empty = try runBlindReview(["create", "e", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "ann", "--guidelines", "empty.md"], in: folder)
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("empty.md") && empty.stderr.contains("the guidelines are empty"), empty.stderr)
    }

    func testOneCriterionIsNotCriteria() throws {
        try Data("""
            name: one
            criteria:
              - id: overall
                name: Overall
                min: 1
                max: 3
            preference:
              question: Which is better?
              options:
                - {id: a, key: a, label: A, favours: a}
                - {id: b, key: b, label: B, favours: b}
            """.utf8).write(to: folder.appendingPathComponent("one.yaml"))
        let result = try create(["--rubric", "one.yaml"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("1 criterion,"), result.stdout)
    }

    func testSameSeedGivesByteIdenticalStudy() throws {
        XCTAssertEqual(try create().status, 0)
        let first = try Data(contentsOf: folder.appendingPathComponent("sessions/s/study.json"))
        let items = try Data(contentsOf: folder.appendingPathComponent("sessions/s/items.jsonl"))
        XCTAssertEqual(try create(["--force"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("sessions/s/study.json")), first)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("sessions/s/items.jsonl")), items)
    }

    func testRedactHidesLeaks() throws {
        XCTAssertEqual(try create(["--redact"]).status, 0)
        let study = try String(contentsOf: folder.appendingPathComponent("sessions/s/items.jsonl"), encoding: .utf8)
        XCTAssertFalse(study.contains("ChatGPT"))
        XCTAssertTrue(study.contains("I am [redacted]."))
    }

    func testExistingStudyNeedsForce() throws {
        XCTAssertEqual(try create().status, 0)
        let again = try create()
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("already exists") && again.stderr.contains("--force"), again.stderr)
    }

    func testBadInputsGiveOneClearLineAndNoFolder() throws {
        try Data("{\"id\": \"q1\", \"prompt\": \"x\", \"response\": \"y\"}\n{oops\n".utf8).write(to: folder.appendingPathComponent("broken.jsonl"))
        let broken = try runBlindReview(["create", "b", "--model", "base=broken.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "a"], in: folder)
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("broken.jsonl:2: malformed JSON"), broken.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/b").path))

        let unknown = try runBlindReview(["create", "b", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "a", "--sed", "3"], in: folder)
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("Unknown option '--sed'"), unknown.stderr)

        let one = try runBlindReview(["create", "b", "--model", "base=base.jsonl", "--annotators", "a"], in: folder)
        XCTAssertNotEqual(one.status, 0)
        XCTAssertTrue(one.stderr.contains("at least two models"), one.stderr)

        let badName = try runBlindReview(["create", "b", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "a,../x"], in: folder)
        XCTAssertEqual(badName.status, 1)
        XCTAssertTrue(badName.stderr.contains("\"../x\" is not allowed"), badName.stderr)

        let keyInside = try runBlindReview(["create", "b", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "a", "--key", "sessions/b/key.json"], in: folder)
        XCTAssertEqual(keyInside.status, 1)
        XCTAssertTrue(keyInside.stderr.contains("inside the study folder"), keyInside.stderr)
    }

    func testStatusAndDemo() throws {
        let demo = try runBlindReview(["demo", "--create-only"], in: folder)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains("created the demo study"))
        let status = try runBlindReview(["status", "demo"], in: folder)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("demo              0/22"), status.stdout)
        let missing = try runBlindReview(["status", "nope"], in: folder)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such study"))
        // A misspelt study is "no such study" in report and export too, not a missing key.
        for command in [["report", "nope"], ["export", "nope", "--format", "csv"]] {
            let result = try runBlindReview(command, in: folder)
            XCTAssertEqual(result.status, 1)
            XCTAssertTrue(result.stderr.contains("sessions/nope: no such study."), result.stderr)
        }
    }

    func testMTBenchStudyFromTheCommandLine() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        let bench = shared.appendingPathComponent("mt-bench").path
        let result = try runBlindReview([
            "create", "mt", "--model", "llama-13b=\(bench)/model_answer/llama-13b.jsonl",
            "--model", "vicuna-13b-v1.3=\(bench)/model_answer/vicuna-13b-v1.3.jsonl",
            "--questions", "\(bench)/question.jsonl", "--references", "\(bench)/reference_answer/gpt-4.jsonl",
            "--annotators", "a,b,c", "--repeat", "8", "--seed", "13",
        ], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("pairs:      80"))
        XCTAssertTrue(result.stdout.contains("a (88), b (88), c (88)"), result.stdout)
    }
}

/// Help text is read in an 80-column terminal: no example command may be broken in the middle.
final class HelpTextTests: XCTestCase {
    func testExamplesFitEightyColumnsWithoutBreakingACommand() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in ["create", "annotate", "status", "agreement", "report", "export", "import", "import-judge", "judge", "demo", "adjudicate"] {
            let help = try runBlindReview([command, "--help"], in: folder, environment: ["COLUMNS": "80"])
            XCTAssertEqual(help.status, 0, command)
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.hasPrefix("  blindreview ") || line.hasPrefix("      --") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(command): \(line)")
                // A wrapped example continues on a line that is neither an example, a continuation nor blank.
                if index + 1 < lines.count, !line.hasSuffix("\\") {
                    let next = lines[index + 1]
                    XCTAssertTrue(next.isEmpty || next.hasPrefix("  blindreview ") || next.hasPrefix("      --") || !next.hasPrefix("  "),
                                  "\(command): an example runs on: \(line) / \(next)")
                }
            }
        }
    }
}
