import BlindReviewCore
import Foundation
import XCTest

final class InputFormatTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try write(text, to: url)
        return url.path
    }

    func testPlainMessagesAndMTBenchLinesAreRead() throws {
        let path = try file("m.jsonl", """
            {"id": "q1", "prompt": "Hi?", "response": "Hello", "reference": "Hey"}
            {"id": 2, "messages": [{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Why?"}, {"role": "assistant", "content": "Because"}]}

            {"question_id": 81, "choices": [{"index": 0, "turns": ["one", "two"]}]}
            {"id": "q4", "prompt": ["turn one", "turn two"], "response": ["a1", "a2"]}
            """)
        let outputs = try ModelOutputs.load(model: "m", path: path)
        XCTAssertEqual(outputs.records.map(\.id), ["q1", "2", "81", "q4"])
        XCTAssertEqual(outputs.records[0].prompt, [.user("Hi?")])
        XCTAssertEqual(outputs.records[0].reference, ["Hey"])
        XCTAssertEqual(outputs.records[1].prompt, [ChatMessage(role: "system", content: "Be brief"), .user("Why?")])
        XCTAssertEqual(outputs.records[1].response, ["Because"])
        XCTAssertNil(outputs.records[2].prompt)
        XCTAssertEqual(outputs.records[2].response, ["one", "two"])
        XCTAssertEqual(outputs.records[2].line, 4)
        XCTAssertEqual(outputs.records[3].prompt, [.user("turn one"), .user("turn two")])
    }

    /// Found in review: a lone surrogate escape made `create` reject the whole file as malformed JSON.
    func testLoneSurrogateIsStoredAsReplacementCharacterWithAWarningNamingThePair() throws {
        let path = try file("s.jsonl", #"""
            {"id": "q1", "prompt": "Hi?", "response": "broken \ud800 half and \udc00 too"}
            {"id": "q2", "prompt": "ok \ud83d\ude00 and \\ud800 stay", "response": "fine"}
            """#)
        let outputs = try ModelOutputs.load(model: "m", path: path)
        XCTAssertEqual(outputs.records[0].response, ["broken \u{FFFD} half and \u{FFFD} too"])
        XCTAssertEqual(outputs.records[1].prompt, [.user("ok 😀 and \\ud800 stay")])
        XCTAssertEqual(outputs.warnings.count, 1)
        XCTAssertEqual(outputs.warnings[0].line, 1)
        XCTAssertTrue(outputs.warnings[0].message.contains("prompt \"q1\""), outputs.warnings[0].message)
        XCTAssertTrue(outputs.warnings[0].message.contains("U+FFFD"))
        let pairs = try file("p.jsonl", #"""
            {"id": "p1", "prompt": "x", "response_a": "a\udfff", "response_b": "b", "mapping": {"a": "m1", "b": "m2"}}
            """#)
        let read = try ComparisonSource.pairs(fromFile: pairs)
        XCTAssertEqual(read.pairs[0].first.turns, ["a\u{FFFD}"])
        XCTAssertTrue(read.warnings.contains { $0.message.contains("pair \"p1\"") })
    }

    func testIntegerIdsZeroAndOneAreIdsNotBooleans() throws {
        let path = try file("ints.jsonl", """
            {"id": 0, "prompt": "p0", "response": "r0"}
            {"id": 1, "prompt": "p1", "response": "r1"}
            {"question_id": 2, "prompt": "p2", "response": "r2"}
            """)
        XCTAssertEqual(try ModelOutputs.load(model: "m", path: path).records.map(\.id), ["0", "1", "2"])
        let boolean = try file("bool.jsonl", "{\"id\": true, \"prompt\": \"p\", \"response\": \"r\"}\n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: boolean), contains: ["bool.jsonl:1", "no \"id\""])
    }

    func testErrorsNameFileAndLine() throws {
        let malformed = try file("bad.jsonl", "{\"id\": \"a\", \"prompt\": \"p\", \"response\": \"r\"}\n{\"id\": \"b\", \"prompt\": \n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: malformed), contains: ["bad.jsonl:2", "malformed JSON"])
        let duplicate = try file("dup.jsonl", "{\"id\": \"a\", \"prompt\": \"p\", \"response\": \"r\"}\n{\"id\": \"a\", \"prompt\": \"p\", \"response\": \"r\"}\n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: duplicate), contains: ["dup.jsonl:2", "duplicate prompt id \"a\"", "line 1"])
        let noResponse = try file("nr.jsonl", "{\"id\": \"a\", \"prompt\": \"p\"}\n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: noResponse), contains: ["nr.jsonl:1", "no response"])
        let noID = try file("noid.jsonl", "{\"prompt\": \"p\", \"response\": \"r\"}\n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: noID), contains: ["noid.jsonl:1", "no \"id\""])
        let array = try file("arr.jsonl", "[1, 2]\n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: array), contains: ["arr.jsonl:1", "expected a JSON object"])
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: folder.appendingPathComponent("missing.jsonl").path), contains: ["missing.jsonl", "no such file"])
        let empty = try file("empty.jsonl", "\n\n")
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: empty), contains: ["empty.jsonl", "no lines"])
    }

    func testInvalidUTF8NamesTheLine() throws {
        let url = folder.appendingPathComponent("latin1.jsonl")
        var data = Data("{\"id\": \"a\", \"prompt\": \"p\", \"response\": \"r\"}\n{\"id\": \"b\", \"prompt\": \"caf".utf8)
        data.append(0xE9)
        data.append(contentsOf: Array("\", \"response\": \"r\"}\n".utf8))
        try data.write(to: url)
        assertThrowsBlindReviewError(try ModelOutputs.load(model: "m", path: url.path), contains: ["latin1.jsonl:2", "invalid UTF-8"])
    }

    func testEmptyResponseIsAWarningNotAnError() throws {
        let path = try file("e.jsonl", "{\"id\": \"a\", \"prompt\": \"p\", \"response\": \"  \"}\n")
        let outputs = try ModelOutputs.load(model: "m", path: path)
        XCTAssertEqual(outputs.warnings.count, 1)
        XCTAssertTrue(outputs.warnings[0].description.contains("e.jsonl:1"))
    }

    func testMissingPromptIdForOneModelIsNamed() throws {
        let a = try ModelOutputs.load(model: "a", path: try file("a.jsonl", "{\"id\": \"1\", \"prompt\": \"p\", \"response\": \"r\"}\n{\"id\": \"2\", \"prompt\": \"p\", \"response\": \"r\"}\n"))
        let b = try ModelOutputs.load(model: "b", path: try file("b.jsonl", "{\"id\": \"1\", \"prompt\": \"p\", \"response\": \"r\"}\n"))
        assertThrowsBlindReviewError(
            try ComparisonSource.pairs(outputs: [a, b], questions: nil, references: nil, baseline: nil),
            contains: ["b.jsonl", "prompt id \"2\" is missing", "line 2 of"])
        assertThrowsBlindReviewError(
            try ComparisonSource.pairs(outputs: [b, a], questions: nil, references: nil, baseline: nil),
            contains: ["b.jsonl", "prompt id \"2\" is missing"])
    }

    func testPairsFile() throws {
        let path = try file("pairs.jsonl", """
            {"id": "x1", "prompt": "P", "response_a": "A", "response_b": "B", "mapping": {"a": "base", "b": "tuned"}}
            {"id": "x2", "prompt": [{"role": "user", "content": "P2"}], "response_a": "A2", "response_b": "", "mapping": {"a": "tuned", "b": "base"}, "reference": "gold"}
            """)
        let loaded = try ComparisonSource.pairs(fromFile: path)
        XCTAssertEqual(loaded.pairs.count, 2)
        XCTAssertEqual(loaded.pairs[1].first.model, "tuned")
        XCTAssertEqual(loaded.pairs[1].reference, ["gold"])
        XCTAssertEqual(loaded.warnings.count, 1)
        let bad = try file("badpairs.jsonl", "{\"id\": \"x1\", \"prompt\": \"P\", \"response_a\": \"A\", \"response_b\": \"B\"}\n")
        assertThrowsBlindReviewError(try ComparisonSource.pairs(fromFile: bad), contains: ["badpairs.jsonl:1", "mapping"])
        let same = try file("same.jsonl", "{\"id\": \"x1\", \"prompt\": \"P\", \"response_a\": \"A\", \"response_b\": \"B\", \"mapping\": {\"a\": \"m\", \"b\": \"m\"}}\n")
        assertThrowsBlindReviewError(try ComparisonSource.pairs(fromFile: same), contains: ["same.jsonl:1", "both responses"])
    }

    func testRubricFromYAMLAndJSONWithValidation() throws {
        let yaml = try file("r.yaml", """
            name: short
            criteria:
              - id: helpful
                name: Helpfulness
                min: 1
                max: 3
                anchors: {1: "Not helpful", 2: "Somewhat", 3: "Very"}
            preference:
              question: Which is better?
              options:
                - {id: a, label: A better, key: a, favours: a}
                - {id: b, label: B better, key: b, favours: b}
                - {id: same, label: Same, key: o, favours: none}
            """)
        let rubric = try RubricLoader.load(path: yaml)
        XCTAssertEqual(rubric.criteria.map(\.id), ["helpful"])
        XCTAssertEqual(rubric.criteria[0].anchor(for: 3), "Very")
        XCTAssertEqual(rubric.preference.options.map(\.favours), [.a, .b, nil])
        let json = try file("r.json", String(decoding: CanonicalJSON.encode(Rubric.standard), as: UTF8.self))
        XCTAssertEqual(try RubricLoader.load(path: json), .standard)
        XCTAssertEqual(RubricLoader.sha256(try RubricLoader.load(path: json)), RubricLoader.sha256(.standard))

        let badScale = try file("bad.yaml", "name: x\ncriteria:\n  - {id: c, min: 3, max: 2}\npreference:\n  options: [{id: a, key: a}, {id: b, key: b}]\n")
        assertThrowsBlindReviewError(try RubricLoader.load(path: badScale), contains: ["bad.yaml", "scale 3-2"])
        let badKey = try file("key.yaml", "name: x\ncriteria: []\npreference:\n  options: [{id: a, key: a, favours: a}, {id: next, key: n, favours: b}]\n")
        assertThrowsBlindReviewError(try RubricLoader.load(path: badKey), contains: ["key.yaml", "key \"n\""])
        let oneSided = try file("onesided.yaml", "name: x\ncriteria: []\npreference:\n  options: [{id: a, key: a, favours: a}, {id: t, key: t}]\n")
        assertThrowsBlindReviewError(try RubricLoader.load(path: oneSided), contains: ["onesided.yaml", "no option for B"])
        let misspelt = try file("misspelt.yaml", "name: x\ncriterias: []\npreference:\n  options: [{id: a, key: a, favours: a}, {id: b, key: b, favours: b}]\n")
        assertThrowsBlindReviewError(try RubricLoader.load(path: misspelt), contains: ["misspelt.yaml", "unknown field \"criterias\""])
        let missing = try file("missing.yaml", "name: x\ncriteria: []\n")
        assertThrowsBlindReviewError(try RubricLoader.load(path: missing), contains: ["missing.yaml", "missing \"preference\""])
    }

    func testMTBenchStudyFromSharedData() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        let bench = shared.appendingPathComponent("mt-bench")
        let outputs = try ["llama-13b", "vicuna-13b-v1.3"].map {
            try ModelOutputs.load(model: $0, path: bench.appendingPathComponent("model_answer/\($0).jsonl").path)
        }
        let questions = try QuestionSet.load(path: bench.appendingPathComponent("question.jsonl").path)
        let references = try QuestionSet.loadReferences(path: bench.appendingPathComponent("reference_answer/gpt-4.jsonl").path)
        let pairs = try ComparisonSource.pairs(outputs: outputs, questions: questions, references: references, baseline: nil)
        XCTAssertEqual(pairs.count, 80)
        XCTAssertTrue(pairs.allSatisfy { $0.prompt.count == 2 && $0.first.turns.count == 2 })
        // 30 from the reference file plus 10 more that only question.jsonl carries.
        XCTAssertEqual(pairs.filter { $0.reference != nil }.count, 40)
        let built = try StudyBuilder.build(
            pairs: pairs, models: ["llama-13b", "vicuna-13b-v1.3"],
            options: StudyOptions(name: "mt", seed: 11, annotators: ["a", "b", "c"], repeats: 8))
        let repeats = RepeatMap(study: built.study, key: built.key)
        XCTAssertEqual(built.items.count, 88, "80 pairs and 8 copies shown to everyone")
        for plan in built.study.annotators {
            XCTAssertEqual(plan.queue.count, 88)
            XCTAssertEqual(repeats.count(in: plan.queue), 8)
        }
        let text = String(decoding: built.studyData, as: UTF8.self)
        XCTAssertFalse(text.contains("llama-13b") || text.contains("vicuna-13b"))
    }
}
