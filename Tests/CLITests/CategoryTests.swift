import Foundation
import XCTest

/// A prompt's category and metadata pass from the inputs into the key, the exports and `report --by`.
final class CategoryTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testCategoriesGroupTheReportAndTravelIntoExports() throws {
        let pairs = (1...8).map { i in
            #"{"id": "q\#(i)", "prompt": "Q\#(i)?", "response_a": "a\#(i)", "response_b": "b\#(i)", "mapping": {"a": "base", "b": "tuned"}, "category": "\#(i <= 4 ? "coding" : "writing")", "metadata": {"source": "forum", "level": \#(i % 2)}}"#
        }
        try Data(pairs.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann,bo"], in: folder).status, 0)
        // tuned wins every coding pair; base wins every writing pair.
        var labels = "id,annotator,preference\n"
        for i in 1...8 { for annotator in ["ann", "bo"] { labels += "q\(i),\(annotator),\(i <= 4 ? "b" : "a")\n" } }
        try Data(labels.utf8).write(to: folder.appendingPathComponent("labels.csv"))
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
        let items = try String(contentsOf: folder.appendingPathComponent("sessions/s/items.jsonl"), encoding: .utf8)
        XCTAssertFalse(items.contains("coding") || items.contains("forum"), "annotators do not see the inputs' fields")

        let json = try runBlindReview(["report", "s", "--by", "category", "--format", "json", "--bootstrap", "200"], in: folder)
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let by = try XCTUnwrap(report["by"] as? [String: Any])
        XCTAssertEqual(by["key"] as? String, "category")
        let groups = by["groups"] as! [[String: Any]]
        XCTAssertEqual(groups.map { $0["value"] as? String }, ["coding", "writing"])
        XCTAssertEqual(groups.map { $0["pairs"] as? Int }, [4, 4])
        let coding = (groups[0]["pairs_of_models"] as! [[String: Any]])[0]
        let writing = (groups[1]["pairs_of_models"] as! [[String: Any]])[0]
        XCTAssertEqual(coding["models"] as? [String], ["tuned", "base"])
        XCTAssertEqual(coding["win_rate_ties_half"] as? Double, 1)
        XCTAssertEqual(writing["win_rate_ties_half"] as? Double, 0)
        XCTAssertNotNil(coding["resampled"] as? String, "every interval says what it resampled")
        let text = try runBlindReview(["report", "s", "--by", "level", "--bootstrap", "0"], in: folder)
        XCTAssertTrue(text.stdout.contains("BY LEVEL") && text.stdout.contains("\n  0 ") && text.stdout.contains("\n  1 "), text.stdout)

        let dpo = try runBlindReview(["export", "s", "--format", "dpo"], in: folder)
        let first = try JSONSerialization.jsonObject(with: Data(dpo.stdout.split(separator: "\n")[0].utf8)) as! [String: Any]
        XCTAssertEqual(first["category"] as? String, "coding")
        XCTAssertEqual(first["metadata"] as? [String: String], ["level": "1", "source": "forum"])
        let csv = try runBlindReview(["export", "s", "--format", "csv"], in: folder)
        XCTAssertTrue(csv.stdout.contains(",q1,coding,ann,"), csv.stdout)
    }

    func testMTBenchQuestionsGiveEightCategories() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        let bench = shared.appendingPathComponent("mt-bench")
        let answers = try FileManager.default.contentsOfDirectory(atPath: bench.appendingPathComponent("model_answer").path).sorted().prefix(2)
        XCTAssertEqual(answers.count, 2)
        let result = try runBlindReview(
            ["create", "mt", "--questions", bench.appendingPathComponent("question.jsonl").path]
                + answers.flatMap { ["--model", "\($0.replacingOccurrences(of: ".jsonl", with: ""))=\(bench.appendingPathComponent("model_answer/\($0)").path)"] }
                + ["--annotators", "a", "--format", "json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let key = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("sessions/.keys/mt.json"))) as! [String: Any]
        let categories = Set((key["pairs"] as! [String: [String: Any]]).values.compactMap { ($0["fields"] as? [String: Any])?["category"] as? String })
        XCTAssertEqual(categories.count, 8, "\(categories)")
        // Per-model fields of the answer lines (model_id, answer_id) stay in the key, by response.
        let first = (key["pairs"] as! [String: [String: Any]]).values.first { $0["repeat_of"] == nil }!
        let fields = try XCTUnwrap(first["response_fields"] as? [String: [String: String]])
        XCTAssertEqual(fields.count, 2)
        XCTAssertTrue(fields.values.allSatisfy { $0["model_id"] != nil }, "\(fields)")
        let items = try String(contentsOf: folder.appendingPathComponent("sessions/mt/items.jsonl"), encoding: .utf8)
        XCTAssertFalse(items.contains("model_id") || items.contains("answer_id"))
    }
}
