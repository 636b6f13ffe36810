@testable import BlindReviewCore
import Foundation
import SeededRandom
import XCTest

/// The loader's fast lane (``JournalPlanLineReader``) against the general way of reading every line
/// (``JournalLineParser``, then `JSONDecoder`, then the loader's checks): on seeded journals with undos (last and
/// buried), ties, notes, flags, non-ASCII and escaped text, odd spacing and key order, and damaged lines, both give
/// the same journal (events, fold, warnings) or the same error with the same file and line.
final class JournalFastLaneTests: XCTestCase {
    var study: Study!
    let hash = String(repeating: "ab", count: 32)

    override func setUpWithError() throws {
        let built = try StudyBuilder.build(
            pairs: samplePairs(12), models: ["base", "tuned"],
            options: StudyOptions(name: "s", seed: 7, annotators: ["alice", "bob"], repeats: 2))
        study = built.study
    }

    var queue: [QueueEntry] { study.plan(for: "alice")!.queue }

    func header(annotator: String = "alice", kind: AnnotatorKind? = nil) -> String {
        JournalLaneComparison.header(hash: hash, annotator: annotator, kind: kind)
    }

    /// An event's line as the writer writes it.
    func line(_ event: JournalEvent) -> String { JournalLaneComparison.line(event) }

    /// A seeded journal of `count` events in the writer's form, with some lines written in other valid JSON forms.
    func journal(_ rng: inout SplitMix64, count: Int) -> [String] {
        let criteria = study.rubric.criteria
        let notes = ["short", "é 日本 👍", "quote \" backslash \\ newline \n tab \t", "", "\u{1B}[31m red", "/slash/"]
        var lines: [String] = []
        var changes: [Int] = []
        var time = "2026-12-01T10:00:00.000Z"
        for seq in 1...count {
            if rng.below(4) == 0 { time = "2026-12-01T10:00:\(10 + rng.below(50)).\(100 + rng.below(900))Z" }
            let slot = rng.below(queue.count)
            let entry = queue[slot]
            var event: JournalEvent
            switch rng.below(10) {
            case 0 where !changes.isEmpty:
                let target = rng.below(3) == 0 ? changes.remove(at: rng.below(changes.count)) : changes.removeLast()
                event = JournalEvent(type: .undo, target: target)
            case 1: event = .preference(slot: slot, item: entry.item, option: [nil, "a", "b", "tie"][rng.below(4)])
            case 2: event = .note(slot: slot, item: entry.item, text: rng.below(4) == 0 ? nil : notes[rng.below(notes.count)])
            case 3: event = .flag(slot: slot, item: entry.item, reason: rng.below(3) == 0 ? nil : PairFlag.allCases[rng.below(PairFlag.allCases.count)],
                                  note: rng.below(2) == 0 ? nil : notes[rng.below(notes.count)])
            case 4: event = JournalEvent(type: .open, slot: slot, item: entry.item)
            case 5: event = JournalEvent(type: .leave, slot: slot, item: entry.item, activeSeconds: [0, 1.5, 12, 3600.25][rng.below(4)])
            default:
                let criterion = criteria[rng.below(criteria.count)]
                event = .rating(slot: slot, item: entry.item, response: rng.below(2) == 0 ? entry.a : entry.b, criterion: criterion.id,
                                value: rng.below(6) == 0 ? nil : criterion.min + rng.below(criterion.max - criterion.min + 1))
            }
            event.seq = seq
            event.t = time
            if event.isChange { changes.append(seq) }
            var text = line(event)
            switch rng.below(25) {
            case 0: text = text.replacingOccurrences(of: ",", with: " , ").replacingOccurrences(of: ":", with: " : ")
            case 1: text = "{\"t\":\"\(time)\"," + text.dropFirst().replacingOccurrences(of: ",\"t\":\"\(time)\"", with: "")
            case 2: text = text.replacingOccurrences(of: "\"seq\":\(seq)", with: "\"seq\":+\(seq)")
            case 3: text = text.replacingOccurrences(of: "\"type\"", with: "\"typ\\u0065\"")
            case 4: text = text.replacingOccurrences(of: "}", with: ",\"value\":null}")
            default: break
            }
            lines.append(text)
        }
        return lines
    }

    /// Loads `text` with and without the fast lane (see ``JournalLaneComparison/assertSameLoad``).
    func assertSameLoad(_ text: String, annotator: String = "alice", study: Study? = nil, file: StaticString = #filePath, line: UInt = #line) {
        JournalLaneComparison.assertSameLoad(Array(text.utf8), study: study ?? self.study, hash: hash, annotator: annotator, file: file, line: line)
    }

    func testSeededJournalsLoadTheSameBothWays() {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<30 {
            let lines = [header()] + journal(&rng, count: 40 + rng.below(200))
            assertSameLoad(lines.joined(separator: "\n") + "\n")
            // Without the last newline, and with a torn last line.
            assertSameLoad(lines.joined(separator: "\n"))
            assertSameLoad(lines.joined(separator: "\n") + "\n" + String(lines.last!.prefix(lines.last!.count / 2)))
        }
    }

