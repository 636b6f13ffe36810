import BlindReviewCore
import Foundation
import XCTest

final class StudyBuilderTests: XCTestCase {
    func build(_ pairs: [CandidatePair], models: [String] = ["base", "tuned"], _ options: StudyOptions) throws -> BuiltStudy {
        try StudyBuilder.build(pairs: pairs, models: models, options: options)
    }

    func testSameInputsAndSeedGiveIdenticalBytes() throws {
        let options = StudyOptions(name: "s", seed: 42, annotators: ["a", "b", "c"], perItem: 2, repeats: 3)
        let one = try build(samplePairs(40), options)
        let two = try build(samplePairs(40), options)
        XCTAssertEqual(one.studyData, two.studyData)
        XCTAssertEqual(one.itemsData, two.itemsData)
        XCTAssertEqual(one.keyData, two.keyData)
        var other = options
        other.seed = 43
        XCTAssertNotEqual(try build(samplePairs(40), other).studyData, one.studyData)
    }

    func testStudyNamesNoModelAndKeyKnowsEveryResponse() throws {
        let built = try build(
            samplePairs(30, models: ("llama-13b", "vicuna-13b")), models: ["llama-13b", "vicuna-13b"],
            StudyOptions(name: "s", seed: 1, annotators: ["a"]))
        let text = String(decoding: built.studyData + built.itemsData, as: UTF8.self)
        XCTAssertTrue(text.contains("answer 3 from the first"), "the items are in what was checked")
        XCTAssertFalse(text.contains("llama"))
        XCTAssertFalse(text.contains("vicuna"))
        XCTAssertFalse(text.contains("seed"))
        XCTAssertNotNil(built.study.studyID)
        XCTAssertEqual(built.study.studyID, built.key.studyID)
        for item in built.items {
            XCTAssertEqual(item.responses.count, 2)
            XCTAssertEqual(item.responses.map(\.id), item.responses.map(\.id).sorted(), "response order must say nothing")
            let models = Set(item.responses.map { built.key.model(pair: item.id, response: $0.id) })
            XCTAssertEqual(models, ["llama-13b", "vicuna-13b"])
            for response in item.responses {
                XCTAssertTrue(response.id.hasPrefix("r") && response.id.count == 17, response.id)
            }
        }
    }

    /// Sides are fair coins: over many annotators each model is on the left about half the time.
    func testSidesAreFairCoinsPerAnnotatorAndPair() throws {
        let annotators = (0..<100).map { "a\($0)" }
        let built = try build(samplePairs(40), StudyOptions(name: "s", seed: 9, annotators: annotators))
        var baseOnA = 0, total = 0
        for plan in built.study.annotators {
            baseOnA += plan.queue.filter { built.key.model(pair: $0.item, response: $0.a) == "base" }.count
            total += plan.queue.count
        }
        XCTAssertEqual(Double(baseOnA) / Double(total), 0.5, accuracy: 0.03, "4,000 coins")
    }

    func testThreeModelsGiveEveryPairOfModels() throws {
        let models = ["m1", "m2", "m3"]
        let pairs = (0..<21).flatMap { i -> [CandidatePair] in
            [(0, 1), (0, 2), (1, 2)].map { x, y in
                CandidatePair(
                    sourceID: "p\(i)", prompt: [.user("q")], reference: nil,
                    first: ModelResponse(model: models[x], turns: ["\(i)\(x)"]),
                    second: ModelResponse(model: models[y], turns: ["\(i)\(y)"]))
            }
        }
        let built = try build(pairs, models: models, StudyOptions(name: "s", seed: 5, annotators: ["a", "b"], repeats: 4))
        let repeats = RepeatMap(study: built.study, key: built.key)
        XCTAssertEqual(built.items.count - repeats.origins.count, 63)
        XCTAssertEqual(built.key.pairs.values.filter { $0.sourceID == "p0" && $0.repeatOf == nil }.count, 3, "one prompt, three pairs, ids in the key only")
        for plan in built.study.annotators {
            var counts: [String: (first: Int, total: Int)] = [:]
            for entry in plan.queue where !repeats.isRepeat(entry) {
                let a = built.key.model(pair: entry.item, response: entry.a)!
                let b = built.key.model(pair: entry.item, response: entry.b)!
                let group = [a, b].sorted().joined(separator: "-")
                var count = counts[group] ?? (0, 0)
                count.total += 1
                if a < b { count.first += 1 }
                counts[group] = count
            }
            XCTAssertEqual(counts.count, 3, "every pair of models in every queue")
        }
    }

    func testBaselineComparesOnlyAgainstTheBaseline() throws {
        let outputs = ["base", "x", "y"].map { model in
            ModelOutputs(model: model, file: "\(model).jsonl", records: (0..<3).map {
                PromptRecord(id: "q\($0)", prompt: [.user("Q\($0)")], response: ["\(model) \($0)"], reference: nil, line: $0 + 1)
            }, warnings: [])
        }
        let pairs = try ComparisonSource.pairs(outputs: outputs, questions: nil, references: nil, baseline: "base")
        XCTAssertEqual(pairs.count, 6)
        XCTAssertTrue(pairs.allSatisfy { $0.first.model == "base" })
        let all = try ComparisonSource.pairs(outputs: outputs, questions: nil, references: nil, baseline: nil)
        XCTAssertEqual(all.count, 9)
        assertThrowsBlindReviewError(
            try ComparisonSource.pairs(outputs: outputs, questions: nil, references: nil, baseline: "nope"),
            contains: ["--baseline nope", "base, x, y"])
    }

