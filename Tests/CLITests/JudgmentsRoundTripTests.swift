import Foundation
import XCTest

/// `export --format csv --table judgments` then `import` into a study made from the same inputs gives the same
/// report; with three models, rows are told apart by `model_a` and `model_b`.
final class JudgmentsRoundTripTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }

    func report(_ study: String) throws -> [String: Any] {
        let result = try runBlindReview(["report", study, "--format", "json", "--bootstrap", "200"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        var json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        // What belongs to the study rather than to the judgments: its name and id, when each annotator last
        // worked, the opaque pair ids, and the position tests (which side each study happened to show).
        for field in ["study", "study_id", "seeded", "flagged_pairs", "coverage", "position"] { json[field] = nil }
        if var agreement = json["agreement"] as? [String: Any] {
            agreement["most_disputed"] = (agreement["most_disputed"] as? [[String: Any]])?.map { $0.filter { $0.key != "pair" } }
            json["agreement"] = agreement
        }
        json["annotators"] = (json["annotators"] as? [[String: Any]])?.map { $0.filter { !$0.key.hasPrefix("left_") } }
        return json
    }

    func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func testThreeModelsRoundTripThroughTheJudgmentsTable() throws {
        for (model, quality) in [("m1", 1), ("m2", 2), ("m3", 3)] {
            try write("\(model).jsonl", (1...6).map { #"{"id": "q\#($0)", "prompt": "Q\#($0)?", "response": "\#(model) answer \#($0) \#(String(repeating: "x", count: quality * $0))", "category": "c\#($0 % 2)"}"# }.joined(separator: "\n"))
        }
        let models = ["--model", "m1=m1.jsonl", "--model", "m2=m2.jsonl", "--model", "m3=m3.jsonl", "--annotators", "ann,bo"]
        XCTAssertEqual(try runBlindReview(["create", "one"] + models, in: folder).status, 0)
        // Judgments with scores: the later model is better, with some disagreement.
        var labels = "id,annotator,model_a,model_b,preference,accuracy_a,accuracy_b\n"
        for q in 1...6 {
            for (x, y) in [("m1", "m2"), ("m1", "m3"), ("m2", "m3")] {
                for (n, annotator) in ["ann", "bo"].enumerated() {
                    let preference = (q + n) % 4 == 0 ? "a" : (q + n) % 5 == 0 ? "tie" : "b"
                    labels += "q\(q),\(annotator),\(x),\(y),\(preference),\(2 + (q + n) % 3),\(3 + (q * n) % 3)\n"
                }
            }
        }
        try write("labels.csv", labels)
        let imported = try runBlindReview(["import", "one", "labels.csv"], in: folder)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("imported 36 judgments"), imported.stdout)

        let export = try runBlindReview(["export", "one", "--format", "csv", "--table", "judgments", "--output", "judgments.csv"], in: folder)
        XCTAssertEqual(export.status, 0, export.stderr)
        let table = try String(contentsOf: folder.appendingPathComponent("judgments.csv"), encoding: .utf8)
        XCTAssertTrue(table.hasPrefix("study,pair_id,id,category,annotator,model_a,model_b,preference,strength,preferred_model,preference_shown,accuracy_a,accuracy_b,"), table)
        XCTAssertEqual(table.split(separator: "\n").count, 1 + 36)

        XCTAssertEqual(try runBlindReview(["create", "two"] + models, in: folder).status, 0)
        let again = try runBlindReview(["import", "two", "judgments.csv"], in: folder)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try canonical(report("one")), try canonical(report("two")), "the same report from the same judgments")
    }

    func testAGradedStudyKeepsItsStrengthsThroughTheTable() throws {
        try write("rubric.yaml", """
            name: graded
            criteria: []
            preference:
              options:
                - {id: a2, label: A much better, key: A, favours: a, strength: 2}
                - {id: a1, label: A better, key: a, favours: a}
                - {id: tie, label: Tie, key: t, favours: none}
                - {id: b1, label: B better, key: b, favours: b}
                - {id: b2, label: B much better, key: B, favours: b, strength: 2}
            """)
        try write("pairs.jsonl", (1...4).map { #"{"id": "p\#($0)", "prompt": "Q?", "response_a": "x\#($0)", "response_b": "y\#($0)", "mapping": {"a": "base", "b": "tuned"}}"# }.joined(separator: "\n"))
        for study in ["g1", "g2"] {
            XCTAssertEqual(try runBlindReview(["create", study, "--pairs", "pairs.jsonl", "--annotators", "ann,bo", "--rubric", "rubric.yaml"], in: folder).status, 0)
        }
        try write("labels.csv", "id,annotator,preference,strength\np1,ann,b,-2\np1,bo,b,-1\np2,ann,a,1\np2,bo,a,2\np3,ann,tie,0\np3,bo,b,-2\np4,ann,b,-1\np4,bo,b,-1\n")
        XCTAssertEqual(try runBlindReview(["import", "g1", "labels.csv"], in: folder).status, 0)
        XCTAssertEqual(try runBlindReview(["export", "g1", "--format", "csv", "--table", "judgments", "--output", "j.csv"], in: folder).status, 0)
        let imported = try runBlindReview(["import", "g2", "j.csv"], in: folder)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let one = try report("g1"), two = try report("g2")
        XCTAssertNotNil(one["graded_preference"])
        XCTAssertEqual(try canonical(one), try canonical(two))
    }
}
