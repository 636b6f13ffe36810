import Foundation
import XCTest

/// `create --force` replaces only a study of that name and never deletes; keys are never overwritten.
///
/// These tests run names such as `..` with `--force`. A binary with the old bug deletes whatever they resolve
/// to, so every command runs two levels inside the test's own temporary folder: even then, `..` can only reach
/// that folder (once, run against the old binary from a folder directly in /tmp, `..` emptied /tmp).
final class ForceAndKeyTests: XCTestCase {
    var root: URL!
    var folder: URL!
    let fm = FileManager.default

    override func setUpWithError() throws {
        root = try makeTemporaryFolder()
        folder = root.appendingPathComponent("a/b")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("""
            {"id": "q1", "prompt": "Reset password?", "response": "Use the link."}
            {"id": "q2", "prompt": "Delete account?", "response": "Settings."}
            """.utf8).write(to: folder.appendingPathComponent("base.jsonl"))
        try Data("""
            {"id": "q1", "prompt": "Reset password?", "response": "Tap Forgot password."}
            {"id": "q2", "prompt": "Delete account?", "response": "Settings > Account."}
            """.utf8).write(to: folder.appendingPathComponent("tuned.jsonl"))
    }

    override func tearDown() { try? fm.removeItem(at: root) }

    func create(_ study: String, _ extra: [String] = [], in directory: URL? = nil) throws -> CommandResult {
        let dir = directory ?? folder!
        let base = dir == folder ? "base.jsonl" : folder.appendingPathComponent("base.jsonl").path
        let tuned = dir == folder ? "tuned.jsonl" : folder.appendingPathComponent("tuned.jsonl").path
        return try runBlindReview(["create", study, "--model", "base=\(base)", "--model", "tuned=\(tuned)", "--annotators", "ann", "--seed", "5"] + extra, in: dir)
    }

    func path(_ relative: String) -> URL { folder.appendingPathComponent(relative) }
    func exists(_ relative: String) -> Bool { fm.fileExists(atPath: path(relative).path) }

