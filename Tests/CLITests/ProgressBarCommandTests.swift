import Foundation
import XCTest

/// The progress bar of long commands: drawn on a terminal's stderr, cleared when done, absent with --quiet
/// and whenever stderr is not a terminal.
extension TmuxEndToEndTests {
    /// A long-form ratings CSV big enough that reading it takes more than half a second in a debug build.
    func writeLargeRatings() throws {
        var out = "item,rater,value\n"
        out.reserveCapacity(30_000_000)
        for item in 0..<150_000 {
            for rater in 0..<8 { out += "i\(item),r\(rater),\((item + rater) % 5 + 1)\n" }
        }
        try Data(out.utf8).write(to: folder.appendingPathComponent("large.csv"))
    }

    func testAgreementShowsAProgressBarOnATerminalAndClearsIt() throws {
        try writeLargeRatings()
        let binary = productsFolder.appendingPathComponent("blindreview").path
        tmux(["new-session", "-d", "-s", "p", "-x", "80", "-y", "10", "-c", folder.path,
              "env TERM=xterm-256color \(binary) agreement large.csv --level ordinal --format json > out.json; echo EXIT=$?; sleep 30"])
        let during = waitFor("p", timeout: 60) { $0.contains("reading [") || $0.contains("EXIT=") }
        if during.contains("reading [") {
            XCTAssertTrue(during.contains(" MB"), during)
            XCTAssertTrue(during.split(separator: "\n").allSatisfy { $0.count <= 80 }, during)
        }
        let after = waitFor("p", timeout: 120) { $0.contains("EXIT=0") }
        XCTAssertFalse(after.contains("reading ["), "the bar is cleared when done:\n\(after)")
        XCTAssertTrue(during.contains("reading ["), "no progress bar seen while reading:\n\(during)")

        tmux(["new-session", "-d", "-s", "q", "-x", "80", "-y", "10", "-c", folder.path,
              "env TERM=xterm-256color \(binary) agreement large.csv --level ordinal --format json --quiet > out.json; echo EXIT=$?; sleep 30"])
        var seen = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            seen = screen("q")
            XCTAssertFalse(seen.contains("reading ["), "--quiet still drew a bar:\n\(seen)")
            if seen.contains("EXIT=") { break }
            usleep(50_000)
        }
        XCTAssertTrue(seen.contains("EXIT=0"), seen)
    }

    func testNoProgressWhenStderrIsNotATerminal() throws {
        try writeLargeRatings()
        let result = try runBlindReview(["agreement", "large.csv", "--level", "ordinal", "--format", "json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }
}
