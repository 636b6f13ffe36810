import BlindReviewCore
import Foundation
import XCTest

/// `create --gold`, gold accuracy in `report`, `export --min-gold-accuracy`, and `adjudicate` with
/// `report/export --adjudicated`, run as the real binary (the adjudication screen in tmux at three sizes).
final class GoldAndAdjudicateCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Twelve --pairs lines (q0-q11, b the tuned model); gold q1 (b) and q2 (a); alice, bob and carol imported
    /// with disagreements on q1, q2, q3, q5, q7 and q9.
    func makeStudy() throws {
        var pairs = "", labels = "id,annotator,preference\n"
        for i in 0..<12 {
            pairs += #"{"id": "q\#(i)", "prompt": "Question \#(i)?", "response_a": "Short answer \#(i).", "response_b": "A longer answer \#(i), with detail.", "mapping": {"a": "base", "b": "tuned"}}"# + "\n"
            labels += "q\(i),alice,b\n"
            labels += "q\(i),bob,\([2, 5, 7].contains(i) ? "a" : i == 9 ? "tie" : "b")\n"
            labels += "q\(i),carol,\([1, 2, 3].contains(i) ? "a" : "b")\n"
        }
        try Data(pairs.utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        try Data(labels.utf8).write(to: folder.appendingPathComponent("labels.csv"))
        try Data(#"{"id": "q1", "better": "b"}"#.appending("\n").appending(#"{"id": "q2", "better": "a"}"#).appending("\n").utf8)
            .write(to: folder.appendingPathComponent("gold.jsonl"))
        let created = try runBlindReview(["create", "g", "--pairs", "pairs.jsonl", "--annotators", "alice,bob,carol", "--gold", "gold.jsonl"], in: folder)
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("gold:       2 known-answer pairs in every queue"), created.stdout)
        let imported = try runBlindReview(["import", "g", "labels.csv"], in: folder)
        XCTAssertEqual(imported.status, 0, imported.stderr)
    }

    func testBadGoldFileIsRefusedWithFileLineAndNothingCreated() throws {
        try Data(#"{"id": "q0", "prompt": "P", "response_a": "A", "response_b": "B", "mapping": {"a": "base", "b": "tuned"}}"#.utf8)
            .write(to: folder.appendingPathComponent("pairs.jsonl"))
        try Data("{\"id\": \"q0\", \"better\": \"b\"}\n{\"id\": \"q9\", \"better\": \"a\"}\n".utf8).write(to: folder.appendingPathComponent("gold.jsonl"))
        let result = try runBlindReview(["create", "bad", "--pairs", "pairs.jsonl", "--annotators", "ann", "--gold", "gold.jsonl"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("error: gold.jsonl:2: source id \"q9\" is in none of the study's inputs."), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/bad").path))
    }

    /// What an annotator receives is the same with and without gold pairs (everyone rates everything): the
    /// study folder's files are byte for byte equal, so nothing in them can mark a gold pair.
    func testStudyFolderWithGoldIsByteIdenticalToOneWithout() throws {
        var pairs = ""
        for i in 0..<20 {
            pairs += #"{"id": "q\#(i)", "prompt": "Question \#(i)?", "response_a": "One \#(i).", "response_b": "Two \#(i).", "mapping": {"a": "base", "b": "tuned"}}"# + "\n"
        }
        try Data(pairs.utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        try Data("{\"id\": \"q3\", \"better\": \"a\"}\n{\"id\": \"q17\", \"better\": \"b\"}\n".utf8).write(to: folder.appendingPathComponent("gold.jsonl"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("keys"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let common = ["--pairs", "pairs.jsonl", "--annotators", "ann,bo", "--seed", "5", "--repeat", "2"]
        XCTAssertEqual(try runBlindReview(["create", "plain/s", "--key", "keys/plain.key.json"] + common, in: folder).status, 0)
        let gold = try runBlindReview(["create", "gold/s", "--key", "keys/gold.key.json", "--gold", "gold.jsonl", "--format", "json"] + common, in: folder)
        XCTAssertEqual(gold.status, 0, gold.stderr)
        let created = try JSONSerialization.jsonObject(with: Data(gold.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(created["gold_pairs"] as? Int, 2)
        for file in ["study.json", "items.jsonl"] {
            let a = try Data(contentsOf: folder.appendingPathComponent("plain/s/\(file)"))
            let b = try Data(contentsOf: folder.appendingPathComponent("gold/s/\(file)"))
            XCTAssertEqual(a, b, file)
        }
        let key = try String(contentsOf: folder.appendingPathComponent("keys/gold.key.json"), encoding: .utf8)
        XCTAssertTrue(key.contains("\"gold\""), key)
    }

    func testGoldAccuracyInReportAndMinGoldAccuracyInExport() throws {
        try makeStudy()
        let report = try runBlindReview(["report", "g", "--bootstrap", "0"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        // alice: q1 right, q2 wrong; bob: both right; carol: q1 wrong, q2 right.
        XCTAssertTrue(report.stdout.contains("alice: 1 of 2 right, 0.50 [0.09, 0.91]  BELOW THRESHOLD"), report.stdout)
        XCTAssertTrue(report.stdout.contains("bob: 2 of 2 right, 1.00 [0.34, 1.00]\n"), report.stdout)
        XCTAssertTrue(report.stdout.contains("2 gold pairs left out of the results"), report.stdout)
        let lenient = try runBlindReview(["report", "g", "--bootstrap", "0", "--gold-threshold", "0.5", "--format", "json"], in: folder)
        let json = try JSONSerialization.jsonObject(with: Data(lenient.stdout.utf8)) as! [String: Any]
        let gold = json["gold"] as! [String: Any]
        XCTAssertEqual(gold["pairs"] as? Int, 2)
        XCTAssertEqual((gold["annotators"] as! [[String: Any]]).filter { $0["below_threshold"] as? Bool == true }.count, 0)
        XCTAssertEqual(try runBlindReview(["report", "g", "--gold-threshold", "2"], in: folder).status, 64)

        let all = try runBlindReview(["export", "g", "--format", "jsonl"], in: folder)
        XCTAssertEqual(all.stdout.split(separator: "\n").count, 30, "10 pairs x 3 annotators: gold left out")
        XCTAssertTrue(all.stderr.contains("left out 2 gold pairs"), all.stderr)
        let withGold = try runBlindReview(["export", "g", "--format", "jsonl", "--include-gold"], in: folder)
        XCTAssertEqual(withGold.stdout.split(separator: "\n").count, 36)
        let strict = try runBlindReview(["export", "g", "--format", "jsonl", "--min-gold-accuracy", "0.75"], in: folder)
        XCTAssertEqual(strict.status, 0, strict.stderr)
        XCTAssertEqual(strict.stdout.split(separator: "\n").count, 10, "only bob's votes")
        XCTAssertTrue(strict.stderr.contains("left out alice: gold accuracy 1/2 is below 0.75"), strict.stderr)
        XCTAssertFalse(strict.stdout.contains("\"alice\"") || strict.stdout.contains("\"carol\""))
    }

    func testAdjudicateRefusesAPersonsNameAndSaysWhenNothingIsDisputed() throws {
        try makeStudy()
        let person = try runBlindReview(["adjudicate", "g", "--annotator", "bob"], in: folder)
        XCTAssertEqual(person.status, 1)
        XCTAssertTrue(person.stderr.contains("\"bob\" rates pairs in study \"g\""), person.stderr)
        let pairs = #"{"id": "x", "prompt": "P", "response_a": "A", "response_b": "B", "mapping": {"a": "base", "b": "tuned"}}"#
        try Data((pairs + "\n").utf8).write(to: folder.appendingPathComponent("one.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "calm", "--pairs", "one.jsonl", "--annotators", "ann"], in: folder).status, 0)
        let noTerminal = try runBlindReview(["adjudicate", "g", "--annotator", "lead"], in: folder)
        XCTAssertEqual(noTerminal.status, 1)
        XCTAssertTrue(noTerminal.stderr.contains("blindreview adjudicate needs an interactive terminal"), noTerminal.stderr)
        let calm = try runBlindReview(["adjudicate", "calm", "--annotator", "lead"], in: folder)
        XCTAssertEqual(calm.status, 0, calm.stderr)
        XCTAssertTrue(calm.stdout.contains("nothing to adjudicate"), calm.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sessions/calm/journals/lead.jsonl").path))
    }

    func testAdjudicateInATerminalThenReportAndExportAdjudicated() throws {
        try makeStudy()
        let tmux = try TmuxDriver(folder: folder)
        for (index, size) in [(60, 18), (80, 24), (200, 60)].enumerated() {
            let session = "a\(index)"
            tmux.start("BR adjudicate g --annotator lead --key sessions/.keys/g.json", session: session, width: size.0, height: size.1)
            // The first session settles the first pair; later ones open on the next without a verdict.
            let screen = tmux.waitFor(session) { $0.contains("adjudicating \(index == 0 ? 1 : 2)/6") && $0.contains("q quit") }
            XCTAssertFalse(screen.contains("base") || screen.contains("tuned"), "no model named:\n\(screen)")
            XCTAssertTrue(screen.contains("disputed: 2-1"), screen)
            tmux.send("v", session: session)
            // Wait for the whole box, not its title: a capture can land while curses is still drawing it.
            let overlay = tmux.waitFor(session) { $0.contains("What the others said") && $0.contains("carol:") }
            XCTAssertTrue(overlay.contains("alice:") && overlay.contains("bob:") && overlay.contains("carol:"), overlay)
            tmux.send("Escape", session: session)
            if index == 0 {
                // The first pair's verdict: whichever side carol chose there.
                tmux.send("a", session: session)
                _ = tmux.waitFor(session) { $0.contains("1 done") || $0.contains("saved ✓") }
            }
            tmux.send("q", session: session)
            XCTAssertEqual(tmux.waitForExit(session), 0)
        }
        let journal = try String(contentsOf: folder.appendingPathComponent("sessions/g/journals/lead.jsonl"), encoding: .utf8)
        XCTAssertTrue(journal.hasPrefix("{\"annotator\":\"lead\""), journal)
        XCTAssertTrue(journal.contains("\"kind\":\"adjudicator\""))
        XCTAssertEqual(journal.components(separatedBy: "\"type\":\"preference\"").count - 1, 1)

        let plain = try runBlindReview(["report", "g", "--bootstrap", "0"], in: folder)
        let adjudicated = try runBlindReview(["report", "g", "--bootstrap", "0", "--adjudicated"], in: folder)
        XCTAssertEqual(adjudicated.status, 0, adjudicated.stderr)
        // The pair settled here is a gold pair, which the results leave out: the summary says so (it used to
        // count it among the pairs the results take from the adjudicator).
        XCTAssertTrue(adjudicated.stdout.contains("adjudicated: 1 gold pair decided by lead, left out of the results"), adjudicated.stdout)
        let withGold = try runBlindReview(["report", "g", "--bootstrap", "0", "--adjudicated", "--include-gold"], in: folder)
        XCTAssertTrue(withGold.stdout.contains("adjudicated: 1 pair decided by lead in place of the people's votes"), withGold.stdout)
        XCTAssertFalse(plain.stdout.contains("adjudicated:"))
        XCTAssertFalse(plain.stdout.contains("lead"), "an adjudicator is no annotator of the plain report")
        let export = try runBlindReview(["export", "g", "--format", "jsonl", "--adjudicated", "--include-gold"], in: folder)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stderr.contains("adjudicated: 1 pair decided by lead"), export.stderr)
        XCTAssertEqual(export.stdout.split(separator: "\n").count, 36 - 3 + 1, "the settled pair's three votes become the lead's one")
        XCTAssertEqual(export.stdout.components(separatedBy: "\"lead\"").count - 1, 1)
    }

    /// With --exclude-flagged and --adjudicated, a flagged pair the adjudicator settled is kept with the
    /// adjudicator's verdict; flagged pairs without a verdict are still left out.
    func testExcludeFlaggedKeepsAFlaggedPairThatWasAdjudicated() throws {
        try makeStudy()
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/g"))
        let (study, hash) = try store.load()
        let key = try StudyStore.loadKey(at: store.defaultKeyFile, for: study)
        func item(_ source: String) -> String { key.pairs.first { $0.value.sourceID == source && $0.value.repeatOf == nil }!.key }
        let alice = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
        for source in ["q5", "q7"] {
            let slot = study.plan(for: "alice")!.queue.firstIndex { $0.item == item(source) }!
            try alice.append(.flag(slot: slot, item: item(source), reason: .unsure, note: nil))
        }
        let plan = try DerivedQueue.plan(name: "lead", kind: .adjudicator, study: study)
        let lead = try JournalWriter.open(store: store, study: study.adding(plan), studySHA256: hash, annotator: "lead")
        let slot = plan.queue.firstIndex { $0.item == item("q5") }!
        try lead.append(.preference(slot: slot, item: item("q5"), option: "tie"))

        let dropped = try runBlindReview(["export", "g", "--format", "jsonl", "--exclude-flagged"], in: folder)
        XCTAssertFalse(dropped.stdout.contains(item("q5")) || dropped.stdout.contains(item("q7")))
        let kept = try runBlindReview(["export", "g", "--format", "jsonl", "--exclude-flagged", "--adjudicated"], in: folder)
        XCTAssertEqual(kept.status, 0, kept.stderr)
        let q5 = kept.stdout.split(separator: "\n").filter { $0.contains(item("q5")) }
        XCTAssertEqual(q5.count, 1)
        XCTAssertTrue(q5[0].contains("\"lead\""), String(q5[0]))
        XCTAssertFalse(kept.stdout.contains(item("q7")))
    }

    /// On a shared host any annotator can add a file to journals/ (they must, to create their own), so one could
    /// add a journal whose header says "adjudicator" (or "judge"): `--adjudicated` would put its verdicts in place
    /// of the people's with no more than its name in a summary line. A judge's or adjudicator's journal that
    /// belongs to another user than the one running the command is named with its owner in a warning.
    func testAdjudicatorJournalOfAnotherUserIsWarnedAbout() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to give a file to another user") }
        try makeStudy()
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/g"))
        let (study, hash) = try store.load()
        let plan = try DerivedQueue.plan(name: "mallory", kind: .adjudicator, study: study)
        let forged = try JournalWriter.open(store: store, study: study.adding(plan), studySHA256: hash, annotator: "mallory")
        for (slot, entry) in plan.queue.enumerated() { try forged.append(.preference(slot: slot, item: entry.item, option: "a")) }
        let judgePlan = try DerivedQueue.plan(name: "llm", kind: .judge, study: study)
        let judge = try JournalWriter.open(store: store, study: study.adding(judgePlan), studySHA256: hash, annotator: "llm")
        try judge.append(.preference(slot: 0, item: judgePlan.queue[0].item, option: "a"))
        for name in ["mallory", "llm"] { XCTAssertEqual(chown(store.journalFile(for: name).path, 65534, 65534), 0) }

        let plain = try runBlindReview(["report", "g", "--bootstrap", "20"], in: folder)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertFalse(plain.stdout.contains("belongs to"), "not used, not warned about: " + plain.stdout)
        let report = try runBlindReview(["report", "g", "--bootstrap", "20", "--adjudicated", "--include-judges"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = report.stdout.replacingOccurrences(of: "\n ", with: "").replacingOccurrences(of: "  ", with: " ")
        XCTAssertTrue(text.contains("mallory.jsonl, an adjudicator's journal, belongs to another user (uid 65534)"), report.stdout)
        XCTAssertTrue(text.contains("llm.jsonl, a judge's journal, belongs to another user (uid 65534)"), report.stdout)
        let export = try runBlindReview(["export", "g", "--format", "jsonl", "--adjudicated"], in: folder)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stderr.contains("mallory.jsonl, an adjudicator's journal, belongs to another user (uid 65534)"), export.stderr)
        XCTAssertFalse(export.stderr.contains("llm.jsonl"), "judges are not used without --include-judges: " + export.stderr)
    }
}
