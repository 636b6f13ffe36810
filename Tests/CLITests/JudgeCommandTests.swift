import BlindReviewCore
import Foundation
import XCTest

/// `blindreview judge --command`: a deterministic judge script, run in parallel, crashing, printing garbage,
/// hanging, interrupted and resumed.
final class JudgeCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        // Prompts carry what the judge script should do with them.
        var lines = ""
        for (i, prompt) in ["plain", "plain", "CRASH", "GARBAGE", "plain", "REFUSE", "plain", "plain"].enumerated() {
            let line: [String: Any] = [
                "id": "q\(i)", "prompt": "\(prompt) question \(i)", "response_a": "short \(i)", "response_b": "a longer answer \(i)",
                "mapping": ["a": "base", "b": "tuned"],
            ]
            lines += String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
        }
        try Data(lines.utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        // Prefers the longer response; crashes, prints garbage or says error on cue; SLEEP slows every call down;
        // every input it receives is appended to seen.jsonl.
        let script = """
            import json, os, sys, time
            data = json.load(sys.stdin)
            with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seen.jsonl"), "a") as seen:
                seen.write(json.dumps(data) + "\\n")
            time.sleep(float(os.environ.get("JUDGE_SLEEP", "0")))
            prompt = data["prompt"][0]["content"]
            if prompt.startswith("CRASH"):
                sys.stderr.write("judge crashed: out of tokens\\n"); sys.exit(3)
            if prompt.startswith("GARBAGE"):
                print("I think the first one is nicer"); sys.exit(0)
            if prompt.startswith("REFUSE"):
                print(json.dumps({"winner": "error", "reason": "cannot judge this"})); sys.exit(0)
            a, b = " ".join(data["response_a"]), " ".join(data["response_b"])
            print(json.dumps({"winner": "A" if len(a) > len(b) else "B", "scores": {"accuracy": [3, 4] if len(a) < len(b) else [4, 3]}}))
            """
        try Data(script.utf8).write(to: folder.appendingPathComponent("judge.py"))
        let create = try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann", "--seed", "4"], in: folder)
        XCTAssertEqual(create.status, 0, create.stderr)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    var journal: URL { folder.appendingPathComponent("sessions/s/journals/llm.jsonl") }

    func events() throws -> [[String: Any]] {
        try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").dropFirst().map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func testParallelRunRecordsVerdictsAndEveryFailureAsAnError() throws {
        let run = try runBlindReview(
            ["judge", "s", "--judge", "llm", "--command", "python3 judge.py", "--parallel", "4", "--format", "json"], in: folder, watchdog: 120)
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(summary["slots"] as? Int, 16)
        XCTAssertEqual(summary["judged"] as? Int, 16)
        XCTAssertEqual(summary["errors"] as? Int, 6, "CRASH, GARBAGE and REFUSE, in both orders")
        XCTAssertEqual(summary["remaining"] as? Int, 0)
        let all = try events()
        XCTAssertEqual(all.filter { $0["type"] as? String == "preference" }.count, 10)
        let errors = all.filter { $0["type"] as? String == "error" }
        XCTAssertEqual(errors.count, 6)
        XCTAssertEqual(errors.filter { ($0["text"] as? String)?.contains("exit status 3; stderr: judge crashed: out of tokens") == true }.count, 2)
        XCTAssertEqual(errors.filter { ($0["text"] as? String)?.contains("not a verdict") == true && ($0["text"] as? String)?.contains("the first one is nicer") == true }.count, 2)
        XCTAssertEqual(errors.filter { $0["option"] as? String == "judge" && ($0["text"] as? String)?.contains("cannot judge this") == true }.count, 2)
        // Seqs strictly increase: one writer.
        let seqs = all.map { $0["seq"] as! Int }
        XCTAssertEqual(seqs, Array(1...seqs.count))
        // What the judge received names no model.
        let seen = try String(contentsOf: folder.appendingPathComponent("seen.jsonl"), encoding: .utf8)
        XCTAssertEqual(seen.split(separator: "\n").count, 16)
        XCTAssertFalse(seen.contains("base") || seen.contains("tuned") || seen.contains("\"q1\""), seen)

        // The report's judge section reads it; status and check list it apart from the people.
        let report = try runBlindReview(["report", "s", "--format", "json", "--bootstrap", "50"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        let judge = (json["judges"] as! [[String: Any]])[0]
        XCTAssertEqual(judge["errors"] as? Int, 6)
        let position = judge["position_consistency"] as! [String: Any]
        XCTAssertEqual(position["consistent"] as? Int, 5, "the longer answer both ways")
        XCTAssertEqual(position["error"] as? Int, 3)
        let status = try runBlindReview(["status", "s"], in: folder)
        XCTAssertTrue(status.stdout.contains("llm: judge, 16/16 pair-orders decided (6 errors)"), status.stdout)
        XCTAssertTrue(status.stdout.contains("1 annotators") || status.stdout.contains("1 annotator"), status.stdout)
        let check = try runBlindReview(["check", "s"], in: folder)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("journals/llm.jsonl:"), check.stdout)
        let statusJSON = try JSONSerialization.jsonObject(with: Data(try runBlindReview(["status", "s", "--format", "json"], in: folder).stdout.utf8)) as! [String: Any]
        XCTAssertEqual((statusJSON["annotators"] as! [[String: Any]]).map { $0["annotator"] as! String }, ["ann"])
        let derived = (statusJSON["judges_and_adjudicators"] as! [[String: Any]])[0]
        XCTAssertEqual(derived["kind"] as? String, "judge")
        XCTAssertEqual(derived["decided"] as? Int, 16)
        XCTAssertEqual(derived["errors"] as? Int, 6)

        // Resuming finds nothing to do; --retry-errors asks again for the six errors only.
        let again = try runBlindReview(["judge", "s", "--judge", "llm", "--command", "exit 1"], in: folder, watchdog: 60)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 pair-orders judged in this run (0 errors), 16 already done"), again.stdout)
        let retry = try runBlindReview(["judge", "s", "--judge", "llm", "--command", "python3 judge.py", "--retry-errors", "--format", "json"], in: folder, watchdog: 60)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(retry.stdout.utf8)) as! [String: Any])["judged"] as? Int, 6)
    }

    func testATimeoutIsAnErrorAndTheOthersStand() throws {
        let run = try runBlindReview(
            ["judge", "s", "--judge", "llm", "--command", "JUDGE_SLEEP=30 python3 judge.py", "--timeout", "0.5", "--parallel", "8", "--limit", "3"],
            in: folder, watchdog: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        let errors = try events().filter { $0["type"] as? String == "error" }
        XCTAssertEqual(errors.count, 3)
        XCTAssertTrue(errors.allSatisfy { ($0["text"] as? String)?.hasPrefix("timed out after 0.5 s") == true }, "\(errors)")
        XCTAssertTrue(run.stdout.contains("13 of 16 left"), run.stdout)
    }

    func testInterruptedRunLeavesAWholeJournalAndResumes() throws {
        let process = Process()
        process.executableURL = productsFolder.appendingPathComponent("blindreview")
        process.arguments = ["judge", "s", "--judge", "llm", "--command", "python3 judge.py", "--parallel", "2"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(["JUDGE_SLEEP": "0.4"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for a few verdicts, then Ctrl-C.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try? events().count) ?? 0 < 3 { usleep(50_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        let partial = try events()
        XCTAssertGreaterThanOrEqual(partial.count, 3)
        XCTAssertLessThan(partial.filter { $0["type"] as? String == "preference" || $0["type"] as? String == "error" }.count, 16)
        let check = try runBlindReview(["check", "s"], in: folder)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        // No judge command outlives the interrupt.
        let seenBefore = try String(contentsOf: folder.appendingPathComponent("seen.jsonl"), encoding: .utf8).split(separator: "\n").count
        usleep(800_000)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("seen.jsonl"), encoding: .utf8).split(separator: "\n").count, seenBefore)

        let resume = try runBlindReview(["judge", "s", "--judge", "llm", "--command", "python3 judge.py", "--parallel", "3"], in: folder, watchdog: 120)
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(resume.stdout.contains("0 of 16 left"), resume.stdout)
        let verdicts = try events().filter { $0["type"] as? String == "preference" || $0["type"] as? String == "error" }
        XCTAssertEqual(verdicts.count, 16, "every slot exactly once")
        XCTAssertEqual(Set(verdicts.map { $0["slot"] as! Int }).count, 16)
    }

    /// A judge's calls cost money: a pair withdrawn before the run is not sent, nor one the lead withdraws while
    /// it runs (both were judged before).
    func testWithdrawnPairsAreNotJudgedBeforeOrDuringTheRun() throws {
        let study = try StudyStore(folder: folder.appendingPathComponent("sessions/s")).load().study
        let before = study.itemIDs[2], during = study.itemIDs[7]
        XCTAssertEqual(try runBlindReview(["amend", "s", "withdraw", before, "--reason", "cut off"], in: folder).status, 0)
        // The first call withdraws another pair, as a lead would in the middle of a run.
        let wrapper = """
            if [ ! -e first-call-done ]; then touch first-call-done; "$BR" amend s withdraw \(during) --reason "wrong prompt" >/dev/null 2>&1; fi
            exec python3 judge.py
            """
        try Data(wrapper.utf8).write(to: folder.appendingPathComponent("judge.sh"))
        let run = try runBlindReview(
            ["judge", "s", "--judge", "llm", "--command", "sh judge.sh", "--parallel", "1", "--format", "json"], in: folder,
            environment: ["BR": productsFolder.appendingPathComponent("blindreview").path], watchdog: 120)
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(summary["withdrawn"] as? Int, 4, "both orders of both pairs")
        XCTAssertEqual(summary["judged"] as? Int, 12)
        XCTAssertEqual(summary["remaining"] as? Int, 0)
        let judged = Set(try events().compactMap { $0["item"] as? String })
        XCTAssertFalse(judged.contains(before) || judged.contains(during), "\(judged)")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("seen.jsonl"), encoding: .utf8).split(separator: "\n").count, 12)
        let text = try runBlindReview(["judge", "s", "--judge", "llm", "--command", "sh judge.sh"], in: folder, watchdog: 120)
        XCTAssertTrue(text.stdout.contains("4 pair-orders of withdrawn pairs not judged") && text.stdout.contains("0 of 16 left"), text.stdout)
    }

    func testJudgesStayOutOfExportsAndReportsUnlessIncluded() throws {
        XCTAssertEqual(try runBlindReview(["judge", "s", "--judge", "llm", "--command", "python3 judge.py"], in: folder, watchdog: 120).status, 0)
        let people = try runBlindReview(["export", "s", "--format", "csv", "--table", "judgments"], in: folder)
        XCTAssertEqual(people.status, 0, people.stderr)
        XCTAssertFalse(people.stdout.contains(",llm,"), people.stdout)
        let all = try runBlindReview(["export", "s", "--format", "csv", "--table", "judgments", "--include-judges"], in: folder)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stderr.contains("counting judges as annotators: llm"), all.stderr)
        // One row per pair with a verdict: the five plain pairs (the three with errors have none).
        XCTAssertEqual(all.stdout.split(separator: "\n").filter { $0.contains(",llm,") }.count, 5, all.stdout)
        let report = try runBlindReview(["report", "s", "--include-judges", "--bootstrap", "20"], in: folder)
        XCTAssertTrue(report.stdout.contains("(8 pairs, 2 annotators)"), report.stdout)
        XCTAssertTrue(report.stdout.contains("judges counted as annotators (--include-judges): llm"), report.stdout)
        let plain = try runBlindReview(["report", "s", "--bootstrap", "20"], in: folder)
        XCTAssertTrue(plain.stdout.contains("(8 pairs, 1 annotators)"), plain.stdout)
    }

    func testForceRefusesAStudyWhoseOnlyJudgmentsAreAJudgesVerdicts() throws {
        // Destructive command: run two folders deep inside this test's own temporary folder.
        let deep = folder.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("pairs.jsonl"), to: deep.appendingPathComponent("pairs.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann", "--seed", "4"], in: deep).status, 0)
        try Data(#"{"id": "q0", "winner": "b"}"#.utf8).write(to: deep.appendingPathComponent("v.jsonl"))
        XCTAssertEqual(try runBlindReview(["import-judge", "s", "v.jsonl", "--judge", "llm"], in: deep).status, 0)
        let force = try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann", "--force"], in: deep)
        XCTAssertEqual(force.status, 1)
        XCTAssertTrue(force.stderr.contains("journals/llm.jsonl: this study has judgments"), force.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: deep.appendingPathComponent("sessions/s/journals/llm.jsonl").path))
    }

    func testAMistypedCommandStopsAfterFiveFailuresInsteadOfFillingTheQueue() throws {
        let typo = try runBlindReview(["judge", "s", "--judge", "llm", "--command", "pyhton3 judge.py", "--parallel", "4"], in: folder, watchdog: 60)
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("the first 5 calls of the judge command all failed (the last: exit status 127"), typo.stderr)
        XCTAssertTrue(typo.stderr.contains("--retry-errors"), typo.stderr)
        XCTAssertEqual(try events().filter { $0["type"] as? String == "error" }.count, 5)
        let fixed = try runBlindReview(["judge", "s", "--judge", "llm", "--command", "python3 judge.py", "--retry-errors"], in: folder, watchdog: 120)
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertTrue(fixed.stdout.contains("16 pair-orders judged in this run"), fixed.stdout)
    }

    func testBadUsageAndNames() throws {
        XCTAssertEqual(try runBlindReview(["judge", "s", "--judge", "llm", "--command", "true", "--parallel", "0"], in: folder).status, 64)
        let person = try runBlindReview(["judge", "s", "--judge", "ann", "--command", "true"], in: folder)
        XCTAssertEqual(person.status, 1)
        XCTAssertTrue(person.stderr.contains("is an annotator of study"), person.stderr)
        let path = try runBlindReview(["judge", "s", "--judge", "../../x", "--command", "true"], in: folder)
        XCTAssertEqual(path.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.jsonl").path))
    }
}
