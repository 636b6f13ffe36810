@testable import BlindReviewCore
import Foundation
import XCTest

/// The hand reader of `study.json` gives the study `JSONDecoder` gives, and steps aside (nil) for anything it
/// does not read exactly, so that the decoder's result and errors stay the ones users see.
final class StudyFileDecoderTests: XCTestCase {
    func study() throws -> BuiltStudy {
        let pairs = (0..<40).map { i in
            CandidatePair(sourceID: "q\(i)", prompt: [.user("Question \(i)?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["one \(i)"]), second: ModelResponse(model: "tuned", turns: ["two \(i)"]))
        }
        var built = try StudyBuilder.build(
            pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s é", seed: 3, annotators: ["a", "b", "c"], perItem: 2, repeats: 2))
        built.study.guidelinesSHA256 = String(repeating: "e", count: 64)
        built.studyData = built.study.canonicalJSON()
        return built
    }

    func testReadsWhatCreateWritesAsTheDecoderDoes() throws {
        let built = try study()
        let fast = try XCTUnwrap(StudyFileDecoder.decode(built.studyData))
        XCTAssertEqual(fast, try JSONDecoder().decode(Study.self, from: built.studyData))
        XCTAssertEqual(fast, built.study)
        // Version 1 fields and a kind written out.
        var old = built.study
        old.studyID = nil
        old.legacyKeySHA256 = String(repeating: "a", count: 64)
        old.annotators[0].queue[0].legacyRepeat = true
        old.annotators[1].kind = .human
        let data = CanonicalJSON.encode(old, pretty: true)
        XCTAssertEqual(try XCTUnwrap(StudyFileDecoder.decode(data)), try JSONDecoder().decode(Study.self, from: data))
        // Compact JSON reads the same.
        XCTAssertEqual(StudyFileDecoder.decode(CanonicalJSON.encode(built.study)), built.study)
    }

    func testStepsAsideForWhatItDoesNotReadExactly() throws {
        let text = String(decoding: try study().studyData, as: UTF8.self)
        let variants = [
            text.replacingOccurrences(of: "\"name\" : \"a\"", with: "\"name\" : \"\\u0061\""),  // an escape
            text.replacingOccurrences(of: "\"redacted\" : false", with: "\"redacted\" : false, \"extra\" : 1"),  // unknown field
            text.replacingOccurrences(of: "\"schema_version\" : 2", with: "\"schema_version\" : 2.0"),
            text.replacingOccurrences(of: "\"redacted\" : false", with: "\"redacted\" : false, \"redacted\" : true"),
            text.replacingOccurrences(of: "\"guidelines_sha256\" : \"eeee", with: "\"guidelines_sha256\" : null, \"x\" : \"eeee"),
            text + "x",
            String(text.dropLast(3)),
        ]
        for variant in variants {
            XCTAssertNil(StudyFileDecoder.decode(Data(variant.utf8)), String(variant.prefix(80)))
        }
        var invalid = Array(text.utf8)
        invalid[invalid.firstIndex(of: "é".utf8.first!)!] = 0xFF
        XCTAssertNil(StudyFileDecoder.decode(Data(invalid)))
    }

    /// Damaged files: whenever the hand reader accepts one, the decoder accepts it too and agrees.
    func testDamagedFilesNeverReadDifferently() throws {
        let bytes = Array(try study().studyData)
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        let replacements = Array("{}[]\",:0123456789 -.etrufalsn\\ab\n".utf8)
        for _ in 0..<400 {
            var damaged = bytes
            for _ in 0..<(1 + next() % 3) {
                let at = next() % damaged.count
                switch next() % 3 {
                case 0: damaged.remove(at: at)
                case 1: damaged[at] = replacements[next() % replacements.count]
                default: damaged.insert(replacements[next() % replacements.count], at: at)
                }
            }
            let data = Data(damaged)
            if let fast = StudyFileDecoder.decode(data) {
                XCTAssertEqual(fast, try? JSONDecoder().decode(Study.self, from: data))
            }
        }
    }
}
