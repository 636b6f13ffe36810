@testable import BlindReviewCore
import XCTest

/// `StudyStore.validate`'s refusals of a damaged study.json, each with its message (the check runs on every load,
/// so it looks each queue entry up once; these pin what it refuses).
final class StudyValidationTests: XCTestCase {
    var study: Study!

    override func setUpWithError() throws {
        study = try StudyBuilder.build(
            pairs: samplePairs(6), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 3, annotators: ["alice", "bob"])).study
    }

    func refusal(_ change: (inout Study) -> Void) -> String? {
        var copy = study!
        change(&copy)
        do {
            try StudyStore.validate(copy, file: "study.json")
            return nil
        } catch let error as BlindReviewError {
            XCTAssertEqual(error.file, "study.json")
            return error.message
        } catch {
            return "\(error)"
        }
    }

    func testAnIntactStudyPasses() {
        XCTAssertNil(refusal { _ in })
    }

    func testEachDamageIsRefusedWithItsMessage() {
        let first = study.itemIDs[0], second = study.itemIDs[1]
        XCTAssertEqual(refusal { $0.itemIDs.append(first) }, "pair id \"\(first)\" appears twice")
        XCTAssertEqual(refusal { $0.annotators[0].queue[0].item = "nope" }, "alice's queue names pair \"nope\", which the study does not have")
        XCTAssertEqual(refusal { $0.annotators[1].queue[2].b = $0.annotators[1].queue[2].a },
                       "bob's queue shows the same response on both sides of pair \(study.annotators[1].queue[2].item)")
        let bobEntry = study.annotators[1].queue.first { $0.item == first }!
        XCTAssertEqual(refusal { study in
            let index = study.annotators[1].queue.firstIndex { $0.item == first }!
            study.annotators[1].queue[index].a = "rOther"
        }, "bob's queue shows pair \(bobEntry.item) with responses other than the other queues show")
        XCTAssertEqual(refusal { $0.annotators[0].queue.append($0.annotators[0].queue.first { $0.item == second }!) },
                       "alice's queue lists pair \"\(second)\" twice")
        XCTAssertEqual(refusal { $0.annotators[1].name = "alice" }, "annotator name \"alice\" is invalid or appears twice")
    }

    func testTheSamePairInTwoQueuesAndALegacyRepeatPass() {
        XCTAssertTrue(study.annotators[0].queue.contains { $0.item == study.itemIDs[0] })
        XCTAssertTrue(study.annotators[1].queue.contains { $0.item == study.itemIDs[0] })
        XCTAssertNil(refusal { study in
            var repeated = study.annotators[0].queue[0]
            repeated.legacyRepeat = true
            study.annotators[0].queue.append(repeated)
        })
    }
}
