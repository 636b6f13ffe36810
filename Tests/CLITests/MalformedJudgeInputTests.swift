import Foundation
import XCTest

extension MalformedInputTests {
    /// `import-judge` with every file of `Tests/Fixtures/malformed/judge/`: refused naming the file (and line),
    /// and nothing written (the judge's journal does not appear).
    func testJudgeImports() throws {
        XCTAssertEqual(try runBlindReview(["create", "ps", "--pairs", "pairs.jsonl", "--annotators", "ann,bo"], in: folder).status, 0)
        let journal = folder.appendingPathComponent("sessions/ps/journals/llm.jsonl")
        for url in try cases("judge") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            let outcome = try run(["import-judge", "ps", input.lastPathComponent, "--judge", "llm"])
            // An empty file holds no verdict: refused by name (it used to claim "imported 0 verdicts into" a
            // journal it never kept), without a line to point at.
            check(outcome, case: url.lastPathComponent, names: url.lastPathComponent, line: url.lastPathComponent != "empty.jsonl")
            if url.lastPathComponent == "empty.jsonl" { XCTAssertTrue(outcome.stderr.contains("no verdict to import"), outcome.stderr) }
            XCTAssertFalse(FileManager.default.fileExists(atPath: journal.path), "\(url.lastPathComponent): a failed import wrote nothing")
        }
        let badMap = try run(["import-judge", "ps", "pairs.jsonl", "--judge", "llm", "--model-map", "x"])
        XCTAssertEqual(badMap.status, 64, badMap.stderr)
        let unknown = try run(["import-judge", "ps", "pairs.jsonl", "--judge", "llm", "--model-map", "gpt=nobody"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("--model-map gpt=nobody: nobody is not a model of the study"), unknown.stderr)
    }
}
