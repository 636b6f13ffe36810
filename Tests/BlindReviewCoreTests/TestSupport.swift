import BlindReviewCore
import Foundation
import XCTest

/// A fresh temporary folder per test, removed afterwards.
func makeTemporaryFolder(_ name: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("blindreview-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
}

/// Simple comparisons: `count` prompts, models "base" and "tuned".
func samplePairs(_ count: Int, models: (String, String) = ("base", "tuned")) -> [CandidatePair] {
    (0..<count).map { i in
        CandidatePair(
            sourceID: "p\(i)", prompt: [.user("Question \(i)?")], reference: nil,
            first: ModelResponse(model: models.0, turns: ["answer \(i) from the first"]),
            second: ModelResponse(model: models.1, turns: ["answer \(i) from the second"]))
    }
}

/// The shared data folder beside the repository, when present.
func sharedDataFolder() -> URL? {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    let shared = url.deletingLastPathComponent().appendingPathComponent("shared/data")
    return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
}

func assertThrowsBlindReviewError(
    _ body: @autoclosure () throws -> Any, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line
) {
    do {
        _ = try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch let error as BlindReviewError {
        for fragment in fragments {
            XCTAssertTrue(error.description.contains(fragment), "\"\(error)\" lacks \"\(fragment)\"", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
