import Foundation
import XCTest

final class ReportAndImportTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// Writes PandaLM's test set as `pairs.jsonl` and its three annotators' labels as `labels.csv`.
    func writePandaLM(_ shared: URL) throws {
        let data = try Data(contentsOf: shared.appendingPathComponent("pandalm/testset-v1.json"))
        let rows = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        func text(_ value: Any?) -> String { (value as? String) ?? value.map { "\($0)" } ?? "" }
        var pairs = "", labels = "id,annotator,preference\n"
        let preference = ["0": "tie", "1": "a", "2": "b"]
        for row in rows {
            let models = text(row["cmp_key"]).split(separator: "_").map(String.init)
            let input = text(row["input"])
            let prompt = text(row["instruction"]) + (input.isEmpty ? "" : "\n\n" + input)
            let line: [String: Any] = [
                "id": text(row["idx"]), "prompt": prompt, "response_a": text(row["response1"]), "response_b": text(row["response2"]),
                "mapping": ["a": models[0], "b": models[1]],
            ]
            pairs += String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
            for annotator in ["annotator1", "annotator2", "annotator3"] {
                labels += "\(text(row["idx"])),\(annotator),\(preference[text(row[annotator])]!)\n"
            }
        }
        try write(pairs, "pairs.jsonl")
        try write(labels, "labels.csv")
    }

    func testPandaLMPreferenceAgreementIsTheSameForTenBlindingSeeds() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        try writePandaLM(shared)
        var seen: [String] = []
        for seed in 1...10 {
            let name = "pandalm\(seed)"
            let create = try runBlindReview(["create", name, "--pairs", "pairs.jsonl", "--annotators", "annotator1,annotator2,annotator3", "--seed", "\(seed)"], in: folder)
            XCTAssertEqual(create.status, 0, create.stderr)
            let imported = try runBlindReview(["import", name, "labels.csv"], in: folder)
            XCTAssertEqual(imported.status, 0, imported.stderr)
            let report = try runBlindReview(["report", name, "--format", "json", "--bootstrap", "20"], in: folder)
            XCTAssertEqual(report.status, 0, report.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
            let preference = (json["agreement"] as! [String: Any])["preference"] as! [String: Any]
            // The whole preference block, intervals and per-annotator kappas included, serialised with sorted keys.
            seen.append(String(decoding: try JSONSerialization.data(withJSONObject: preference, options: [.sortedKeys]), as: UTF8.self))
        }
        XCTAssertEqual(Set(seen).count, 1, "preference agreement differs between blinding seeds:\n" + seen.joined(separator: "\n"))
    }

    func testPandaLMImportReproducesThePublishedKappas() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        try writePandaLM(shared)
        let create = try runBlindReview(["create", "pandalm", "--pairs", "pairs.jsonl", "--annotators", "annotator1,annotator2,annotator3", "--seed", "1"], in: folder)
        XCTAssertEqual(create.status, 0, create.stderr)
        let imported = try runBlindReview(["import", "pandalm", "labels.csv"], in: folder)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("imported 2997 judgments"), imported.stdout)
        let report = try runBlindReview(["report", "pandalm", "--format", "json", "--bootstrap", "0"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        let preferenceAgreement = (json["agreement"] as! [String: Any])["preference"] as! [String: Any]
        let kappas = (preferenceAgreement["cohen_kappa"] as! [[String: Any]]).map { (($0["kappa"] as! Double) * 100).rounded() / 100 }
        // Published (PandaLM README): 0.85, 0.88 and 0.86 between the three annotators.
        XCTAssertEqual(kappas, [0.85, 0.88, 0.86])
        let results = json["results"] as! [String: Any]
        XCTAssertEqual((results["models"] as! [String]).count, 5)
        XCTAssertEqual((results["bradley_terry"] as! [Any]).count, 5, "five models: a Bradley-Terry ranking")
        let text = try runBlindReview(["report", "pandalm", "--bootstrap", "100"], in: folder)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Bradley-Terry"), text.stdout)
    }

    func testImportChecksEveryRowBeforeWritingAndReportRefusesAForeignKey() throws {
        try write("""
            {"id": "x1", "prompt": "P1", "response_a": "A1", "response_b": "B1", "mapping": {"a": "base", "b": "tuned"}}
            {"id": "x2", "prompt": "P2", "response_a": "A2", "response_b": "B2", "mapping": {"a": "tuned", "b": "base"}}
            """, "pairs.jsonl")
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann,bo", "--seed", "2"], in: folder).status, 0)
        try write("id,annotator,preference,accuracy_a,accuracy_b\nx1,ann,a,5,2\nx2,ann,maybe,,\n", "bad.csv")
        let bad = try runBlindReview(["import", "s", "bad.csv"], in: folder)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.csv:3") && bad.stderr.contains("\"maybe\""), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/s/journals/ann.jsonl").path), "nothing written")

        try write("id,annotator,preference,accuracy_a,accuracy_b\nx1,ann,a,5,2\nx2,ann,b,1,4\nx1,bo,a,4,2\nx2,bo,tie,3,3\n", "good.csv")
        let good = try runBlindReview(["import", "s", "good.csv"], in: folder)
        XCTAssertEqual(good.status, 0, good.stderr)
        let report = try runBlindReview(["report", "s", "--format", "json", "--bootstrap", "0"], in: folder)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        let pair = ((json["results"] as! [String: Any])["pairs"] as! [[String: Any]])[0]
        // x1: a = base preferred by both; x2: b = base (ann), tie (bo). Read as "tuned vs base": 0 wins, 1 tie, 3 losses.
        XCTAssertEqual(pair["models"] as! [String], ["tuned", "base"])
        XCTAssertEqual(pair["votes"] as! [String: Int], ["wins": 0, "ties": 1, "losses": 3])
        XCTAssertEqual(pair["n_pairs"] as? Int, 2)
        XCTAssertEqual(pair["n_votes"] as? Int, 4)
        XCTAssertEqual(json["resampling"] as? String, "pairs")

        let twoWay = try runBlindReview(["report", "s", "--format", "json", "--bootstrap", "50", "--resample-annotators"], in: folder)
        XCTAssertEqual(twoWay.status, 0, twoWay.stderr)
        let twoWayJSON = try JSONSerialization.jsonObject(with: Data(twoWay.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(twoWayJSON["resampling"] as? String, "pairs-and-annotators")
        let twoWayPair = ((twoWayJSON["results"] as! [String: Any])["pairs"] as! [[String: Any]])[0]
        XCTAssertEqual(twoWayPair["resampled"] as? String, "pairs and annotators (two-way)")

        let blind = try runBlindReview(["report", "s", "--blind"], in: folder)
        XCTAssertEqual(blind.status, 0, blind.stderr)
        XCTAssertFalse(blind.stdout.contains("base") || blind.stdout.contains("tuned"))

        XCTAssertEqual(try runBlindReview(["create", "t", "--pairs", "pairs.jsonl", "--annotators", "ann", "--seed", "3"], in: folder).status, 0)
        let foreign = try runBlindReview(["report", "s", "--key", "sessions/.keys/t.json"], in: folder)
        XCTAssertEqual(foreign.status, 1)
        XCTAssertTrue(foreign.stderr.contains("does not belong to study \"s\""), foreign.stderr)
    }
}
