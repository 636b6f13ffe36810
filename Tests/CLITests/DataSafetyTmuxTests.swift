import Foundation
import XCTest

/// The annotation session under a full disk, signals and a journal replaced under it, in a real terminal.
final class DataSafetyTmuxTests: XCTestCase {
    var folder: URL!
    var tmux: TmuxDriver!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        tmux = try TmuxDriver(folder: folder)
        XCTAssertEqual(try runBlindReview(["demo", "--create-only"], in: folder).status, 0)
    }

    override func tearDown() {
        tmux = nil
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    var journalURL: URL { folder.appendingPathComponent("sessions/demo/journals/demo.jsonl") }

    func events() throws -> [[String: Any]] {
        try String(contentsOf: journalURL, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func ratings() -> Int { ((try? events()) ?? []).filter { $0["type"] as? String == "rating" }.count }

    func pid() throws -> pid_t {
        let text = try String(contentsOf: folder.appendingPathComponent("sessions/demo/journals/demo.lock"), encoding: .utf8)
        return try XCTUnwrap(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func waitUntil(timeout: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    // Finding 4 with a real limit: writes fail with EFBIG (SIGXFSZ ignored), the screen says NOT SAVED, the
    // journal stays loadable; when the limit is lifted (space comes back), `s` saves the pending change.
    func testFileSizeLimitThenSpaceBackLosesNothingAndTheJournalLoads() throws {
        guard TmuxDriver.shell("command -v prlimit").status == 0 else { throw XCTSkip("prlimit is not installed") }
        tmux.start("bash -c \"ulimit -S -f 1; exec BR annotate demo --annotator demo\"")
        _ = tmux.waitFor { $0.contains("Rubric") }
        var failedAt: Int?
        for index in 0..<8 {
            tmux.send("4")
            XCTAssertTrue(waitUntil { self.ratings() == index + 1 || self.tmux.screen().contains("NOT SAVED") })
            if tmux.screen().contains("NOT SAVED") {
                failedAt = index
                break
            }
        }
        let failed = try XCTUnwrap(failedAt, "a 1 KiB limit is reached within 8 scores")
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains("NOT SAVED: File too large — your last change was not recorded"), screen)
        XCTAssertFalse(screen.contains("saved ✓"), screen)
        let status = try runBlindReview(["status", "demo"], in: folder)
        XCTAssertEqual(status.status, 0, "the journal still loads while writes fail: \(status.stderr)")

        XCTAssertEqual(TmuxDriver.shell("prlimit --pid \(try pid()) --fsize=unlimited:unlimited").status, 0)
        tmux.send("s")
        XCTAssertTrue(waitUntil { self.ratings() == failed + 1 }, "the pending change is saved on s")
        _ = tmux.waitFor { $0.contains("saved ✓") }
        for index in (failed + 1)..<8 {
            tmux.send("4")
            XCTAssertTrue(waitUntil { self.ratings() == index + 1 })
        }
        tmux.send("a")
        XCTAssertTrue(waitUntil { ((try? self.events()) ?? []).contains { $0["type"] as? String == "preference" } })
        tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), 0)
        let final = try runBlindReview(["check", "demo"], in: folder)
        XCTAssertTrue(final.stdout.contains("ok    journals/demo.jsonl") && final.stdout.contains("1 pair complete"), final.stdout)
        XCTAssertEqual(try events().filter { $0["type"] as? String == "rating" }.compactMap { $0["value"] as? Int }, Array(repeating: 4, count: 8))
    }

    // Finding 7: TERM and HUP ended a session without its leave event; USR1 left the terminal raw.
    func testEndingSignalsWriteTheLeaveEventRestoreTheTerminalAndExit128PlusSigno() throws {
        for (index, sig) in [SIGTERM, SIGHUP, SIGUSR1].enumerated() {
            let session = "sig\(index)"
            tmux.start("BR annotate demo --annotator demo", session: session)
            _ = tmux.waitFor(session) { $0.contains("Rubric") }
            let before = try events().count
            tmux.send(String(3 + index), session: session)  // a new score each time, so a change is written
            XCTAssertTrue(waitUntil { (try? self.events().count) ?? 0 > before })
            XCTAssertEqual(kill(try pid(), sig), 0)
            XCTAssertEqual(tmux.waitForExit(session), Int(128 + sig), "signal \(sig)")
            XCTAssertEqual(tmux.value("#{alternate_on}", session: session), "0", "terminal restored after signal \(sig)")
            let last = try events().last!
            XCTAssertEqual(last["type"] as? String, "leave", "signal \(sig) ends with the leave event")
        }
    }

    // Finding 5: a journal replaced by rename while the session runs.
    func testJournalReplacedByRenameIsMergedAndTheAnnotatorTold() throws {
        tmux.start("BR annotate demo --annotator demo")
        _ = tmux.waitFor { $0.contains("Rubric") }
        tmux.send("4")
        XCTAssertTrue(waitUntil { self.ratings() == 1 })
        // An "rsync" of an older copy: the header and the open event only, put in place by rename.
        let lines = try String(contentsOf: journalURL, encoding: .utf8).split(separator: "\n")
        let staged = journalURL.deletingLastPathComponent().appendingPathComponent(".demo.jsonl.rsync")
        try Data((lines[0...1].joined(separator: "\n") + "\n").utf8).write(to: staged)
        XCTAssertEqual(rename(staged.path, journalURL.path), 0)
        // The idle check (once a second) merges it before the next key; that key must not wipe the notice
        // (CI once lost this race).
        usleep(1_600_000)
        tmux.send("2")
        let screen = tmux.waitFor { $0.contains("replaced") }
        XCTAssertTrue(screen.contains("orphan"), screen)
        XCTAssertTrue(waitUntil { self.ratings() == 2 }, "both changes are in the journal now at the path")
        tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), 0, tmux.screen())
        let orphans = try FileManager.default.contentsOfDirectory(atPath: journalURL.deletingLastPathComponent().path).filter { $0.contains(".orphan-") }
        XCTAssertEqual(orphans.count, 1)
        let status = try runBlindReview(["status", "demo"], in: folder)
        XCTAssertEqual(status.status, 0, status.stderr)
    }
}
