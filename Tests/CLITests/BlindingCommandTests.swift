import Foundation
import XCTest

/// The blinding promises as the lead and the annotators meet them on the command line.
final class BlindingCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        var base = (1...12).map { #"{"id": "q\#($0)", "prompt": "Question \#($0)?", "response": "Base answer \#($0)."}"# }
        base[2] = #"{"id": "q3", "prompt": "Are you GPT-4?", "response": "No."}"#
        base[4] = #"{"id": "q5", "prompt": "Who made you?", "response": "A team."}"#
        var tuned = (1...12).map { #"{"id": "q\#($0)", "prompt": "Question \#($0)?", "response": "Tuned answer number \#($0)."}"# }
        tuned[2] = #"{"id": "q3", "prompt": "Are you GPT-4?", "response": "Yes, I am G\u200bPT-4o-mini."}"#
        tuned[4] = #"{"id": "q5", "prompt": "Who made you?", "response": "I was developed by Microsoft. I am Northwind."}"#
        try Data(base.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("base.jsonl"))
        try Data(tuned.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("tuned.jsonl"))
        try Data("model: Northwind\n".utf8).write(to: folder.appendingPathComponent("terms.txt"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func create(_ extra: [String]) throws -> CommandResult {
        try runBlindReview(
            ["create", "s", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "ann,bo", "--repeat", "2"] + extra,
            in: folder)
    }

    func testUnseededCreateKeepsTheSecretInTheKeyOnly() throws {
        let result = try create([])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("--seed makes"), result.stderr)
        XCTAssertTrue(result.stdout.contains("pairs:      12") && result.stdout.contains("plus 2 hidden repeats"), result.stdout)
        let key = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("sessions/.keys/s.json"))) as! [String: Any]
        XCTAssertEqual(key["seeded"] as? Bool, false)
        XCTAssertNil(key["seed"])
        XCTAssertEqual((key["secret"] as? String)?.count, 64)
        let study = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("sessions/s/study.json"))) as! [String: Any]
        XCTAssertEqual(study["study_id"] as? String, key["study_id"] as? String)
        XCTAssertTrue(result.stdout.contains(study["study_id"] as! String))
    }

    func testSeededCreateWarnsAndTheReportSaysSo() throws {
        let result = try create(["--seed", "9"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: --seed makes this study reproducible"), result.stderr)
        let report = try runBlindReview(["report", "s", "--bootstrap", "0"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("seeded study"), report.stdout)
        let json = try runBlindReview(["report", "s", "--bootstrap", "0", "--format", "json"], in: folder)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["seeded"] as? Bool, true)
        XCTAssertEqual(object["pairs"] as? Int, 12, "hidden repeats are not pairs of their own")
    }

    func testLeaksAreListedWithTheirFieldTierAndCountsAndRedactedWhole() throws {
        let result = try create(["--redact", "--leak-terms", "terms.txt"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("(source q3), prompt: \"GPT-4\""), result.stderr)
        XCTAssertTrue(result.stderr.contains("\"G⟨U+200B⟩PT-4o-mini\" (model name)") && result.stderr.contains("[also in the prompt] (redacted)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\"Microsoft\" (vendor, self-reference)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\"Northwind\" (model name)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("leaks by term: GPT 2, Microsoft 1, Northwind 1"), result.stderr)
        let items = try String(contentsOf: folder.appendingPathComponent("sessions/s/items.jsonl"), encoding: .utf8)
        XCTAssertTrue(items.contains("Yes, I am [redacted]."), items)
        XCTAssertTrue(items.contains("Are you GPT-4?"), "prompts are never changed")
        XCTAssertTrue(items.contains("developed by Microsoft. I am [redacted]."), "vendor names are flagged, not redacted")
        XCTAssertFalse(items.contains("mini") || items.contains("Northwind"))
    }

    func testStatusCountsRepeatsOnlyWithTheKey() throws {
        XCTAssertEqual(try create([]).status, 0)
        let withKey = try runBlindReview(["status", "s"], in: folder)
        XCTAssertEqual(withKey.status, 0, withKey.stderr)
        XCTAssertTrue(withKey.stdout.contains("12 pairs") && withKey.stdout.contains("0/2"), withKey.stdout)
        try FileManager.default.moveItem(at: folder.appendingPathComponent("sessions/.keys"), to: folder.appendingPathComponent("keys-elsewhere"))
        let without = try runBlindReview(["status", "s"], in: folder)
        XCTAssertEqual(without.status, 0, without.stderr)
        XCTAssertTrue(without.stdout.contains("14 pairs (hidden repeats included)") && without.stdout.contains("pass --key"), without.stdout)
        let given = try runBlindReview(["status", "s", "--key", "keys-elsewhere/s.json"], in: folder)
        XCTAssertTrue(given.stdout.contains("0/2"), given.stdout)
        // A blind report can use the key to leave repeats out, and still names no model.
        let blind = try runBlindReview(["report", "s", "--blind", "--key", "keys-elsewhere/s.json", "--bootstrap", "0"], in: folder)
        XCTAssertEqual(blind.status, 0, blind.stderr)
        XCTAssertTrue(blind.stdout.contains("12 pairs"), blind.stdout)
        XCTAssertFalse(blind.stdout.contains("base") || blind.stdout.contains("tuned"))
    }

    /// On a shared host an annotator cannot read another's journal; status says so rather than showing progress.
    func testStatusNamesNoProgressAnAnnotatorCannotRead() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to run status as another user")
        }
        XCTAssertEqual(try create([]).status, 0)
        let journal = folder.appendingPathComponent("sessions/s/journals/ann.jsonl")
        try Data(#"{"annotator":"ann","created":"2026-12-01T00:00:00.000Z","schema":1,"study":"s","study_sha256":"x","type":"header"}"#.utf8).write(to: journal)
        chmod(journal.path, 0o600)
        chmod(folder.appendingPathComponent("sessions/s/journals").path, 0o3733)
        let text = try runProcess(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", productsFolder.appendingPathComponent("blindreview").path, "status", "s"],
            in: folder).stdout
        XCTAssertTrue(text.contains("?/14") && text.contains("journal not readable by you"), text)
    }
}

/// `--format json` for scripts: `create` and `status`.
final class ScriptableOutputTests: XCTestCase {
    func testCreateAndStatusSpeakJSON() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data((1...8).map { #"{"id": "q\#($0)", "prompt": "Q\#($0)?", "response": "base \#($0)"}"# }.joined(separator: "\n").utf8)
            .write(to: folder.appendingPathComponent("base.jsonl"))
        var tuned = (1...8).map { #"{"id": "q\#($0)", "prompt": "Q\#($0)?", "response": "tuned \#($0)"}"# }
        tuned[0] = #"{"id": "q1", "prompt": "Q1?", "response": "I am Claude."}"#
        try Data(tuned.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("tuned.jsonl"))
        let create = try runBlindReview(
            ["create", "s", "--model", "base=base.jsonl", "--model", "tuned=tuned.jsonl", "--annotators", "ann,bo", "--repeat", "1", "--format", "json"], in: folder)
        XCTAssertEqual(create.status, 0, create.stderr)
        let made = try JSONSerialization.jsonObject(with: Data(create.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(made["pairs"] as? Int, 8)
        XCTAssertEqual(made["hidden_repeats"] as? Int, 1)
        XCTAssertEqual(made["seeded"] as? Bool, false)
        XCTAssertEqual((made["leaks"] as? [[String: Any]])?.first?["term"] as? String, "Claude")
        XCTAssertEqual((made["leaks"] as? [[String: Any]])?.first?["source_id"] as? String, "q1")
        XCTAssertEqual(made["leaks_by_term"] as? [String: Int], ["Claude": 1])
        XCTAssertFalse(create.stderr.contains("leak:"), "leaks are in the JSON, not repeated on stderr")

        let status = try runBlindReview(["status", "s", "--format", "json"], in: folder)
        XCTAssertEqual(status.status, 0, status.stderr)
        let progress = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(progress["study_id"] as? String, made["study_id"] as? String)
        XCTAssertEqual(progress["pairs"] as? Int, 8)
        XCTAssertEqual(progress["items"] as? Int, 9)
        let annotators = progress["annotators"] as! [[String: Any]]
        XCTAssertEqual(annotators.map { $0["annotator"] as? String }, ["ann", "bo"])
        XCTAssertEqual(annotators[0]["repeats_assigned"] as? Int, 1)
        XCTAssertEqual(annotators[0]["complete"] as? Int, 0)
    }
}
