import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// `import-judge`: FastChat pairwise files and the simple JSONL, into a judge's journal.
final class JudgeImportTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!
    var key: StudyKey!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-judge-import-\(UUID().uuidString.prefix(8))")
        store = StudyStore(folder: folder.appendingPathComponent("sessions/j"))
        let pairs = (1...8).map { i in
            CandidatePair(sourceID: "\(80 + i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["b\(i)"]), second: ModelResponse(model: "tuned", turns: ["t\(i)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "j", seed: 2, annotators: ["ann"], repeats: 1))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
        key = built.key
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String, _ lines: [String]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func fastChat(_ id: Int, _ g1: String, _ g2: String, m1: String = "base", m2: String = "tuned", turn: Int = 1) -> String {
        #"{"question_id": \#(id), "model_1": "\#(m1)", "model_2": "\#(m2)", "g1_winner": "\#(g1)", "g2_winner": "\#(g2)", "judge": ["gpt-4", "pair-v2"], "turn": \#(turn)}"#
    }

    /// The judge's verdict per source id and game as model names ("tie", "error"); game 1 = model_1 shown first.
    func verdicts(_ judge: String, firstShownModel: String = "base") throws -> [String: [String]] {
        let loaded = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(loaded.refused.map(\.description), [])
        let derived = try XCTUnwrap(loaded.derived[judge])
        var result: [String: [String]] = [:]
        for slot in stride(from: 0, to: derived.plan.queue.count, by: 2) {
            let item = derived.plan.queue[slot].item
            guard key.pairs[item]?.repeatOf == nil else {
                XCTAssertNil(derived.journal.state.slots[slot].preference, "hidden repeats get no verdict")
                continue
            }
            // Order the two slots so the game showing `firstShownModel` first comes first.
            let slots = [slot, slot + 1].sorted { s, _ in key.model(pair: item, response: derived.plan.queue[s].a) == firstShownModel }
            result[key.pairs[item]!.sourceID] = slots.map { s in
                let judgment = derived.journal.state.slots[s]
                if judgment.verdictError != nil { return "error" }
                guard let option = judgment.preference else { return "-" }
                if option == "tie" { return "tie" }
                let entry = derived.plan.queue[s]
                return key.model(pair: item, response: option == "a" ? entry.a : entry.b)!
            }
        }
        return result
    }

    func testFastChatGamesLandInTheirOrdersWithErrorsKept() throws {
        let path = try file("gpt-4_pair.jsonl", [
            fastChat(81, "model_1", "model_2"), fastChat(82, "model_2", "model_2"), fastChat(83, "tie", "error"),
        ])
        let summary = try JudgeImport.run(store: store, key: key, file: path, judge: "gpt-4")
        XCTAssertEqual(summary.games, 6)
        XCTAssertEqual(summary.errors, 1)
        XCTAssertEqual(summary.pairs, 3)
        let got = try verdicts("gpt-4")
        XCTAssertEqual(got["81"], ["base", "tuned"], "game 1 (base first) said model_1, game 2 said model_2")
        XCTAssertEqual(got["82"], ["tuned", "tuned"])
        XCTAssertEqual(got["83"], ["tie", "error"])
        XCTAssertEqual(got["84"], ["-", "-"])
        // The people's journals and study.json are untouched: the judge is not an annotator.
        XCTAssertEqual(try store.load().study, study)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.journalFile(for: "ann").path))

        // Again: nothing written. A changed verdict is refused without --replace, and recorded with it.
        let before = try Data(contentsOf: store.journalFile(for: "gpt-4"))
        XCTAssertEqual(try JudgeImport.run(store: store, key: key, file: path, judge: "gpt-4").alreadyImported, 6)
        XCTAssertEqual(try Data(contentsOf: store.journalFile(for: "gpt-4")), before)
        let changed = try file("changed.jsonl", [fastChat(81, "model_1", "model_1")])
        assertThrows(try JudgeImport.run(store: store, key: key, file: changed, judge: "gpt-4"), ["changed.jsonl:1", "--replace"])
        XCTAssertEqual(try Data(contentsOf: store.journalFile(for: "gpt-4")), before, "all or nothing")
        XCTAssertEqual(try JudgeImport.run(store: store, key: key, file: changed, judge: "gpt-4", replace: true).replaced, 1)
        XCTAssertEqual(try verdicts("gpt-4")["81"], ["base", "base"])
    }

    /// The judge's journal is written from the key (which response is model_1's), but reading it must not tell
    /// which model wrote what: events in the file's game order (game 1, model_1 first) gave it away for every pair
    /// through which slot came first, and so did an error's text naming its game (g1_winner, swapped_winner).
    func testImportedJournalsOrderAndTextSayNothingOfTheModels() throws {
        let fast = try file("fast.jsonl", (81...88).map { fastChat($0, $0 % 2 == 0 ? "error" : "model_1", $0 % 2 == 0 ? "tie" : "error") })
        _ = try JudgeImport.run(store: store, key: key, file: fast, judge: "fc")
        let simple = try file("simple.jsonl", (81...88).map { #"{"id": "\#($0)", "winner": "\#($0 % 2 == 0 ? "error" : "a")", "swapped_winner": "\#($0 % 2 == 0 ? "b" : "error")"}"# })
        _ = try JudgeImport.run(store: store, key: key, file: simple, judge: "simple")
        for judge in ["fc", "simple"] {
            let text = try String(contentsOf: store.journalFile(for: judge), encoding: .utf8)
            let events = try text.split(separator: "\n").dropFirst().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            XCTAssertEqual(events.count, 16)
            let slots = events.map { $0["slot"] as! Int }
            XCTAssertEqual(slots, slots.sorted(), "\(judge): events in slot order, not in the file's game order")
            for word in ["g1", "g2", "swapped", "winner", "model_1", "model_2"] { XCTAssertFalse(text.contains(word), "\(judge): \(word) in \(text)") }
        }
        // Re-importing finds every verdict, the errors included, already there.
        XCTAssertEqual(try JudgeImport.run(store: store, key: key, file: fast, judge: "fc").alreadyImported, 16)
    }

    /// Scores are per response, so they go with the pair (its stored-order slot), not with the game that showed
    /// the input's a first: that slot, different for each pair, told the reader which response was the input's a.
    func testImportedScoresSitInTheStoredOrderSlot() throws {
        let path = try file("scored.jsonl", (81...88).map { #"{"id": "\#($0)", "winner": "a", "swapped_winner": "b", "scores": {"accuracy": [4, 2]}}"# })
        _ = try JudgeImport.run(store: store, key: key, file: path, judge: "scored")
        let text = try String(contentsOf: store.journalFile(for: "scored"), encoding: .utf8)
        let events = try text.split(separator: "\n").dropFirst().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let ratingSlots = events.filter { $0["type"] as? String == "rating" }.map { $0["slot"] as! Int }
        XCTAssertEqual(ratingSlots.count, 16)
        XCTAssertTrue(ratingSlots.allSatisfy { $0 % 2 == 0 }, "\(ratingSlots)")
        let slots = events.map { $0["slot"] as! Int }
        XCTAssertEqual(slots, slots.sorted())
        // The scores still belong to the right responses: the input's a (base) got 4.
        let derived = StudyJournals.load(store: store, study: study, studySHA256: hash).derived["scored"]!
        for slot in stride(from: 0, to: derived.plan.queue.count, by: 2) where key.pairs[derived.plan.queue[slot].item]?.repeatOf == nil {
            let entry = derived.plan.queue[slot]
            let base = key.model(pair: entry.item, response: entry.a) == "base" ? entry.a : entry.b
            let tuned = base == entry.a ? entry.b : entry.a
            XCTAssertEqual(derived.journal.state.slots[slot].rating(response: base, criterion: "accuracy"), 4)
            XCTAssertEqual(derived.journal.state.slots[slot].rating(response: tuned, criterion: "accuracy"), 2)
        }
        XCTAssertEqual(try JudgeImport.run(store: store, key: key, file: path, judge: "scored").alreadyImported, 16)
    }

    func testModelMapAndSwappedModelOrder() throws {
        // model_1 is the tuned model here, under another name.
        let path = try file("pair.jsonl", [fastChat(81, "model_1", "tie", m1: "tuned-v2", m2: "base")])
        assertThrows(try JudgeImport.run(store: store, key: key, file: path, judge: "j"), ["pair.jsonl:1", "model \"tuned-v2\" (model_1) is not in the study", "--model-map tuned-v2="])
        _ = try JudgeImport.run(store: store, key: key, file: path, judge: "j", modelMap: ["tuned-v2": "tuned"])
        XCTAssertEqual(try verdicts("j", firstShownModel: "tuned")["81"], ["tuned", "tie"])
    }

    func testSimpleJSONLWithScoresAndOneOrder() throws {
        let path = try file("simple.jsonl", [
            #"{"id": "81", "winner": "b", "swapped_winner": "a", "scores": {"accuracy": [2, 5]}}"#,
            #"{"id": "82", "winner": "error", "reason": "refused to answer"}"#,
            #"{"id": 83, "winner": "tie"}"#,
        ])
        let summary = try JudgeImport.run(store: store, key: key, file: path, judge: "mine")
        XCTAssertEqual(summary.games, 4)
        XCTAssertEqual(summary.errors, 1)
        let got = try verdicts("mine")
        XCTAssertEqual(got["81"], ["tuned", "base"], "b is the input's second (tuned); swapped_winner a is base")
        XCTAssertEqual(got["82"], ["error", "-"])
        XCTAssertEqual(got["83"], ["tie", "-"])
        let derived = StudyJournals.load(store: store, study: study, studySHA256: hash).derived["mine"]!
        let slot = derived.plan.queue.indices.first { key.pairs[derived.plan.queue[$0].item]?.sourceID == "81" && key.model(pair: derived.plan.queue[$0].item, response: derived.plan.queue[$0].a) == "base" }!
        let entry = derived.plan.queue[slot]
        XCTAssertEqual(derived.journal.state.slots[slot].rating(response: entry.a, criterion: "accuracy"), 2)
        XCTAssertEqual(derived.journal.state.slots[slot].rating(response: entry.b, criterion: "accuracy"), 5)
        XCTAssertEqual(derived.journal.state.slots[slot].verdictError, nil)
    }

    func testBadLinesAreNamedAndNothingIsWritten() throws {
        let cases: [([String], [String])] = [
            ([fastChat(81, "model_1", "model_2"), fastChat(99, "tie", "tie")], ["bad.jsonl:2", "no pair with id \"99\"", "--skip-missing"]),
            ([fastChat(81, "model_1", "model_2"), fastChat(81, "tie", "tie")], ["bad.jsonl:2", "a second verdict", "first on line 1"]),
            ([fastChat(81, "model_3", "tie")], ["bad.jsonl:1", "g1_winner \"model_3\""]),
            ([fastChat(81, "tie", "tie", turn: 2)], ["bad.jsonl:1", "judges turn 2", "shows 1 turn"]),
            ([fastChat(81, "tie", "tie", m1: "base", m2: "base")], ["bad.jsonl:1", "both base"]),
            ([#"{"id": "81", "winner": "c"}"#], ["bad.jsonl:1", "winner \"c\" is not a, b, tie or error"]),
            ([#"{"id": "81", "winner": "a", "scores": {"accuracy": [9, 1]}}"#], ["bad.jsonl:1", "not a score 1-5"]),
            ([#"{"id": "81", "winner": "a", "scores": {"speed": [1, 1]}}"#], ["bad.jsonl:1", "no rubric criterion"]),
            ([#"{"winner": "a"}"#], ["bad.jsonl:1", "needs id"]),
            ([#"{"question_id": 81, "model": "base", "score": 8, "turn": 1}"#], ["bad.jsonl:1", "single-answer grading", "_pair.jsonl"]),
        ]
        for (lines, fragments) in cases {
            let path = try file("bad.jsonl", lines)
            assertThrows(try JudgeImport.run(store: store, key: key, file: path, judge: "gpt-4"), fragments)
            XCTAssertFalse(FileManager.default.fileExists(atPath: store.journalFile(for: "gpt-4").path), "\(fragments): nothing written")
        }
        // --skip-missing imports the rest and counts what it skipped.
        let path = try file("bad.jsonl", [fastChat(81, "model_1", "model_2"), fastChat(99, "tie", "tie")])
        let summary = try JudgeImport.run(store: store, key: key, file: path, judge: "gpt-4", skipMissing: true)
        XCTAssertEqual(summary.skippedMissing, 1)
        XCTAssertEqual(summary.games, 2)
    }

    func assertThrows(_ body: @autoclosure () throws -> Any, _ fragments: [String], line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error with \(fragments)", line: line)
        } catch {
            for fragment in fragments { XCTAssertTrue("\(error)".contains(fragment), "\"\(error)\" lacks \"\(fragment)\"", line: line) }
        }
    }
}
