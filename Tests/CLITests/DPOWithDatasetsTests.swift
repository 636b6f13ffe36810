import Foundation
import XCTest

/// The DPO export read by Hugging Face `datasets` as a trainer would load it (skips where Python or `datasets`
/// is absent; the format contract itself is checked in Swift by PreferenceExportTests).
final class DPOWithDatasetsTests: XCTestCase {
    func testDatasetsLoadsEveryForm() throws {
        guard let check = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import datasets"]) else {
            throw XCTSkip("python3 is absent")
        }
        guard check.status == 0 else { throw XCTSkip("the Python package datasets is absent") }

        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = (1...4).map { #"{"id": "q\#($0)", "prompt": "Question \#($0)?", "response_a": "Short \#($0).", "response_b": "A longer answer \#($0).", "mapping": {"a": "base", "b": "tuned"}}"# }
        try Data(pairs.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann"], in: folder).status, 0)
        try Data("id,annotator,preference\nq1,ann,b\nq2,ann,b\nq3,ann,a\nq4,ann,b\n".utf8).write(to: folder.appendingPathComponent("labels.csv"))
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
        for (name, flags) in [("plain", [String]()), ("chatml", ["--template", "chatml"]), ("conversational", ["--conversational"])] {
            let export = try runBlindReview(["export", "s", "--format", "dpo", "--output", "\(name).jsonl"] + flags, in: folder)
            XCTAssertEqual(export.status, 0, export.stderr)
            let script = """
                import datasets, sys
                ds = datasets.load_dataset("json", data_files=sys.argv[1], split="train")
                assert ds.num_rows == 4, ds.num_rows
                assert set(["prompt", "chosen", "rejected"]) <= set(ds.column_names)
                row = ds[0]
                if isinstance(row["chosen"], list):
                    assert all(m["role"] == "assistant" for m in row["chosen"] + row["rejected"])
                    assert row["prompt"][-1]["role"] == "user"
                else:
                    assert not row["chosen"].lstrip().startswith("User:")
                print("ok", ds.num_rows)
                """
            let python = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, folder.appendingPathComponent("\(name).jsonl").path])
            XCTAssertEqual(python.status, 0, "\(name): \(python.stdout)\(python.stderr)")
        }
    }
}