    // Finding 1: --force deleted a folder that is not a study, the parent tree for "..", all of sessions/ for "".
    func testForceRefusesWhatIsNotAStudyOfThatName() throws {
        try fm.createDirectory(at: path("sessions/notes"), withIntermediateDirectories: true)
        try Data("my notes".utf8).write(to: path("sessions/notes/todo.txt"))
        let notStudy = try create("notes", ["--force"])
        XCTAssertEqual(notStudy.status, 1)
        XCTAssertTrue(notStudy.stderr.contains("not a blindreview study"), notStudy.stderr)
        XCTAssertTrue(exists("sessions/notes/todo.txt"))

        XCTAssertEqual(try create("s").status, 0)
        try Data("journal".utf8).write(to: path("sessions/s/journals/ann.jsonl"))
        for name in ["", " ", "..", "sessions/..", "sessions/s/..", "./sessions/../sessions/s/.."] {
            let result = try create(name, ["--force"])
            XCTAssertEqual(result.status, 1, "\"\(name)\": \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("empty") || result.stderr.contains("\"..\""), "\"\(name)\": \(result.stderr)")
        }
        let inner = path("work")
        try fm.createDirectory(at: inner, withIntermediateDirectories: true)
        let parentByPath = try create(folder.path, ["--force"], in: inner)  // the folder holding sessions/
        XCTAssertEqual(parentByPath.status, 1, parentByPath.stderr)
        XCTAssertTrue(exists("sessions/s/journals/ann.jsonl"), "nothing deleted")
        XCTAssertTrue(exists("sessions/.keys/s.json"))
        XCTAssertTrue(exists("base.jsonl"))
    }

    func testForceRefusesTheSessionsRootAndAStudyOfAnotherName() throws {
        XCTAssertEqual(try create("s").status, 0)
        // A study renamed by hand: its folder says "s" inside, so "t" may not replace it.
        try fm.moveItem(at: path("sessions/s"), to: path("sessions/t"))
        let other = try create("t", ["--force"])
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("holds study \"s\""), other.stderr)
        let sessionsRoot = try create(path("sessions").path, ["--force"])
        XCTAssertEqual(sessionsRoot.status, 1, sessionsRoot.stderr)
        XCTAssertTrue(exists("sessions/t/study.json") && exists("sessions/.keys/s.json"))
    }

    func testForceWithJudgmentsNeedsDiscardAndMovesEverythingToTheTrash() throws {
        XCTAssertEqual(try create("s").status, 0)
        let oldKey = try Data(contentsOf: path("sessions/.keys/s.json"))
        let header = #"{"annotator":"ann","schema":1,"study":"s","study_sha256":"x","type":"header"}"#
        try Data((header + "\n" + #"{"seq":1,"t":"x","type":"open","slot":0}"# + "\n" + #"{"option":"a","seq":2,"t":"x","type":"preference","slot":0}"# + "\n").utf8)
            .write(to: path("sessions/s/journals/ann.jsonl"))
        let refused = try create("s", ["--force", "--seed", "6"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("has judgments") && refused.stderr.contains("--discard-judgments"), refused.stderr)

        let replaced = try create("s", ["--force", "--discard-judgments", "--seed", "6"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stderr.contains("replaced: the old study") && replaced.stderr.contains(".trash/s-"), replaced.stderr)
        let trash = try fm.contentsOfDirectory(atPath: path("sessions/.trash").path)
        XCTAssertEqual(trash.count, 1)
        XCTAssertTrue(trash[0].hasPrefix("s-"), trash[0])
        XCTAssertTrue(exists("sessions/.trash/\(trash[0])/s/journals/ann.jsonl"), "the judgments are kept in the trash")
        XCTAssertEqual(try Data(contentsOf: path("sessions/.trash/\(trash[0])/s.key.json")), oldKey, "the old key is kept in the trash")
        XCTAssertNotEqual(try Data(contentsOf: path("sessions/.keys/s.json")), oldKey)
        let mode = try fm.attributesOfItem(atPath: path("sessions/.trash").path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o700)
    }

    /// QA: an annotator who only opened the study (open and leave events, no judgment) blocked `--force`.
    func testAVisitWithoutAJudgmentDoesNotBlockForce() throws {
        XCTAssertEqual(try create("v").status, 0)
        let header = #"{"annotator":"ann","schema":1,"study":"v","study_sha256":"x","type":"header"}"#
        try Data((header + "\n" + #"{"seq":1,"t":"x","type":"open","slot":0}"# + "\n" + #"{"active_seconds":2,"seq":2,"t":"x","type":"leave","slot":0}"# + "\n").utf8)
            .write(to: path("sessions/v/journals/ann.jsonl"))
        let replaced = try create("v", ["--force", "--seed", "6"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stderr.contains(".trash/v-"), "the old study still goes to the trash: \(replaced.stderr)")
    }

    // Finding 2: keys were overwritten (another study's key via --key, an archived study's key by a new study of
    // the same name) and a --key link into a study folder ended with the key deleted.
    func testKeysAreNeverOverwritten() throws {
        XCTAssertEqual(try create("t").status, 0)
        let tKey = try Data(contentsOf: path("sessions/.keys/t.json"))
        let intoOther = try create("s", ["--key", "sessions/.keys/t.json"])
        XCTAssertEqual(intoOther.status, 1)
        XCTAssertTrue(intoOther.stderr.contains("never overwritten"), intoOther.stderr)
        XCTAssertEqual(try Data(contentsOf: path("sessions/.keys/t.json")), tKey)
        XCTAssertFalse(exists("sessions/s"), "no study without its key")

        try fm.moveItem(at: path("sessions/t"), to: path("sessions/t-archived"))
        let again = try create("t")
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("never overwritten"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: path("sessions/.keys/t.json")), tKey, "the archived study's key is intact")
    }

    func testKeyPathIntoAStudyFolderOrAnOpenFolderIsRefused() throws {
        XCTAssertEqual(try create("t").status, 0)
        try fm.createSymbolicLink(at: path("keys"), withDestinationURL: path("sessions/t"))
        let linked = try create("s", ["--key", "keys/s.json"])
        XCTAssertEqual(linked.status, 1)
        XCTAssertTrue(linked.stderr.contains("resolves into the study folder"), linked.stderr)
        XCTAssertFalse(exists("sessions/t/s.json"))

        try fm.createDirectory(at: path("open"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let open = try create("s", ["--key", "open/s.json"])
        XCTAssertEqual(open.status, 1)
        XCTAssertTrue(open.stderr.contains("mode 755") && open.stderr.lowercased().contains("chmod 700"), open.stderr)
        XCTAssertFalse(exists("open/s.json"))
    }
}
