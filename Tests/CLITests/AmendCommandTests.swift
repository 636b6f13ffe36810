import BlindReviewCore
import Foundation
import XCTest

/// `blindreview amend` from the command line: each change refusing what it cannot do safely, withdrawn pairs
/// leaving report and export with their count and reason, added pairs blind, and a damaged log refused by every
/// command with its file and line (the cases are in Tests/Fixtures/malformed/amendments).
final class AmendCommandTests: XCTestCase {
    var folder: URL!
    var store: StudyStore { StudyStore(folder: folder.appendingPathComponent("sessions/s")) }

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        for (model, word) in [("alphamodel", "first"), ("betamodel", "second")] {
            let lines = (1...10).map { #"{"id": "src-\#($0)", "prompt": "Question \#($0)?", "response": "The \#(word) answer to \#($0), somewhat longer \#(String(repeating: "x", count: $0))."}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("\(model).jsonl"))
            let more = (11...14).map { #"{"id": "src-\#($0)", "prompt": "Question \#($0)?", "response": "I am ChatGPT, and the \#(word) answer to \#($0)."}"# }
            try Data(more.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("more-\(model).jsonl"))
        }
        let created = try runBlindReview(
            ["create", "s", "--model", "alphamodel=alphamodel.jsonl", "--model", "betamodel=betamodel.jsonl", "--annotators", "ann,bo,cy", "--seed", "9"], in: folder)
        XCTAssertEqual(created.status, 0, created.stderr)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func run(_ arguments: [String]) throws -> CommandResult { try runBlindReview(arguments, in: folder, watchdog: 120) }

    func amend(_ arguments: String..., status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let result = try run(["amend", "s"] + arguments)
        XCTAssertEqual(result.status, status, "amend \(arguments): \(result.stderr)", file: file, line: line)
        return result
    }

    /// Every slot of `annotator` judged: all scores, and preference `option`.
    func judgeAll(_ annotator: String, option: String = "a") throws {
        let (study, hash) = try store.load()
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() where writer.state.slots[slot].preference == nil {
            for criterion in study.rubric.criteria {
                try writer.append(.rating(slot: slot, item: entry.item, response: entry.a, criterion: criterion.id, value: 4))
                try writer.append(.rating(slot: slot, item: entry.item, response: entry.b, criterion: criterion.id, value: 3))
            }
            try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: option))
        }
    }

