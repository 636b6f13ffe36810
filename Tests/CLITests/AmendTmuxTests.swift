import Foundation
import XCTest

/// A real annotation session, in a real terminal, while the lead amends the study from another shell: the
/// session picks the change up without a restart (within a second while idle, or at the next pair).
final class AmendTmuxTests: XCTestCase {
    var folder: URL!
    var tmux: TmuxDriver!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        tmux = try TmuxDriver(folder: folder)
        for (model, word) in [("alphamodel", "first"), ("betamodel", "second")] {
            let lines = (1...6).map { #"{"id": "src-\#($0)", "prompt": "Question \#($0)?", "response": "The \#(word) answer to \#($0)."}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("\(model).jsonl"))
            let more = (7...8).map { #"{"id": "src-\#($0)", "prompt": "Late question \#($0)?", "response": "The \#(word) late answer \#($0)."}"# }
            try Data(more.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("more-\(model).jsonl"))
        }
    }

    override func tearDown() {
        tmux = nil
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// The pair ann has open: the item of the last `open` event in her journal.
    func currentPair(_ study: String) throws -> String {
        let journal = try String(contentsOf: folder.appendingPathComponent("sessions/\(study)/journals/ann.jsonl"), encoding: .utf8)
        let opens = journal.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["type"] as? String == "open" }
        return opens.last!["item"] as! String
    }

    func testARunningSessionFollowsWithdrawAndAddPairsWithoutARestart() throws {
        for (width, height) in [(80, 24), (60, 18), (200, 60)] {
            let study = "s\(width)", session = "w\(width)"
            let created = try runBlindReview(["create", study, "--model", "alphamodel=alphamodel.jsonl", "--model", "betamodel=betamodel.jsonl", "--annotators", "ann,bo"], in: folder)
            XCTAssertEqual(created.status, 0, created.stderr)
            tmux.start("BR annotate \(study) --annotator ann", session: session, width: width, height: height)
            _ = tmux.waitFor(session) { $0.contains("pair 1/6") }
            let pair = try currentPair(study)
            let withdraw = try runBlindReview(["amend", study, "withdraw", pair, "--reason", "cut off"], in: folder)
            XCTAssertEqual(withdraw.status, 0, withdraw.stderr)
            // Idle: noticed within about a second, moved on, told in one line.
            let screen = tmux.waitFor(session) { $0.contains("withdrew that pair") }
            // Withdrawn pairs leave the count: the second slot is now pair 1 of 5.
            XCTAssertTrue(screen.contains("pair 1/5") && screen.contains("The lead withdrew that pair; now on pair 1"), screen)
            XCTAssertTrue(screen.contains("0 done · 5 left"), screen)
            XCTAssertNotEqual(try currentPair(study), pair)
            let added = try runBlindReview(["amend", study, "add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl"], in: folder)
            XCTAssertEqual(added.status, 0, added.stderr)
            _ = tmux.waitFor(session) { $0.contains("added 2 pairs") && $0.contains("pair 1/7") }
            tmux.send("q", session: session)
            XCTAssertEqual(tmux.waitForExit(session), 0)
            let status = try runBlindReview(["status", study], in: folder)
            XCTAssertEqual(status.status, 0, status.stderr)
            XCTAssertTrue(status.stdout.contains("amendments: 2"), status.stdout)
        }
    }
}
