import Foundation
import XCTest

/// Drives the real binary in a real terminal (tmux), as a person would.
final class TmuxEndToEndTests: XCTestCase {
    var folder: URL!
    /// The private tmux server every test here (and its extensions in other files) drives.
    var driver: TmuxDriver!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        driver = try TmuxDriver(folder: folder)
    }

    override func tearDown() {
        driver = nil
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    @discardableResult
    func shell(_ command: String) -> (status: Int32, output: String) { TmuxDriver.shell(command) }

    @discardableResult
    func tmux(_ arguments: [String]) -> (status: Int32, output: String) { driver.tmux(arguments) }

    /// Starts the binary with `arguments` in session `session`.
    func start(_ arguments: String, width: Int = 120, height: Int = 40, session: String = "s") {
        driver.start("BR \(arguments)", session: session, width: width, height: height)
    }

    func screen(_ session: String = "s") -> String { driver.screen(session) }

    func waitFor(_ session: String = "s", timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line, _ condition: (String) -> Bool) -> String {
        driver.waitFor(session, timeout: timeout, file: file, line: line, condition)
    }

    /// True once the program in `session` has ended (its exit status recorded, or tmux says the pane is dead).
    func paneDead(_ session: String = "s") -> Bool {
        FileManager.default.fileExists(atPath: driver.exitFile(session).path)
            || tmux(["display-message", "-p", "-t", session, "#{pane_dead}"]).output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    func journal(_ annotator: String = "demo") throws -> [[String: Any]] {
        let url = folder.appendingPathComponent("sessions/demo/journals/\(annotator).jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func testDemoScoreQuitAndFindTheJudgmentInTheJournal() throws {
        start("demo")
        _ = waitFor { $0.contains("Rubric") && $0.contains("pair 1/22") }
        tmux(["send-keys", "-t", "s", "4"])
        let saved = waitFor { $0.contains("saved ✓") }
        XCTAssertTrue(saved.contains("[4]"), saved)
        XCTAssertFalse(saved.contains("base") || saved.contains("tuned"), "no model name on screen")
        tmux(["send-keys", "-t", "s", "q"])
        let deadline = Date().addingTimeInterval(10)
        while !paneDead() && Date() < deadline { usleep(100_000) }
        XCTAssertTrue(paneDead())
        let after = screen()
        XCTAssertTrue(after.contains("1 of 22") || after.contains("0/22 pairs done"), "the closing line is printed on the restored terminal:\n\(after)")
        let events = try journal()
        XCTAssertEqual(events[0]["type"] as? String, "header")
        let rating = events.first { $0["type"] as? String == "rating" }
        XCTAssertEqual(rating?["value"] as? Int, 4)
        XCTAssertEqual(rating?["criterion"] as? String, "accuracy")
        XCTAssertEqual(events.last?["type"] as? String, "leave")
    }

    func testKillMinusNineAfterAScoreLosesNothing() throws {
        start("demo")
        _ = waitFor { $0.contains("Rubric") }
        tmux(["send-keys", "-t", "s", "3", "2"])
        _ = waitFor { $0.contains("saved ✓") && $0.contains("[2]") }
        let lock = folder.appendingPathComponent("sessions/demo/journals/demo.lock")
        let pid = try String(contentsOf: lock, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(pid.isEmpty)

        // A second session for the same annotator is refused, naming the holder.
        let second = try runBlindReview(["annotate", "demo", "--annotator", "demo"], in: folder)
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("already open") && second.stderr.contains(pid), second.stderr)

        XCTAssertEqual(kill(pid_t(pid)!, SIGKILL), 0)
        let deadline = Date().addingTimeInterval(10)
        while !paneDead() && Date() < deadline { usleep(100_000) }
        start("demo", session: "again")
        let reopened = waitFor("again") { $0.contains("Rubric") }
        let accuracy = reopened.split(separator: "\n").first { $0.contains("Accuracy") } ?? ""
        let relevance = reopened.split(separator: "\n").first { $0.contains("Relevance") } ?? ""
        XCTAssertTrue(accuracy.contains("[3]"), reopened)
        XCTAssertTrue(relevance.contains("[2]"), reopened)
        XCTAssertTrue(reopened.contains("pair 1/22"), "reopens on the same unfinished pair")
        tmux(["send-keys", "-t", "again", "q"])
    }

    func testSIGTERMAndTinyTerminalRestoreTheScreen() throws {
        start("demo", width: 20, height: 5)
        let tiny = waitFor { $0.contains("too small") }
        XCTAssertTrue(tiny.contains("too small"))
        tmux(["resize-window", "-t", "s", "-x", "80", "-y", "24"])
        _ = waitFor { $0.contains("Rubric") && $0.contains("Response A") }
        XCTAssertEqual(tmux(["display-message", "-p", "-t", "s", "#{alternate_on}"]).output.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        let pid = try String(contentsOf: folder.appendingPathComponent("sessions/demo/journals/demo.lock"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        kill(pid_t(pid)!, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while !paneDead() && Date() < deadline { usleep(100_000) }
        XCTAssertTrue(paneDead())
        XCTAssertEqual(tmux(["display-message", "-p", "-t", "s", "#{alternate_on}"]).output.trimmingCharacters(in: .whitespacesAndNewlines), "0",
                       "the terminal left the full-screen mode")
    }

    func testAnnotateWithoutATerminalIsAClearError() throws {
        XCTAssertEqual(try runBlindReview(["demo", "--create-only"], in: folder).status, 0)
        let result = try runBlindReview(["annotate", "demo", "--annotator", "alice"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("needs an interactive terminal"), result.stderr)
        let stranger = try runBlindReview(["annotate", "demo", "--annotator", "mallory"], in: folder)
        XCTAssertTrue(stranger.stderr.contains("not in study \"demo\"") && stranger.stderr.contains("demo, alice, bob"), stranger.stderr)
    }
}
