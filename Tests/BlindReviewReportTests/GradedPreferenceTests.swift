import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// A five-point preference scale (A much better ... B much better): mean strength with an interval, ordinal
/// agreement that ignores which response is first, the margin in the DPO export.
final class GradedPreferenceTests: XCTestCase {
    static let scale = PreferenceQuestion(question: "Which is better?", options: [
        PreferenceOption(id: "a2", label: "A much better", key: "A", favours: .a, strength: 2),
        PreferenceOption(id: "a1", label: "A better", key: "a", favours: .a),
        PreferenceOption(id: "tie", label: "Tie", key: "t", favours: nil),
        PreferenceOption(id: "b1", label: "B better", key: "b", favours: .b),
        PreferenceOption(id: "b2", label: "B much better", key: "B", favours: .b, strength: 2),
    ])

    func testScaleValidatesAndUngradedRubricsKeepTheirHash() throws {
        let rubric = Rubric(name: "graded", criteria: Rubric.standard.criteria, preference: Self.scale)
        try RubricLoader.validate(rubric)
        XCTAssertTrue(rubric.preference.isGraded)
        XCTAssertEqual(rubric.preference.maxStrength, 2)
        XCTAssertFalse(Rubric.standard.preference.isGraded)
        XCTAssertFalse(String(decoding: CanonicalJSON.encode(Rubric.standard), as: UTF8.self).contains("strength"), "no new field in old rubrics")
        var bad = rubric
        bad.preference.options[2].strength = 1
        assertThrows(try RubricLoader.validate(bad), "tie with a strength")
        bad = rubric
        bad.preference.options[0].strength = 7
        assertThrows(try RubricLoader.validate(bad), "strength 7")
    }

    func assertThrows(_ body: @autoclosure () throws -> Void, _ fragment: String, line: UInt = #line) {
        do { try body(); XCTFail("no error", line: line) } catch { XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line) }
    }

    func testMeanStrengthAgreementAndExportMargin() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-graded-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/g"))
        let pairs = (0..<12).map { i in
            CandidatePair(sourceID: "q\(i)", prompt: [.user("Q\(i)?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["base \(i)"]), second: ModelResponse(model: "tuned", turns: ["tuned \(i)"]))
        }
        let rubric = Rubric(name: "graded", criteria: [], preference: Self.scale)
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "g", seed: 3, annotators: ["ann", "bo"], rubric: rubric))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        // ann: tuned much better on every pair (+2 toward tuned); bo: tuned better (+1) on every pair.
        for (annotator, strength) in [("ann", 2), ("bo", 1)] {
            let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
            for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() {
                let tunedSide: Side = built.key.model(pair: entry.item, response: entry.a) == "tuned" ? .a : .b
                let option = Self.scale.options.first { $0.favours == tunedSide && ($0.strength ?? 1) == strength }!
                try writer.append(.preference(slot: slot, item: entry.item, option: option.id))
            }
        }
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 200, seed: 1)
        let graded = try XCTUnwrap(report.graded)
        XCTAssertEqual(graded.maxStrength, 2)
        XCTAssertEqual(graded.pairs.count, 1)
        XCTAssertEqual(graded.pairs[0].first, "tuned")
        XCTAssertEqual(graded.pairs[0].mean, 1.5, accuracy: 1e-12)
        XCTAssertEqual(graded.pairs[0].votes, 24)
        XCTAssertEqual(graded.pairs[0].interval?.low ?? 0, 1.5, accuracy: 1e-12, "every pair has the same votes")
        // Agreement: the annotators always differ by one step, on the same side: ordinal alpha is well below 1
        // but the same for any orientation; the blind report gives the same figure.
        let alpha = try XCTUnwrap(graded.alphaOrdinal.estimate.value)
        let blind = try StudyReport.build(store: store, keyFile: nil, blind: true, bootstrap: 200, seed: 1)
        XCTAssertEqual(blind.graded?.alphaOrdinal.estimate.value ?? .nan, alpha, accuracy: 1e-12)
        XCTAssertEqual(blind.graded?.pairs.count, 0, "no model named without the key")
        XCTAssertTrue(report.text().contains("GRADED PREFERENCE (scale -2 ... +2)"))
        let json = report.json().rendered()
        XCTAssertTrue(json.contains("\"graded_preference\""), json)

        var items: [String: StudyItem] = [:]
        for item in built.items { items[item.id] = item }
        let votes = StudyVotes.collect(study: study, journals: StudyJournals.load(store: store, study: study, studySHA256: hash).journals, repeats: RepeatMap(study: study, key: built.key))
        let result = PreferenceExport.dpo(study: study, items: items, key: built.key, votes: votes, policy: .init())
        XCTAssertEqual(result.lines.count, 12)
        let line = try JSONSerialization.jsonObject(with: Data(result.lines[0].utf8)) as! [String: Any]
        XCTAssertEqual(line["preference_margin"] as? Double, 1.5)
        var strict = PreferenceExport.Policy()
        strict.minMargin = 1.6
        XCTAssertEqual(PreferenceExport.dpo(study: study, items: items, key: built.key, votes: votes, policy: strict).skipped["below --min-margin"], 12)
    }
}
