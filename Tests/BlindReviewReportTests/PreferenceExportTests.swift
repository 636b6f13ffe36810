import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

final class PreferenceExportTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var built: BuiltStudy!
    var hash: String!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-export-\(UUID().uuidString.prefix(8))")
        store = StudyStore(folder: folder.appendingPathComponent("sessions/e"))
        let pairs = [
            CandidatePair(sourceID: "single", prompt: [.user("Reset password?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["Contact support."]), second: ModelResponse(model: "tuned", turns: ["Use the link."])),
            CandidatePair(sourceID: "multi", prompt: [.user("Turn one?"), .user("Turn two?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["b1", "b2"]), second: ModelResponse(model: "tuned", turns: ["t1", "t2"])),
            CandidatePair(sourceID: "split", prompt: [.user("Q?")], reference: nil,
                          first: ModelResponse(model: "base", turns: ["x"]), second: ModelResponse(model: "tuned", turns: ["y"])),
        ]
        built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "e", seed: 5, annotators: ["a1", "a2", "a3"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        hash = try store.load().sha256
        // single: tuned 3-0 (scores 4 vs 2); multi: tuned 2, tie 1 (scores 2 vs 1); split: base, tuned, tie.
        let choices: [String: [String]] = ["single": ["tuned", "tuned", "tuned"], "multi": ["tuned", "tuned", "tie"], "split": ["base", "tuned", "tie"]]
        for (n, annotator) in ["a1", "a2", "a3"].enumerated() {
            let writer = try JournalWriter.open(store: store, study: built.study, studySHA256: hash, annotator: annotator)
            for (slot, entry) in built.study.plan(for: annotator)!.queue.enumerated() {
                let source = built.key.pairs[entry.item]!.sourceID
                let choice = choices[source]![n]
                for response in [entry.a, entry.b] {
                    let isTuned = built.key.model(pair: entry.item, response: response) == "tuned"
                    for criterion in built.study.rubric.criteria {
                        try writer.append(.rating(slot: slot, item: entry.item, response: response, criterion: criterion.id, value: source == "single" ? (isTuned ? 4 : 2) : (isTuned ? 2 : 1)))
                    }
                }
                let option = choice == "tie" ? "tie" : (built.key.model(pair: entry.item, response: entry.a) == choice ? "a" : "b")
                try writer.append(.preference(slot: slot, item: entry.item, option: option))
            }
        }
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func export(_ policy: PreferenceExport.Policy) throws -> (lines: [[String: Any]], skipped: [String: Int]) {
        let (study, hash) = try store.load()
        let votes = StudyVotes.collect(study: study, journals: StudyJournals.load(store: store, study: study, studySHA256: hash).journals, repeats: RepeatMap(study: study, key: built.key))
        var items: [String: StudyItem] = [:]
        for item in built.items { items[item.id] = item }
        let result = PreferenceExport.dpo(study: study, items: items, key: built.key, votes: votes, policy: policy)
        return (try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }, result.skipped)
    }

    func testDPOKeepsClearMajoritiesWithMetadata() throws {
        let (lines, skipped) = try export(.init())
        XCTAssertEqual(lines.map { $0["source_id"] as! String }, ["single"])
        XCTAssertEqual(skipped, ["split": 1, DPOExample.Skip.differingHistories.rawValue: 1], "the multi-turn pair is skipped and counted")
        let single = lines[0]
        XCTAssertEqual(single["prompt"] as? String, "User: Reset password?\n\nAssistant:")
        XCTAssertEqual(single["chosen"] as? String, " Use the link.")
        XCTAssertEqual(single["rejected"] as? String, " Contact support.")
        XCTAssertEqual(single["chosen_model"] as? String, "tuned")
        XCTAssertEqual(single["votes"] as? [String: Int], ["chosen": 3, "rejected": 0, "tie": 0])
        XCTAssertEqual(single["agreement"] as? Double, 1)
        XCTAssertEqual(single["rubric_margin"] as? Double, 8, "(4 - 2) x 4 criteria")
        let first = try export(.init(turns: .first)).lines
        XCTAssertEqual(first.map { $0["source_id"] as! String }, ["single", "multi"])
        XCTAssertEqual(first[1]["prompt"] as? String, "User: Turn one?\n\nAssistant:")
        XCTAssertEqual(first[1]["chosen"] as? String, " t1", "the first turn only: no user text, no later turn")
        XCTAssertEqual((first[1]["agreement"] as! Double), 2.0 / 3, accuracy: 1e-6)
        let chatml = try export(.init(template: .chatml)).lines[0]
        XCTAssertEqual(chatml["prompt"] as? String, "<|im_start|>user\nReset password?<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertEqual(chatml["chosen"] as? String, "Use the link.<|im_end|>\n")
    }

    func testPoliciesAreExplicit() throws {
        XCTAssertEqual(try export(.init(minAgreement: 0.7, turns: .first)).lines.count, 1, "multi has 2 of 3 votes")
        XCTAssertEqual(try export(.init(countTies: false, minAgreement: 0.7, turns: .first)).lines.count, 2, "without ties multi is 2 of 2")
        let scored = try export(.init(minChosenScore: 3, turns: .first))
        XCTAssertEqual(scored.lines.map { $0["source_id"] as! String }, ["single"], "multi's chosen response scores 2: both bad")
        XCTAssertEqual(scored.skipped["below --min-chosen-score"], 1)
    }

    /// A trainer must never learn to write the user's turns (the wave-1 export put "Turn two?" in chosen).
    func testConversationalCompletionsHoldAssistantTextOnly() throws {
        // (`whole` is the documented exception: whole conversations for trainers that mask user turns.)
        for turns in DPOExample.Turns.allCases where turns != .whole {
            for line in try export(.init(conversational: true, turns: turns)).lines {
                let prompt = line["prompt"] as! [[String: String]]
                let chosen = line["chosen"] as! [[String: String]]
                let rejected = line["rejected"] as! [[String: String]]
                XCTAssertTrue((chosen + rejected).allSatisfy { $0["role"] == "assistant" }, "\(line)")
                XCTAssertEqual(prompt.last?["role"], "user", "the prompt ends where the answer begins")
                let roles = prompt.map { $0["role"]! }.filter { $0 != "system" }
                XCTAssertEqual(roles, roles.enumerated().map { $0.offset % 2 == 0 ? "user" : "assistant" }, "roles alternate")
            }
        }
        let multi = try export(.init(conversational: true, turns: .first)).lines[1]
        XCTAssertEqual(multi["prompt"] as! [[String: String]], [["role": "user", "content": "Turn one?"]])
        XCTAssertEqual(multi["chosen"] as! [[String: String]], [["role": "assistant", "content": "t1"]])
    }

    func testEachTurnWithASharedHistoryAndWholeConversations() throws {
        let each = try export(.init(conversational: true, turns: .each))
        let multi = each.lines.filter { $0["source_id"] as? String == "multi" }
        XCTAssertEqual(multi.count, 1, "turn 2 follows different answers to turn 1")
        XCTAssertEqual(multi[0]["turn"] as? Int, 1)
        XCTAssertEqual(each.skipped[DPOExample.Skip.laterTurnDiffers.rawValue], 1)
        // Identical earlier answers share the history: turn 2 is exported with it.
        let item = StudyItem(id: "p", prompt: [.user("One?"), .user("Two?")], reference: nil, responses: [
            BlindResponse(id: "r1", turns: ["same", "good"]), BlindResponse(id: "r2", turns: ["same", "bad"]),
        ])
        let cuts = DPOExample.cuts(item, chosen: item.responses[0], rejected: item.responses[1], turns: .each)
        let second = try XCTUnwrap(try? cuts[1].get())
        XCTAssertEqual(second.prompt, [.user("One?"), ChatMessage(role: "assistant", content: "same"), .user("Two?")])
        XCTAssertEqual(second.chosen, [ChatMessage(role: "assistant", content: "good")])
        let whole = try export(.init(conversational: true, turns: .whole)).lines.first { $0["source_id"] as? String == "multi" }!
        XCTAssertNil(whole["prompt"], "implicit prompt")
        XCTAssertEqual((whole["chosen"] as! [[String: String]]).map { $0["role"]! }, ["user", "assistant", "user", "assistant"])
    }

    func testEmptyCompletionsAreSkippedAndCounted() throws {
        let item = StudyItem(id: "p", prompt: [.user("Q?")], reference: nil, responses: [
            BlindResponse(id: "r1", turns: ["  \n"]), BlindResponse(id: "r2", turns: ["fine"]),
        ])
        XCTAssertEqual(DPOExample.cut(item, chosen: item.responses[1], rejected: item.responses[0], turns: .shared),
                       .failure(DPOExample.SkipReason(skip: .emptyCompletion)))
    }

    func testCSVAndJSONLCoverEveryJudgment() throws {
        let (study, hash) = try store.load()
        let votes = StudyVotes.collect(study: study, journals: StudyJournals.load(store: store, study: study, studySHA256: hash).journals, repeats: RepeatMap(study: study, key: built.key))
        let csv = PreferenceExport.csv(study: study, key: built.key, votes: votes).split(separator: "\n")
        XCTAssertEqual(csv.count, 1 + 9 * 2 * 4, "a row per (pair, annotator, response, criterion)")
        XCTAssertTrue(csv[0].hasPrefix("study,pair_id,source_id,category,annotator,slot,repeat,response_id,model,side,criterion,score,preference"))
        XCTAssertTrue(csv.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 17 })
        let jsonl = PreferenceExport.jsonl(study: study, key: built.key, votes: votes)
        XCTAssertEqual(jsonl.count, 9)
        let first = try JSONSerialization.jsonObject(with: Data(jsonl[0].utf8)) as! [String: Any]
        XCTAssertNotNil((first["shown"] as? [String: Any])?["a"])
        XCTAssertEqual(PreferenceExport.csvField("a,\"b\""), "\"a,\"\"b\"\"\"")
    }
}