    func testPerItemAssignsEachPairToKAnnotatorsWithBalancedLoad() throws {
        let built = try build(samplePairs(50), StudyOptions(name: "s", seed: 8, annotators: ["a", "b", "c", "d"], perItem: 3))
        var raters: [String: Int] = [:]
        for plan in built.study.annotators {
            XCTAssertEqual(Set(plan.queue.map(\.item)).count, plan.queue.count)
            for entry in plan.queue { raters[entry.item, default: 0] += 1 }
        }
        XCTAssertEqual(raters.count, 50)
        XCTAssertTrue(raters.values.allSatisfy { $0 == 3 })
        let loads = built.study.annotators.map(\.queue.count)
        XCTAssertLessThanOrEqual(loads.max()! - loads.min()!, 1, "\(loads)")
    }

    func testEachAnnotatorHasTheirOwnOrder() throws {
        let built = try build(samplePairs(30), StudyOptions(name: "s", seed: 2, annotators: ["a", "b"]))
        XCTAssertNotEqual(built.study.annotators[0].queue.map(\.item), built.study.annotators[1].queue.map(\.item))
        XCTAssertEqual(Set(built.study.annotators[0].queue.map(\.item)), Set(built.study.annotators[1].queue.map(\.item)))
    }

    func testRepeatsAreSwappedAndAtLeastFiveItemsAfterTheOriginal() throws {
        for seed in 0..<20 as Range<UInt64> {
            let built = try build(samplePairs(20), StudyOptions(name: "s", seed: seed, annotators: ["a", "b"], repeats: 5))
            for plan in built.study.annotators {
                XCTAssertEqual(plan.queue.count, 25)
                let map = RepeatMap(study: built.study, key: built.key)
                let repeats = plan.queue.enumerated().filter { map.isRepeat($0.element) }
                XCTAssertEqual(repeats.count, 5)
                XCTAssertEqual(Set(repeats.map(\.element.item)).count, 5)
                for (position, shown) in repeats {
                    let entry = map.original(of: shown)
                    XCTAssertNotEqual(entry.item, shown.item, "a repeat has its own item id")
                    XCTAssertTrue(Set([shown.a, shown.b]).isDisjoint(with: [entry.a, entry.b]), "and its own response ids")
                    let original = plan.queue.firstIndex { $0.item == entry.item }!
                    XCTAssertGreaterThanOrEqual(abs(position - original), 6, "5 other items must come between the two showings")
                    XCTAssertEqual(plan.queue[original].a, entry.b)
                    XCTAssertEqual(plan.queue[original].b, entry.a)
                }
                let baseOnA = plan.queue.filter { built.key.model(pair: $0.item, response: $0.a) == "base" }.count
                _ = baseOnA
            }
        }
    }

    func testTooManyRepeatsIsAClearError() {
        assertThrowsBlindReviewError(
            try StudyBuilder.build(pairs: samplePairs(8), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 1, annotators: ["a"], repeats: 5)),
            contains: ["annotator a has 8 pairs", "--repeat 5", "Lower --repeat to 3"])
    }

    func testSampleDrawsASeededSubsetInInputOrder() throws {
        let built = try build(samplePairs(100), StudyOptions(name: "s", seed: 4, annotators: ["a"], sample: 10))
        XCTAssertEqual(built.items.count, 10)
        let sources = Set(built.key.pairs.values.map(\.sourceID))
        XCTAssertEqual(sources.count, 10)
        XCTAssertEqual(try build(samplePairs(100), StudyOptions(name: "s", seed: 4, annotators: ["a"], sample: 10)).items.map(\.id), built.items.map(\.id))
    }

    func testLeaksAreListedAndRedactedOnRequest() throws {
        var pairs = samplePairs(3)
        pairs[1].second.turns = ["I am ChatGPT and I can help."]
        let listed = try build(pairs, StudyOptions(name: "s", seed: 1, annotators: ["a"]))
        XCTAssertEqual(listed.leaks.map { listed.key.pairs[$0.pairID]?.sourceID }, ["p1"])
        XCTAssertEqual(listed.leaks.first?.text, "ChatGPT")
        XCTAssertTrue(String(decoding: listed.itemsData, as: UTF8.self).contains("ChatGPT"))
        let redacted = try build(pairs, StudyOptions(name: "s", seed: 1, annotators: ["a"], redact: true))
        let text = String(decoding: redacted.itemsData, as: UTF8.self)
        XCTAssertFalse(text.contains("ChatGPT"))
        XCTAssertTrue(text.contains("I am [redacted] and I can help."))
        XCTAssertTrue(redacted.study.redacted)
    }

    func testAnnotatorNamesAreChecked() {
        for bad in ["../x", "a/b", "", ".hidden", String(repeating: "x", count: 65), "ali ce", "ümlaut"] {
            XCTAssertFalse(AnnotatorName.isValid(bad), bad)
        }
        for good in ["alice", "A.b_c-9", String(repeating: "x", count: 64)] {
            XCTAssertTrue(AnnotatorName.isValid(good), good)
        }
        assertThrowsBlindReviewError(
            try StudyBuilder.build(pairs: samplePairs(3), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 1, annotators: ["a", "a"])),
            contains: ["listed twice"])
    }
}
