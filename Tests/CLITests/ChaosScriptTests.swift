import Foundation
import XCTest

/// A short run of scripts/chaos.sh (SIGKILL, file-size limits, journal replaced by rename, wrong --force) against
/// the built binary: it must report 0 lost. The full run is `scripts/chaos.sh` (200 changes by default).
final class ChaosScriptTests: XCTestCase {
    func testShortChaosRunLosesNothing() throws {
        for tool in ["tmux", "python3", "prlimit"] where TmuxDriver.shell("command -v \(tool)").status != 0 {
            throw XCTSkip("\(tool) is not installed")
        }
        var repository = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { repository.deleteLastPathComponent() }
        let script = repository.appendingPathComponent("scripts/chaos.sh").path
        let binary = productsFolder.appendingPathComponent("blindreview").path
        let result = TmuxDriver.shell("'\(script)' --events 15 --seed 7 --binary '\(binary)'")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("lost: 0;"), result.output)
        XCTAssertTrue(result.output.contains("15 changes shown as saved"), result.output)
    }
}
