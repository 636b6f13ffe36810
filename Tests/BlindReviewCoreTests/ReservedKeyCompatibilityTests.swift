import BlindReviewCore
import Foundation
import XCTest

/// A key reserved by a later version (`v`, for adjudication) must not lock out a stored study whose rubric uses it.
final class ReservedKeyCompatibilityTests: XCTestCase {
    func testStoredStudyWithAPreferenceKeyReservedLaterStillLoads() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rubric = Rubric(name: "v", criteria: [], preference: PreferenceQuestion(question: "Better?", options: [
            PreferenceOption(id: "left", label: "Left", key: "v", favours: .a),
            PreferenceOption(id: "right", label: "Right", key: "w", favours: .b),
        ]))
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/old"))
        let built = try StudyBuilder.build(pairs: samplePairs(3), models: ["base", "tuned"], options: StudyOptions(name: "old", seed: 1, annotators: ["ann"], rubric: rubric))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        XCTAssertEqual(try store.load().study.rubric.preference.options[0].key, "v")
        XCTAssertTrue(AnnotationKeys.isReserved("v"), "a new rubric cannot take it")
    }
}
