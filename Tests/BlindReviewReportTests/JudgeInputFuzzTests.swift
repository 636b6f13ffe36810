import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

extension InputFuzzTests {
    /// The judge's readers (import-judge's lines and the judge command's verdicts) on mutated input: each
    /// returns or throws, never traps or hangs.
    func testJudgeReadersSurviveMutatedInput() throws {
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/f"))
        let pairs = (81...83).map { i in
            CandidatePair(sourceID: "\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["b\(i)"]), second: ModelResponse(model: "tuned", turns: ["t\(i)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "f", seed: 1, annotators: ["ann"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let study = try store.load().study
        let path = folder.appendingPathComponent("verdicts.jsonl").path
        let seed = #"{"question_id": 81, "model_1": "base", "model_2": "tuned", "g1_winner": "model_1", "g2_winner": "tie", "turn": 1}"# + "\n"
            + #"{"id": "82", "winner": "b", "swapped_winner": "error", "scores": {"accuracy": [3, 5]}, "reason": "x"}"# + "\n"
        var read = 0
        fuzz("import-judge", seed) { bytes in
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            var summary = JudgeImport.Summary()
            if (try? JudgeImport.read(file: path, study: study, store: store, key: built.key, modelMap: [:], skipMissing: false, summary: &summary)) != nil { read += 1 }
        }
        XCTAssertGreaterThan(read, 0, "some mutations are still valid")
        fuzz("judge verdict", #"{"winner": "A", "scores": {"accuracy": [3, 4]}, "reason": "x"}"#) { bytes in
            _ = JudgeExchange.verdict(from: Data(bytes), rubric: study.rubric)
        }
    }
}
