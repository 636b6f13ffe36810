import BlindReviewCore
import Foundation
import XCTest

/// A judge's journal: error verdicts kept (schema 2), people's journals unchanged, the runner's exchange format,
/// and `create --turns`.
final class JudgeJournalTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(4), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 5, annotators: ["alice"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testErrorVerdictIsKeptInAJudgesJournalAndALaterVerdictReplacesIt() throws {
        let judge = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "gpt4")
        let entry = judge.plan.queue[1]
        try judge.writer.append(.verdictError(slot: 1, item: entry.item, source: .command, details: "exit status 2; stderr: rate limited"))
        XCTAssertTrue(judge.isDecided(1))
        XCTAssertEqual(judge.writer.state.slots[1].verdictError, "command: exit status 2; stderr: rate limited")
        XCTAssertNil(judge.writer.state.slots[1].preference)
        judge.close()

        let text = try String(contentsOf: store.journalFile(for: "gpt4"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(#"{"annotator":"gpt4","created":"#), text)
        XCTAssertTrue(text.contains(#""kind":"judge","schema":2,"#), "a judge's journal is schema 2: \(text)")
        XCTAssertTrue(text.contains(#""option":"command","seq":1,"slot":1,"#) && text.contains(#""type":"error"}"#), text)

        let loaded = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(loaded.refused.map(\.description), [])
        XCTAssertNotNil(loaded.derived["gpt4"]?.journal.state.slots[1].verdictError)
        XCTAssertNil(loaded.journals["gpt4"], "a judge is never a person")

        // A later verdict replaces the error; undoing it brings the error back.
        let again = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "gpt4")
        defer { again.close() }
        try again.writer.append(.preference(slot: 1, item: entry.item, option: "a"))
        XCTAssertNil(again.writer.state.slots[1].verdictError)
        XCTAssertEqual(again.writer.state.slots[1].preference, "a")
        _ = try again.writer.undo()
        XCTAssertNotNil(again.writer.state.slots[1].verdictError)
    }

    func testPeoplesJournalsStaySchemaOneAndRefuseErrorEvents() throws {
        let alice = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
        try alice.append(.preference(slot: 0, item: study.plan(for: "alice")!.queue[0].item, option: "a"))
        let text = try String(contentsOf: store.journalFile(for: "alice"), encoding: .utf8)
        XCTAssertTrue(text.contains(#""schema":1,"#) && !text.contains("kind"), text)
        // An error event written into a person's journal by hand is refused, naming the line.
        let item = study.plan(for: "alice")!.queue[1].item
        try (text + #"{"item":"\#(item)","option":"judge","seq":5,"slot":1,"t":"2026-12-01T00:00:00.000Z","text":"x","type":"error"}"# + "\n")
            .write(to: store.journalFile(for: "alice"), atomically: true, encoding: .utf8)
        assertThrowsBlindReviewError(
            try JournalLoader.load(store.journalFile(for: "alice"), study: study, studySHA256: hash, annotator: "alice"),
            contains: ["alice.jsonl:3", "an error event belongs only in a judge's journal"])
    }

    func testAJournalNewerThanThisVersionIsRefusedNamingBothVersions() throws {
        let judge = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "gpt4")
        try judge.writer.append(.preference(slot: 0, item: judge.plan.queue[0].item, option: "a"))
        judge.close()
        let url = store.journalFile(for: "gpt4")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: #""schema":2"#, with: #""schema":3"#)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let loaded = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(loaded.refused.count, 1)
        XCTAssertTrue(loaded.refused[0].description.contains("journal schema 3 is newer than this blindreview understands (2)"), loaded.refused[0].description)
    }

    func testAJudgeCannotTakeAPersonsNameOrAPathAsName() throws {
        assertThrowsBlindReviewError(try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "alice"), contains: ["a person", "--judge alice-llm"])
        assertThrowsBlindReviewError(try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "../x"), contains: ["not allowed"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.journalsFolder.appendingPathComponent("../x.jsonl").path))
    }

    func testOpeningAndClosingWithoutVerdictsLeavesNoJournal() throws {
        let judge = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "gpt4")
        judge.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.journalFile(for: "gpt4").path))
    }

    func testExchangeInputIsBlindedAndVerdictsAreRead() throws {
        let judge = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "gpt4")
        defer { judge.close() }
        let entry = judge.plan.queue[1]
        let item = try store.loadItems(for: study).item(id: entry.item)
        let data = JudgeExchange.input(study: study, item: item, entry: entry, order: 2)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["order"] as? Int, 2)
        XCTAssertEqual(object["response_a"] as? [String], item.response(entry.a)?.turns)
        XCTAssertEqual((object["criteria"] as? [[String: Any]])?.count, study.rubric.criteria.count)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertFalse(text.contains("base") || text.contains("tuned"), "nothing names a model: \(text)")

        let rubric = study.rubric
        XCTAssertEqual(try JudgeExchange.verdict(from: Data(#"{"winner":"B"}"#.utf8), rubric: rubric).get(), .preference(.b, scores: [:]))
        XCTAssertEqual(try JudgeExchange.verdict(from: Data("thinking...\n{\"winner\": \"tie\"}\n".utf8), rubric: rubric).get(), .preference(nil, scores: [:]))
        XCTAssertEqual(
            try JudgeExchange.verdict(from: Data(#"{"winner":"a","scores":{"accuracy":[5,2]}}"#.utf8), rubric: rubric).get(),
            .preference(.a, scores: ["accuracy": [5, 2]]))
        XCTAssertEqual(try JudgeExchange.verdict(from: Data(#"{"winner":"error","reason":"refused"}"#.utf8), rubric: rubric).get(), .judgeError("the judge said error: refused"))
        for garbage in ["", "A", #"{"winner":"C"}"#, #"{"winner":"A","scores":{"accuracy":[9,1]}}"#, #"{"winner":"A","scores":{"nope":[1,1]}}"#, "[1,2]"] {
            guard case .failure = JudgeExchange.verdict(from: Data(garbage.utf8), rubric: rubric) else { return XCTFail("accepted \(garbage)") }
        }
    }

    /// A judge that explains its error at length: the reason is kept as stderr is (its first 2,000 characters),
    /// not written whole into the journal (a 12 MB reason made a 12 MB journal line per pair-order).
    func testAnErrorsReasonIsKeptShort() throws {
        let rubric = Rubric.standard
        let long = String(repeating: "why ", count: 100_000)
        let data = try JSONSerialization.data(withJSONObject: ["winner": "error", "reason": long])
        guard case .success(.judgeError(let text)) = JudgeExchange.verdict(from: data, rubric: rubric) else { return XCTFail("not an error verdict") }
        XCTAssertLessThanOrEqual(text.count, JudgeProcess.keptError + 40)
        XCTAssertTrue(text.hasPrefix("the judge said error: why why"), String(text.prefix(60)))
        XCTAssertTrue(text.hasSuffix("…"))
    }

    func testTurnLimitKeepsTheFirstTurnsAndTheAnswersToThem() throws {
        let mtBench = CandidatePair(
            sourceID: "81", prompt: [.user("q1"), .user("q2")], reference: ["r1", "r2"],
            first: ModelResponse(model: "x", turns: ["a1", "a2"]), second: ModelResponse(model: "y", turns: ["b1", "b2"]))
        let one = try TurnLimit.firstTurns(1, of: mtBench)
        XCTAssertEqual(one.prompt, [.user("q1")])
        XCTAssertEqual(one.first.turns, ["a1"])
        XCTAssertEqual(one.second.turns, ["b1"])
        XCTAssertEqual(one.reference, ["r1"])
        XCTAssertEqual(try TurnLimit.firstTurns(2, of: mtBench), mtBench)
        XCTAssertEqual(try TurnLimit.firstTurns(5, of: mtBench), mtBench)
        // A system message stays; a shared history whose single response answers turn 2 cannot be cut to turn 1.
        let history = CandidatePair(
            sourceID: "h", prompt: [ChatMessage(role: "system", content: "s"), .user("q1"), ChatMessage(role: "assistant", content: "h1"), .user("q2")],
            reference: nil, first: ModelResponse(model: "x", turns: ["a2"]), second: ModelResponse(model: "y", turns: ["b2"]))
        assertThrowsBlindReviewError(try TurnLimit.firstTurns(1, of: history), contains: ["answers user turn 2", "--turns"])
    }

    /// An MT-Bench answer with fewer turns than the question (a generation that stopped after turn 1) answers the
    /// first turns, as the annotation screen labels it ("Turn 1"); --turns 1 used to read it as the answer to turn
    /// 2 and refuse the study.
    func testTurnLimitReadsAShortAnswerWithoutHistoryAsTheFirstTurns() throws {
        let short = CandidatePair(
            sourceID: "81", prompt: [.user("q1"), .user("q2")], reference: nil,
            first: ModelResponse(model: "x", turns: ["a1"]), second: ModelResponse(model: "y", turns: ["b1", "b2"]))
        let one = try TurnLimit.firstTurns(1, of: short)
        XCTAssertEqual(one.first.turns, ["a1"])
        XCTAssertEqual(one.second.turns, ["b1"])
    }
}
