@testable import BlindReviewCore
import Foundation
import XCTest

/// The hand-written encoders of `items.jsonl`, `study.json` and the key write exactly the bytes `JSONEncoder`
/// (sorted keys, unescaped slashes) writes: a seeded study stays byte-identical to what earlier versions wrote.
final class CanonicalJSONWriterTests: XCTestCase {
    /// Every control character, quotes, backslash, slash, DEL, line and paragraph separators, emoji, combining marks.
    static let awkward = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\"\\/\u{7F}\u{2028}\u{2029}é😀e\u{301}中 </script>"

    func pairs() -> [CandidatePair] {
        (0..<30).map { i in
            var pair = CandidatePair(
                sourceID: i == 3 ? "src \(Self.awkward)" : "p\(i)",
                prompt: i % 4 == 0 ? [ChatMessage(role: "system", content: "be brief"), .user("Q\(i) \(Self.awkward)"), ChatMessage(role: "assistant", content: "ok"), .user("more")]
                    : [.user("Question \(i)?")],
                reference: i % 3 == 0 ? ["gold \(i)\n\(Self.awkward)"] : nil,
                first: ModelResponse(model: "base", turns: ["first \(i)\t\(i % 2 == 0 ? Self.awkward : "plain")"], fields: i % 5 == 0 ? ["model_id": "m/1", "ünïcode": "v\n"] : [:]),
                second: ModelResponse(model: "tuned", turns: ["second \(i)", "turn two"]))
            if i % 7 == 0 { pair.fields = PromptFields(category: "cat \(Self.awkward)", metadata: ["z": "1", "a": "2", "é": "3"]) }
            return pair
        }
    }

    func assertSameAsEncoder(_ built: BuiltStudy, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(String(decoding: built.study.canonicalJSON(), as: UTF8.self), String(decoding: CanonicalJSON.encode(built.study, pretty: true), as: UTF8.self), file: file, line: line)
        XCTAssertEqual(String(decoding: built.key.canonicalJSON(), as: UTF8.self), String(decoding: CanonicalJSON.encode(built.key, pretty: true), as: UTF8.self), file: file, line: line)
        let lines = built.items.map { CanonicalJSON.encode($0) + Data([0x0A]) }.reduce(Data(), +)
        XCTAssertEqual(String(decoding: StudyItems.encode(built.items), as: UTF8.self), String(decoding: lines, as: UTF8.self), file: file, line: line)
    }

    func testSeededStudyFilesAreTheEncodersBytes() throws {
        let built = try StudyBuilder.build(
            pairs: pairs(), models: ["base", "tuned"],
            options: StudyOptions(name: "s \(Self.awkward)", seed: 42, annotators: ["a", "b", "c"], perItem: 2, repeats: 3))
        XCTAssertEqual(built.studyData, CanonicalJSON.encode(built.study, pretty: true), "study.json as create writes it")
        XCTAssertEqual(built.keyData, CanonicalJSON.encode(built.key, pretty: true), "the key as create writes it")
        assertSameAsEncoder(built)
        XCTAssertTrue(built.key.pairs.values.contains { $0.repeatOf != nil }, "repeats are in the comparison")
        XCTAssertTrue(built.key.pairs.values.contains { $0.fields != nil && $0.responseFields != nil })
        _ = try JSONDecoder().decode(Study.self, from: built.studyData)
        _ = try JSONDecoder().decode(StudyKey.self, from: built.keyData)
    }

    /// Optional fields, empty containers, gold, version 1 fields and keys the writer hands to the encoder.
    func testEveryOptionalFieldAndEmptyContainers() throws {
        var built = try StudyBuilder.build(
            pairs: pairs(), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 7, annotators: ["a", "b"], redact: true))
        built.study.guidelinesSHA256 = String(repeating: "ab", count: 32)
        built.study.legacyKeySHA256 = String(repeating: "cd", count: 32)
        built.study.annotators[0].queue[0].legacyRepeat = true
        built.study.annotators[1].queue = []
        built.study.annotators.append(AnnotatorPlan(name: "judge", queue: [], kind: .judge))
        built.key.gold = [built.study.itemIDs[0]: GoldAnswer(expected: "r1", minScore: 3), built.study.itemIDs[1]: GoldAnswer(expected: "r2")]
        built.key.baseline = "base"
        built.key.models = []
        built.items[0].legacySourceID = "old \(Self.awkward)"
        built.items[1].reference = []
        built.items[2].responses[0].turns = []
        assertSameAsEncoder(built)
        // A version 1 key's prompt ids as pair ids (not ASCII): the encoder writes those.
        let id = built.study.itemIDs[0]
        built.key.pairs["é-\(id)"] = built.key.pairs[id]
        assertSameAsEncoder(built)
    }

    func testStringsAreEscapedAsTheEncoderDoes() {
        for scalar in (0..<0x80).map({ UnicodeScalar(UInt8($0)) }) {
            for text in ["\(scalar)", "a\(scalar)b", "\(scalar)\(scalar)"] {
                var writer = CanonicalJSONWriter(pretty: false)
                writer.string(text)
                XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), String(decoding: CanonicalJSON.encode(text), as: UTF8.self), "U+\(String(scalar.value, radix: 16))")
            }
        }
    }
}