    func json(_ text: String) throws -> [String: Any] { try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any] }

    // MARK: - Withdrawn pairs

    func testAWithdrawnPairLeavesReportAndExportWithCountAndReasonAndItsJudgmentsStay() throws {
        try judgeAll("ann")
        try judgeAll("bo")
        let before = try json(try run(["report", "s", "--format", "json", "--bootstrap", "50"]).stdout)
        XCTAssertEqual(before["pairs"] as? Int, 10)
        let pair = try store.load().study.itemIDs[3]
        // ann flagged the pair before the lead withdrew it.
        let (loaded, hash) = try store.load()
        let slot = loaded.plan(for: "ann")!.queue.firstIndex { $0.item == pair }!
        try JournalWriter.open(store: store, study: loaded, studySHA256: hash, annotator: "ann")
            .append(.flag(slot: slot, item: pair, reason: .broken, note: "cut off"))
        XCTAssertEqual((try json(try run(["report", "s", "--format", "json", "--bootstrap", "0"]).stdout)["flagged_pairs"] as! [Any]).count, 1)
        try amend("withdraw", " \(pair)\n", "--reason", "response B is cut off")

        let report = try run(["report", "s", "--format", "json", "--bootstrap", "50"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let after = try json(report.stdout)
        XCTAssertEqual(after["pairs"] as? Int, 9)
        let withdrawn = after["withdrawn"] as! [[String: Any]]
        XCTAssertEqual(withdrawn.count, 1)
        XCTAssertEqual((after["flagged_pairs"] as! [Any]).count, 0, "a withdrawn pair is no longer listed as flagged")
        XCTAssertEqual(withdrawn[0]["pair_id"] as? String, pair)
        XCTAssertEqual(withdrawn[0]["reason"] as? String, "response B is cut off")
        XCTAssertEqual((after["amendments"] as! [[String: Any]]).map { $0["change"] as? String }, ["withdraw"])
        let results = after["results"] as! [String: Any]
        let votes = (results["pairs"] as! [[String: Any]])[0]["n_votes"] as? Int
        XCTAssertEqual(votes, 18, "two annotators on nine pairs")
        for format in ["text", "markdown", "html"] {
            let text = try run(["report", "s", "--format", format, "--bootstrap", "50"]).stdout
            XCTAssertTrue(text.contains("Withdrawn: 1 pair"), format)
            XCTAssertTrue(text.contains("response B is cut off"), format)
            XCTAssertTrue(text.contains(pair), format)
        }
        let blind = try run(["report", "s", "--blind", "--format", "json", "--bootstrap", "50"])
        XCTAssertEqual(try json(blind.stdout)["pairs"] as? Int, 9)
        // status's headline counts the pairs in play too (it said "10 pairs" after the withdrawal).
        let headline = try run(["status", "s"])
        XCTAssertTrue(headline.stdout.hasPrefix("study s: 9 pairs (1 withdrawn), 3 annotators"), headline.stdout)
        XCTAssertEqual(try json(try run(["status", "s", "--format", "json"]).stdout)["pairs"] as? Int, 9)

        let csv = try run(["export", "s", "--format", "csv", "--table", "judgments"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertFalse(csv.stdout.contains(pair))
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 1 + 18)
        XCTAssertTrue(csv.stderr.contains("left out 1 withdrawn pair") && csv.stderr.contains("response B is cut off"), csv.stderr)
        let dpo = try run(["export", "s", "--format", "dpo", "--card", "card.md", "--license", "cc-by-4.0"])
        let card = try String(contentsOf: folder.appendingPathComponent("card.md"), encoding: .utf8)
        XCTAssertTrue(card.contains("Pairs the lead withdrew while the study ran are left out: 1 (response B is cut off)"), card)
        XCTAssertFalse(dpo.stdout.contains(pair))
        XCTAssertTrue(dpo.stderr.contains("left out 1 withdrawn pair"), dpo.stderr)
        XCTAssertFalse(dpo.stderr.contains("no votes"), "a withdrawn pair is not counted as a pair without votes: \(dpo.stderr)")

        // The judgments stay in the journals, and the journals still load.
        for annotator in ["ann", "bo"] {
            let journal = try String(contentsOf: store.journalFile(for: annotator), encoding: .utf8)
            XCTAssertTrue(journal.contains(pair), annotator)
        }
        let status = try run(["status", "s"])
        XCTAssertTrue(status.stdout.contains("1 pair withdrawn") && status.stdout.contains("response B is cut off"), status.stdout)
        XCTAssertTrue(status.stdout.contains("9/9"), status.stdout)
        XCTAssertEqual(try run(["check", "s"]).status, 0)
    }

    // MARK: - Added pairs

    func testAddPairsIsLeakScannedBalancedBlindAndUnblindedByTheKeyPart() throws {
        try judgeAll("ann")
        let annJournal = try Data(contentsOf: store.journalFile(for: "ann"))
        let added = try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl", "--per-item", "2")
        XCTAssertTrue(added.stderr.contains("leak:") && added.stderr.contains("ChatGPT"), added.stderr)
        XCTAssertTrue(added.stdout.contains("amendment 1: add-pairs: 4 pairs, 8 slots"), added.stdout)
        XCTAssertEqual(try Data(contentsOf: store.journalFile(for: "ann")), annJournal)

        let (study, _) = try store.load()
        let gains = study.annotators.map { $0.queue.count - 10 }
        XCTAssertEqual(gains.reduce(0, +), 8)
        XCTAssertLessThanOrEqual(gains.max()! - gains.min()!, 1, "\(gains)")
        // Nothing annotators get names a model or a prompt's own id.
        for file in ["amendments.jsonl", "items-1.jsonl", "study.json"] {
            let text = try String(contentsOf: store.folder.appendingPathComponent(file), encoding: .utf8)
            for secret in ["alphamodel", "betamodel", "src-"] { XCTAssertFalse(text.contains(secret), "\(secret) in \(file)") }
        }
        // The key was not rewritten; its part beside it unblinds the new pairs.
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/.keys/s.amendment-1.json").path))
        try judgeAll("ann", option: "b")
        try judgeAll("bo", option: "b")
        let report = try run(["report", "s", "--format", "json", "--bootstrap", "50"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try json(report.stdout)["pairs"] as? Int, 14)
        let export = try run(["export", "s", "--format", "jsonl"])
        XCTAssertTrue(export.stdout.contains("src-12"), "the added pairs export with their source ids")
        // Adding the same comparisons again is refused.
        let again = try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl", status: 1)
        XCTAssertTrue(again.stderr.contains("already in the study"), again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.folder.appendingPathComponent("items-2.jsonl").path), "a refused add-pairs leaves no file")
    }

    func testAddPairsRepeatMakesHiddenRepeatsAsCreateDoes() throws {
        for model in ["alphamodel", "betamodel"] {
            let lines = (21...30).map { #"{"id": "src-\#($0)", "prompt": "New question \#($0)?", "response": "The \#(model.prefix(4)) take on \#($0)."}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("batch-\(model).jsonl"))
        }
        let before = try store.load().study
        let added = try amend("add-pairs", "--model", "alphamodel=batch-alphamodel.jsonl", "--model", "betamodel=batch-betamodel.jsonl", "--repeat", "2")
        XCTAssertTrue(added.stdout.contains("10 new pairs, plus 2 hidden repeats"), added.stdout)
        let (study, _) = try store.load()
        XCTAssertEqual(study.itemIDs.count, before.itemIDs.count + 12)
        let key = try StudyStore.loadKey(at: store.defaultKeyFile, for: study)
        let copies = study.itemIDs.filter { key.pairs[$0]?.repeatOf != nil }
        XCTAssertEqual(copies.count, 2, "only the key says which pairs are copies")
        let items = try store.loadItems(for: study)
        for copy in copies {
            let origin = key.pairs[copy]!.repeatOf!
            XCTAssertTrue(study.itemIDs.suffix(12).contains(origin.item), "a copy of an added pair")
            let original = try items.item(id: origin.item), duplicate = try items.item(id: copy)
            XCTAssertEqual(original.prompt, duplicate.prompt)
            for (copyResponse, sourceResponse) in origin.responses {
                XCTAssertEqual(duplicate.response(copyResponse)?.turns, original.response(sourceResponse)?.turns)
                XCTAssertEqual(key.pairs[copy]!.responses[copyResponse], key.pairs[origin.item]!.responses[sourceResponse])
            }
            // Everyone who rates the original rates the copy later with the sides swapped, at least the gap apart.
            for plan in study.annotators {
                let new = Array(plan.queue.suffix(from: before.plan(for: plan.name)!.queue.count))
                guard let first = new.firstIndex(where: { $0.item == origin.item }) else { continue }
                let second = try XCTUnwrap(new.firstIndex { $0.item == copy }, "\(plan.name) rates the original, so the copy too")
                let (early, late) = first < second ? (new[first], new[second]) : (new[second], new[first])
                XCTAssertGreaterThanOrEqual(abs(second - first), StudyBuilder.repeatGap, "\(plan.name)")
                let earlyA = early.item == copy ? origin.responses[early.a]! : early.a
                let lateA = late.item == copy ? origin.responses[late.a]! : late.a
                XCTAssertNotEqual(earlyA, lateA, "sides swapped for \(plan.name)")
            }
        }
        // The items file lists originals and copies in id order, and nothing an annotator reads names a model.
        let added1 = try String(contentsOf: store.folder.appendingPathComponent("items-1.jsonl"), encoding: .utf8)
        let ids = added1.split(separator: "\n").map { (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["id"] as! String }
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertFalse(try String(contentsOf: store.folder.appendingPathComponent("amendments.jsonl"), encoding: .utf8).contains("repeat"))
        // The report counts the copies as repeats, not as pairs.
        for name in ["ann", "bo", "cy"] { try judgeAll(name) }
        let report = try json(try run(["report", "s", "--format", "json", "--bootstrap", "20"]).stdout)
        XCTAssertEqual(report["pairs"] as? Int, 20, "10 + 10 originals")
        // Too few new pairs for the repeats asked: refused before anything is written.
        let tooMany = try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl", "--repeat", "1", status: 1)
        XCTAssertTrue(tooMany.stderr.contains("too few for --repeat 1"), tooMany.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.folder.appendingPathComponent("items-2.jsonl").path))
    }

    func testAddPairsTurnsCutsNewMultiTurnPairsLikeCreateTurns() throws {
        for model in ["alphamodel", "betamodel"] {
            let lines = (1...3).map { #"{"id": "mt-\#($0)", "prompt": ["First \#($0)?", "Second \#($0)?"], "response": ["\#(model) one", "\#(model) two"]}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("mt-\(model).jsonl"))
        }
        let result = try amend("add-pairs", "--model", "alphamodel=mt-alphamodel.jsonl", "--model", "betamodel=mt-betamodel.jsonl", "--turns", "1")
        XCTAssertTrue(result.stdout.contains("3 pairs"), result.stdout)
        let (study, _) = try store.load()
        let items = try store.loadItems(for: study)
        for id in study.itemIDs.suffix(3) {
            let item = try items.item(id: id)
            XCTAssertEqual(item.prompt.count, 1, "only the first user turn")
            XCTAssertEqual(item.responses.map(\.turns.count), [1, 1])
        }
        XCTAssertEqual(try amend("add-pairs", "--model", "alphamodel=mt-alphamodel.jsonl", "--model", "betamodel=mt-betamodel.jsonl", "--turns", "0", status: 64).status, 64)
    }

    // MARK: - Replacing and crashing

    func testCreateForceTakesTheKeyPartsToTheTrashWithTheKey() throws {
        try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl")
        let replaced = try run(["create", "s", "--model", "alphamodel=alphamodel.jsonl", "--model", "betamodel=betamodel.jsonl", "--annotators", "ann", "--force"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let keys = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sessions/.keys").path)
        XCTAssertEqual(keys, ["s.json"], "no stale part is left for the new study to trip over")
        let trash = folder.appendingPathComponent("sessions/.trash")
        let moved = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: trash.path).first)
        let old = trash.appendingPathComponent(moved)
        XCTAssertTrue(FileManager.default.fileExists(atPath: old.appendingPathComponent("s.key.amendment-1.json").path))
        // The trashed study still reports with its trashed key and part.
        let report = try run(["report", old.appendingPathComponent("s").path, "--key", old.appendingPathComponent("s.key.json").path, "--format", "json", "--bootstrap", "10"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try json(report.stdout)["pairs"] as? Int, 14)
        // And the new study amends from a clean slate.
        XCTAssertEqual(try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl").status, 0)
    }

    func testAStudyWithADamagedLogCanStillBeReplacedWithForce() throws {
        let ids = try store.load().study.itemIDs
        try amend("withdraw", ids[0], "--reason", "one")
        try Data("not a log\n".utf8).write(to: store.amendmentsFile)
        XCTAssertEqual(try run(["status", "s"]).status, 1)
        let replaced = try run(["create", "s", "--model", "alphamodel=alphamodel.jsonl", "--model", "betamodel=betamodel.jsonl", "--annotators", "ann", "--force"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertEqual(try run(["status", "s"]).status, 0)
    }

    func testATornLastLineIsReportedByStatusAndCheckAndCutOffByTheNextAmend() throws {
        let ids = try store.load().study.itemIDs
        try amend("withdraw", ids[0], "--reason", "one")
        let handle = try FileHandle(forWritingTo: store.amendmentsFile)
        handle.seekToEndOfFile()
        handle.write(Data(#"{"change":{"pair":""#.utf8))
        try handle.close()
        let status = try run(["status", "s"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stderr.contains("amendments.jsonl:3:") && status.stderr.contains("incomplete"), status.stderr)
        let check = try run(["check", "s"])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue((check.stdout + check.stderr).contains("amendments.jsonl:3:"), check.stdout + check.stderr)
        try amend("withdraw", ids[1], "--reason", "two")
        XCTAssertEqual(try run(["check", "s"]).status, 0)
        XCTAssertEqual(try String(contentsOf: store.amendmentsFile, encoding: .utf8).split(separator: "\n").count, 3)
    }

    func testAnAddPairsWhoseLogEntryCannotBeWrittenLeavesNoFileBehind() throws {
        try amend("add-annotator", "dave")
        let log = try Data(contentsOf: store.amendmentsFile)
        XCTAssertGreaterThan(log.count, 1024)
        let two = (1...2).map { #"{"id": "n\#($0)", "prompt": "Q\#($0)?", "response_a": "a", "response_b": "b", "mapping": {"a": "alphamodel", "b": "betamodel"}}"# }
        try Data(two.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("two.jsonl"))
        // A file-size limit of 1 KB: the small items file and key part fit, the log (already larger) cannot grow.
        let binary = productsFolder.appendingPathComponent("blindreview").path
        let result = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", "ulimit -S -f 2; exec '\(binary)' amend s add-pairs --pairs two.jsonl"], in: folder, watchdog: 60)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("amendments.jsonl") && result.stderr.contains("nothing was changed"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: store.amendmentsFile), log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.addedItemsFile(seq: 2).path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/.keys/s.amendment-2.json").path))
        XCTAssertEqual(try run(["check", "s"]).status, 0)
        // With room again, the same change goes through.
        XCTAssertEqual(try amend("add-pairs", "--pairs", "two.jsonl").status, 0)
    }

    // MARK: - Refusals

    func testEachChangeRefusesWhatItCannotDoSafely() throws {
        let pair = try store.load().study.itemIDs[0]
        XCTAssertTrue(try amend("withdraw", pair, status: 1).stderr.contains("--reason"))
        XCTAssertTrue(try amend("withdraw", "p0000000000000000", "--reason", "x", status: 1).stderr.contains("no pair"))
        XCTAssertTrue(try amend("withdraw", pair, "--reason", "the betamodel answer is cut off", status: 1).stderr.contains("must not name a model"))
        XCTAssertTrue(try amend("withdraw", pair, "--reason", "Alphamodel. rambles", status: 1).stderr.contains("must not name a model"))
        // A generic model name is still this study's model when the lead writes about its responses.
        let generic = try run(["create", "g", "--model", "base=alphamodel.jsonl", "--model", "tuned=betamodel.jsonl", "--annotators", "ann", "--seed", "1"])
        XCTAssertEqual(generic.status, 0, generic.stderr)
        let named = try run(["amend", "g", "withdraw", try StudyStore(folder: folder.appendingPathComponent("sessions/g")).load().study.itemIDs[0], "--reason", "the tuned. answer is cut off"])
        XCTAssertTrue(named.status == 1 && named.stderr.contains("\"tuned\""), named.stderr)
        XCTAssertTrue(try amend("withdraw", pair, "--reason", "GPT-4 wrote nonsense", status: 1).stderr.contains("must not name a model"))
        XCTAssertTrue(try amend("withdraw", pair, "--reason", "two\nlines", status: 1).stderr.contains("one line"))
        XCTAssertTrue(try amend("withdraw", pair, "--reason", "red \u{1B}[31m text", status: 1).stderr.contains("U+1B"))
        XCTAssertTrue(try amend("withdraw", pair, "--reason", "alpha\u{200B}model", status: 1).stderr.contains("U+200B"))
        XCTAssertTrue(try amend("retire-annotator", "zed", status: 1).stderr.contains("not an annotator"))
        XCTAssertTrue(try amend("add-annotator", "ann", status: 1).stderr.contains("already an annotator"))
        XCTAssertEqual(try amend("add-annotator", "../x", status: 1).status, 1)
        try Data("{}\n".utf8).write(to: store.journalFile(for: "gpt4"))
        XCTAssertTrue(try amend("add-annotator", "gpt4", status: 1).stderr.contains("journals/gpt4.jsonl"))
        try FileManager.default.removeItem(at: store.journalFile(for: "gpt4"))
        XCTAssertEqual(try amend("frobnicate", status: 64).status, 64)
        XCTAssertEqual(try amend("add-overlap", "--pairs", "some", "--per-item", "2", status: 64).status, 64)
        // add-pairs checks its input flags as create does (they are one option group): these used to pass.
        XCTAssertTrue(try amend("add-pairs", "--pairs", "p.jsonl", "--baseline", "alphamodel", status: 64).stderr.contains("go with --model, not --pairs"))
        XCTAssertTrue(try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "alphamodel=more-betamodel.jsonl", status: 64).stderr.contains("given twice"))
        XCTAssertTrue(try amend("add-pairs", "--model", "=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl", status: 64).stderr.contains("NAME=FILE"))
        // A model the study does not have.
        let gamma = (11...14).map { #"{"id": "src-\#($0)", "prompt": "Question \#($0)?", "response": "x"}"# }
        try Data(gamma.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("gamma.jsonl"))
        XCTAssertTrue(try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "gammamodel=gamma.jsonl", status: 1).stderr.contains("not one of the study's"))
        // Changes that draw queues need the key.
        try FileManager.default.moveItem(at: folder.appendingPathComponent("sessions/.keys/s.json"), to: folder.appendingPathComponent("away.json"))
        XCTAssertTrue(try amend("add-annotator", "dave", status: 1).stderr.contains("s.json"))
        XCTAssertEqual(try amend("add-annotator", "dave", "--key", "away.json").status, 0)
        try amend("retire-annotator", "bo", "--reason", "left", "--key", "away.json")
        XCTAssertTrue(try amend("retire-annotator", "bo", status: 1).stderr.contains("already retired"))
        let annotate = try run(["annotate", "s", "--annotator", "bo"])
        XCTAssertEqual(annotate.status, 1)
        XCTAssertTrue(annotate.stderr.contains("retired") && annotate.stderr.contains("amendments.jsonl"), annotate.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.folder.appendingPathComponent("amendments.lock.tmp").path))
        XCTAssertEqual(try String(contentsOf: store.folder.appendingPathComponent("amendments.jsonl"), encoding: .utf8).split(separator: "\n").count, 3)
    }

    func testAddOverlapOnDisputedPairsAndRetireWithReassign() throws {
        let created = try run(["create", "o", "--model", "alphamodel=alphamodel.jsonl", "--model", "betamodel=betamodel.jsonl", "--annotators", "ann,bo,cy,di", "--per-item", "2", "--seed", "3"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let other = StudyStore(folder: folder.appendingPathComponent("sessions/o"))
        let (study, hash) = try other.load()
        // bo says b on everything, everyone else a: exactly bo's pairs are disputed.
        // Preferences are by side, and sides are coins: prefer the response with the lower (or higher) id.
        for (annotator, lower) in [("ann", true), ("bo", false), ("cy", true), ("di", true)] {
            let writer = try JournalWriter.open(store: other, study: study, studySHA256: hash, annotator: annotator)
            for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() {
                try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: (entry.a < entry.b) == lower ? "a" : "b"))
            }
        }
        let result = try run(["amend", "o", "add-overlap", "--pairs", "disputed", "--per-item", "3"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let (amended, _) = try other.load()
        var raters: [String: Int] = [:]
        for plan in amended.annotators { for entry in plan.queue { raters[entry.item, default: 0] += 1 } }
        let disputed = Set(amended.annotators.flatMap { plan in plan.queue.dropFirst(study.plan(for: plan.name)!.queue.count).map(\.item) })
        XCTAssertFalse(disputed.isEmpty)
        for item in disputed { XCTAssertEqual(raters[item], 3, "a disputed pair now has 3 raters") }
        XCTAssertEqual(disputed, Set(study.plan(for: "bo")!.queue.map(\.item)), "the report's disputed pairs, and only those")
        let retire = try run(["amend", "o", "retire-annotator", "di", "--reassign"])
        XCTAssertEqual(retire.status, 0, retire.stderr)
        XCTAssertTrue(retire.stdout.contains("retire-annotator di"), retire.stdout)
        // di had every pair preferred but no scores: nothing finished, so every one of di's pairs was handed on.
        let (after, _) = try other.load()
        let handed = after.annotators.filter { $0.name != "di" }.reduce(0) { $0 + $1.queue.count } - amended.annotators.filter { $0.name != "di" }.reduce(0) { $0 + $1.queue.count }
        XCTAssertEqual(handed, amended.plan(for: "di")!.queue.count)
    }

    // MARK: - A damaged log, every command

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/malformed/amendments")

    /// Lines: 1 header, 2 add-annotator dave, 3 withdraw, 4 add-pairs, 5 withdraw.
    func makeLog() throws -> [String] {
        let ids = try store.load().study.itemIDs
        try amend("add-annotator", "dave")
        try amend("withdraw", ids[0], "--reason", "one")
        try amend("add-pairs", "--model", "alphamodel=more-alphamodel.jsonl", "--model", "betamodel=more-betamodel.jsonl")
        try amend("withdraw", ids[1], "--reason", "two")
        let lines = try String(contentsOf: store.amendmentsFile, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        return lines
    }

    static func rechain(_ lines: inout [String], from index: Int) {
        for i in index..<lines.count {
            let hash = SHA256Digest.hex(of: Data(lines[i - 1].utf8))
            lines[i] = lines[i].replacingOccurrences(of: #""prev":"[0-9a-f]{64}""#, with: "\"prev\":\"\(hash)\"", options: .regularExpression)
        }
    }

    func testADamagedLogIsRefusedByEveryCommandWithItsFileAndLine() throws {
        let good = try makeLog()
        let ids = try store.load().study.itemIDs
        try Data("id,annotator,preference\nsrc-1,ann,a\n".utf8).write(to: folder.appendingPathComponent("labels.csv"))
        let commands: [[String]] = [
            ["status", "s"], ["report", "s", "--bootstrap", "10"], ["report", "s", "--blind", "--bootstrap", "10"], ["export", "s", "--format", "jsonl"],
            ["check", "s"], ["annotate", "s", "--annotator", "ann"], ["import", "s", "labels.csv"], ["amend", "s", "withdraw", ids[2], "--reason", "x"],
            ["journal", "merge", "s", "labels.csv", "--annotator", "ann"],
        ]
        let cases = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil).sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        for url in cases {
            let parts = try String(contentsOf: url, encoding: .utf8).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let (edit, line) = (parts[0], Int(parts[1])!)
            var lines = good
            var raw: Data?
            switch edit {
            case "edited-middle-line": lines[2] = lines[2].replacingOccurrences(of: "\"one\"", with: "\"One\"")
            case "line-removed": lines.remove(at: 1)
            case "reordered": lines.swapAt(1, 2)
            case "line-repeated": lines.insert(lines[1], at: 2)
            case "cut-mid-line": lines[1] = String(lines[1].prefix(50))
            case "empty-line": lines.insert("", at: 1)
            case "unknown-change": lines[2] = lines[2].replacingOccurrences(of: "\"type\":\"withdraw\"", with: "\"type\":\"merge-pairs\"")
            case "newer-schema": lines[0] = lines[0].replacingOccurrences(of: "\"schema\":1", with: "\"schema\":9")
            case "another-study": lines[0] = lines[0].replacingOccurrences(of: "\"study_sha256\":\"", with: "\"study_sha256\":\"f")
            case "not-a-log": lines[0] = "[1, 2, 3]"
            case "seq-gap": lines[2] = lines[2].replacingOccurrences(of: "\"seq\":2", with: "\"seq\":7")
            case "rechained-unknown-pair":
                lines[2] = lines[2].replacingOccurrences(of: ids[0], with: "p0000000000000000")
                Self.rechain(&lines, from: 3)
            case "rechained-unknown-annotator":
                lines[1] = lines[1].replacingOccurrences(of: "\"annotator\":\"dave\"", with: "\"annotator\":\"../x\"")
                Self.rechain(&lines, from: 2)
            case "cut-before-add-pairs": lines.removeLast(2)
            case "invalid-utf8":
                var data = Data((lines.joined(separator: "\n") + "\n").utf8)
                data = data.replacing(Data("\"one\"".utf8), with: Data([0x22, 0xFF, 0xFE, 0x22]))
                raw = data
            default: XCTFail("unknown case \(edit)")
            }
            try (raw ?? Data((lines.joined(separator: "\n") + "\n").utf8)).write(to: store.amendmentsFile)
            for command in commands {
                let result = try run(command)
                let output = result.stdout + result.stderr
                XCTAssertFalse(result.signalled || result.timedOut, "\(edit): \(command)")
                XCTAssertEqual(result.status, 1, "\(edit): \(command) exited \(result.status)\n\(output)")
                XCTAssertTrue(output.contains("amendments.jsonl:\(line):"), "\(edit): \(command) does not name amendments.jsonl:\(line):\n\(output)")
            }
        }
        // Restored, everything works again.
        try Data((good.joined(separator: "\n") + "\n").utf8).write(to: store.amendmentsFile)
        XCTAssertEqual(try run(["status", "s"]).status, 0)
    }
}
