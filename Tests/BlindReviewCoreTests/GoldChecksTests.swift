import BlindReviewCore
import Foundation
import XCTest

/// `create --gold`: known-answer pairs go to every annotator, only the key lists them, and a bad gold file is
/// refused with its file, line and a fix.
final class GoldChecksTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func goldFile(_ lines: [String], bySide: Bool = false) throws -> GoldList {
        let url = folder.appendingPathComponent("gold.jsonl")
        try write(lines.joined(separator: "\n") + "\n", to: url)
        return try GoldList.load(path: url.path, bySide: bySide)
    }

    func build(_ count: Int = 30, annotators: [String] = ["ann", "bo", "cy"], perItem: Int? = nil, sample: Int? = nil, seed: UInt64 = 7, gold: GoldList?) throws -> BuiltStudy {
        var options = StudyOptions(name: "g", seed: seed, annotators: annotators, perItem: perItem, sample: sample)
        options.gold = gold
        return try StudyBuilder.build(pairs: samplePairs(count), models: ["base", "tuned"], options: options)
    }

    func testKeyRecordsTheExpectedResponseAndMinimumScore() throws {
        let gold = try goldFile([#"{"id": "p3", "better": "tuned"}"#, #"{"id": "p8", "better": "base", "min_score": 4}"#])
        let built = try build(gold: gold)
        let answers = try XCTUnwrap(built.key.gold)
        XCTAssertEqual(answers.count, 2)
        for (pair, answer) in answers {
            let entry = try XCTUnwrap(built.key.pairs[pair])
            XCTAssertEqual(entry.responses[answer.expected], entry.sourceID == "p3" ? "tuned" : "base")
            XCTAssertEqual(answer.minScore, entry.sourceID == "p3" ? nil : 4)
        }
        // The key round-trips; a key without gold writes no "gold" field at all.
        let decoded = try JSONDecoder().decode(StudyKey.self, from: built.keyData)
        XCTAssertEqual(decoded.gold, answers)
        XCTAssertFalse(String(decoding: try build(gold: nil).keyData, as: UTF8.self).contains("\"gold\""))
    }

    /// Without --per-item everyone rates everything, so a study with gold pairs is byte for byte the study
    /// without them: nothing annotators can read differs, only the key does.
    func testStudyFolderIsByteIdenticalWithAndWithoutGold() throws {
        let gold = try goldFile([#"{"id": "p0", "better": "tuned"}"#, #"{"id": "p29", "better": "base"}"#, #"{"id": "p12", "better": "tuned"}"#])
        let with = try build(gold: gold), without = try build(gold: nil)
        XCTAssertEqual(with.studyData, without.studyData)
        XCTAssertEqual(with.itemsData, without.itemsData)
        XCTAssertNotEqual(with.keyData, without.keyData)
        XCTAssertFalse(String(decoding: with.studyData, as: UTF8.self).contains("gold"))
    }

    /// Under --per-item a gold pair still goes to everyone; as many other pairs (decoys) do too, so an annotator
    /// reading every queue in study.json sees a set of pairs everyone rates of which only half are gold, and
    /// nothing else about a gold pair (fields, kinds of ids, positions) differs.
    func testGoldPairsReachEveryQueueUnderPerItemAndCannotBeToldApart() throws {
        let names = (0..<12).map { "a\($0)" }
        let goldIDs = ["p2", "p9", "p17", "p25"]
        let gold = try goldFile(goldIDs.map { #"{"id": "\#($0)", "better": "tuned"}"# })
        let built = try build(40, annotators: names, perItem: 2, gold: gold)
        let goldPairs = Set(built.key.gold!.keys)
        var raters: [String: Int] = [:]
        for plan in built.study.annotators {
            XCTAssertTrue(goldPairs.isSubset(of: Set(plan.queue.map(\.item))), "\(plan.name) misses a gold pair")
            for entry in plan.queue { raters[entry.item, default: 0] += 1 }
        }
        let everyone = Set(raters.filter { $0.value == names.count }.map(\.key))
        XCTAssertTrue(goldPairs.isSubset(of: everyone))
        XCTAssertEqual(everyone.count, 2 * goldPairs.count, "one decoy per gold pair")

        // Same fields and the same kinds of ids in items.jsonl and in the queues.
        let lines = String(decoding: built.itemsData, as: UTF8.self).split(separator: "\n")
        let shape = { (line: Substring) -> [String] in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object.keys.sorted()
        }
        let idPattern = try NSRegularExpression(pattern: "^[pr][0-9a-f]{16}$")
        func opaque(_ id: String) -> Bool { idPattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil }
        var shapes: [Bool: Set<[String]>] = [:]
        for line in lines {
            let id = (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["id"] as! String
            shapes[goldPairs.contains(id), default: []].insert(shape(line))
            XCTAssertTrue(opaque(id))
        }
        XCTAssertEqual(shapes[true], shapes[false])
        for plan in built.study.annotators { for entry in plan.queue { XCTAssertTrue(opaque(entry.item) && opaque(entry.a) && opaque(entry.b)) } }

        // Positions spread over the queue like any other pair's: first and last only by chance.
        var relative: [Double] = []
        var firstOrLast = 0
        for plan in built.study.annotators {
            for (position, entry) in plan.queue.enumerated() where goldPairs.contains(entry.item) {
                relative.append(Double(position) / Double(plan.queue.count - 1))
                if position == 0 || position == plan.queue.count - 1 { firstOrLast += 1 }
            }
        }
        XCTAssertEqual(relative.count, names.count * goldPairs.count)
        XCTAssertTrue(relative.contains { $0 < 0.33 } && relative.contains { $0 > 0.67 } && relative.contains { (0.33...0.67).contains($0) })
        XCTAssertLessThan(firstOrLast, relative.count / 4)
        let mean = relative.reduce(0, +) / Double(relative.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.2)
    }

    func testPairsStudyNamesTheInputSide() throws {
        let gold = try goldFile([#"{"id": "p4", "better": "b"}"#], bySide: true)
        let built = try build(gold: gold)
        let (pair, answer) = try XCTUnwrap(built.key.gold?.first)
        XCTAssertEqual(built.key.pairs[pair]?.inputOrder?[1], answer.expected)
        assertThrowsBlindReviewError(try goldFile([#"{"id": "p4", "better": "tuned"}"#], bySide: true), contains: ["gold.jsonl:1:", "input side", "\"a\""])
    }

    func testBadGoldFilesNameFileLineAndFix() throws {
        assertThrowsBlindReviewError(
            try build(gold: goldFile([#"{"id": "p1", "better": "tuned"}"#, #"{"id": "nope", "better": "tuned"}"#])),
            contains: ["gold.jsonl:2:", "source id \"nope\" is in none of the study's inputs", "remove the line"])
        assertThrowsBlindReviewError(
            try build(gold: goldFile([#"{"id": "p1", "better": "gpt5"}"#])),
            contains: ["gold.jsonl:1:", "model \"gpt5\" is not in this study", "base, tuned"])
        assertThrowsBlindReviewError(
            try build(gold: goldFile([#"{"id": "p1", "better": "tuned", "min_score": 9}"#])),
            contains: ["gold.jsonl:1:", "off the rubric's scale (1 to 5)"])
        assertThrowsBlindReviewError(
            try goldFile([#"{"id": "p1", "better": "tuned"}"#, "", #"{"id": "p1", "better": "base"}"#]),
            contains: ["gold.jsonl:3:", "listed twice (first on line 1)"])
        assertThrowsBlindReviewError(try goldFile([#"{"id": "p1"}"#]), contains: ["gold.jsonl:1:", "no \"better\""])
        assertThrowsBlindReviewError(try goldFile([#"{"id": "p1", "better": "base", "expected": 1}"#]), contains: ["unknown field \"expected\""])
        assertThrowsBlindReviewError(try goldFile([#"{"id": "p1", "better": "base", "min_score": 3.5}"#]), contains: ["whole number"])
        // --sample keeps 5 of 30 pairs: a gold id that is in the inputs but was not sampled is named as such.
        let sampled = try build(sample: 5, gold: nil)
        let kept = Set(sampled.key.pairs.values.map(\.sourceID))
        let missing = (0..<30).map { "p\($0)" }.first { !kept.contains($0) }!
        assertThrowsBlindReviewError(
            try build(sample: 5, gold: goldFile([#"{"id": "\#(missing)", "better": "tuned"}"#])),
            contains: ["gold.jsonl:1:", "not in the study after --sample", "larger --sample"])
    }
}