    /// Each kind of damage, at a random line: refused (or read) the same way, naming the same line.
    func testDamagedLinesAreRefusedTheSameWayNamingTheLine() {
        var rng = SplitMix64(seed: 31)
        let other = study.plan(for: "bob")!.queue
        let damages: [(String) -> String] = [
            { _ in "not json" },
            { _ in "{}" },
            { $0.replacingOccurrences(of: "\"seq\":", with: "\"seq\":\"") },
            { $0.replacingOccurrences(of: "\"slot\":", with: "\"slot\":9") },
            { $0.replacingOccurrences(of: "\"slot\":", with: "\"slot\":-") },
            { $0.replacingOccurrences(of: "\"item\":\"", with: "\"item\":\"x") },
            { $0.replacingOccurrences(of: "\"response\":\"", with: "\"response\":\"z") },
            { $0.replacingOccurrences(of: "\"criterion\":\"", with: "\"criterion\":\"z") },
            { $0.replacingOccurrences(of: "\"value\":", with: "\"value\":9") },
            { $0.replacingOccurrences(of: "\"value\":", with: "\"value\":1.5,\"x\":") },
            { $0.replacingOccurrences(of: "\"option\":\"", with: "\"option\":\"q") },
            { $0.replacingOccurrences(of: "\"target\":", with: "\"target\":99") },
            { $0.replacingOccurrences(of: "\"seq\":", with: "\"seq\":0") },
            { $0.replacingOccurrences(of: "\"seq\":", with: "\"seq\":-") },
            { $0.replacingOccurrences(of: "\"seq\":", with: "\"seq\":99999999999999999999") },
            { $0.replacingOccurrences(of: "\"type\":\"", with: "\"type\":\"x") },
            { $0.replacingOccurrences(of: "\"type\":\"rating\"", with: "\"type\":\"error\"") },
            { $0.replacingOccurrences(of: "\"type\":\"preference\"", with: "\"type\":\"error\"") },
            { $0.replacingOccurrences(of: "\"type\":\"open\"", with: "\"type\":\"rating\"") },
            { $0.replacingOccurrences(of: "\"type\":\"undo\"", with: "\"type\":\"note\"") },
            { $0.replacingOccurrences(of: "\"active_seconds\":", with: "\"active_seconds\":-") },
            { $0.replacingOccurrences(of: "\"active_seconds\":", with: "\"active_seconds\":1e9") },
            { $0.replacingOccurrences(of: "}", with: ",\"seq\":1}") },
            { $0.replacingOccurrences(of: "}", with: ",\"slot\":null}") },
            { $0.replacingOccurrences(of: "}", with: ",\"item\":\"\(other[0].item)\",\"response\":\"\(other[0].a)\"}") },
            { $0.replacingOccurrences(of: "}", with: ",\"criterion\":\"accuracy\"}") },
            { $0.replacingOccurrences(of: "}", with: ",\"slot\":\(self.queue.count)}") },
            { $0.replacingOccurrences(of: "}", with: "} x") },
            { $0.replacingOccurrences(of: "\"t\":\"", with: "\"t\":\"\u{1}") },
            { $0.replacingOccurrences(of: "\"", with: "\\\"") },
            { String($0.dropLast()) },
        ]
        for (number, damage) in damages.enumerated() {
            for _ in 0..<6 {
                var lines = [header()] + journal(&rng, count: 60)
                let at = 1 + rng.below(lines.count - 1)
                lines[at] = damage(lines[at])
                assertSameLoad(lines.joined(separator: "\n") + "\n", file: #filePath, line: UInt(#line))
                if case .failure(let error) = Result(catching: {
                    try JournalLoader.load(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), file: "j", study: study, studySHA256: hash,
                                           annotator: "alice", keepingEvents: false)
                }) {
                    let message = (error as? BlindReviewError)?.line
                    XCTAssertNotNil(message, "damage \(number): every refusal names its line")
                }
            }
        }
    }

    /// A judge's journal (schema 2, error events, two slots per pair) reads the same both ways.
    func testJudgeJournalsLoadTheSameBothWays() throws {
        let plan = try DerivedQueue.plan(name: "gpt", kind: .judge, study: study)
        let judged = study.adding(plan)
        var rng = SplitMix64(seed: 5)
        var lines = [header(annotator: "gpt", kind: .judge)]
        for seq in 1...200 {
            let slot = rng.below(plan.queue.count)
            var event: JournalEvent = rng.below(3) == 0
                ? .verdictError(slot: slot, item: plan.queue[slot].item, source: rng.below(2) == 0 ? .judge : .command, details: "exit 2: 日本")
                : .preference(slot: slot, item: plan.queue[slot].item, option: ["a", "b", "tie"][rng.below(3)])
            event.seq = seq
            event.t = "2026-12-01T10:00:00.000Z"
            lines.append(line(event))
        }
        assertSameLoad(lines.joined(separator: "\n") + "\n", annotator: "gpt", study: judged)
        // An error event in a person's journal is refused both ways.
        let person = [header()] + lines.dropFirst().map { $0 }
        assertSameLoad(person.joined(separator: "\n") + "\n")
    }

    /// The fold reads lines straight from bytes: the ids in the fold are the plan's own strings.
    func testFastLaneTakesTheWritersLines() throws {
        var reader = JournalPlanLineReader(plan: study.plan(for: "alice")!, rubric: study.rubric)
        let entry = queue[3]
        let event = JournalEvent(seq: 4, t: "2026-12-01T10:00:00.000Z", type: .rating, slot: 3, item: entry.item, response: entry.b,
                                 criterion: study.rubric.criteria[0].id, value: study.rubric.criteria[0].max)
        XCTAssertEqual(reader.read(Array(line(event).utf8)[...]), event)
        XCTAssertNil(reader.read(Array(line(event).replacingOccurrences(of: "\"slot\":3", with: "\"slot\":4").utf8)[...]),
                     "a line that does not fit the plan goes the general way")
    }
}
