import BlindReviewCore
import Foundation
import XCTest

/// Runs every case of `Tests/Fixtures/malformed/` through the reader it targets: each must end with a nonzero
/// exit status (never a signal, never a hang), a message naming the file (and line where there is one), and
/// no raw control byte in anything printed. The bad-input issue's cases are all in the corpus.
final class MalformedInputTests: XCTestCase {
    var folder: URL!
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/malformed")

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        for (index, model) in ["m1", "m2", "m3"].enumerated() {
            let lines = (1...7).map { #"{"id": "q\#($0)", "prompt": "Question \#($0)?", "response": "Answer \#($0) from model \#(index)."}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("\(model).jsonl"))
        }
        let pairs = (1...6).map { #"{"id": "p\#($0)", "prompt": "Q\#($0)?", "response_a": "left \#($0)", "response_b": "right \#($0)", "mapping": {"a": "m1", "b": "m2"}}"# }
        try Data(pairs.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        try Data("item,rater,value\n1,ann,1\n1,bo,2\n2,ann,3\n2,bo,3\n".utf8).write(to: folder.appendingPathComponent("good.csv"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Runs the binary with a generous watchdog (a hang fails the case; no timing is asserted otherwise).
    func run(_ arguments: [String]) throws -> CommandResult {
        try runBlindReview(arguments, in: folder, watchdog: 120)
    }

    /// Raw bytes that could drive a terminal: C0 controls other than newline and tab, DEL, and C1 in UTF-8.
    func rawControl(in data: Data) -> Bool {
        let bytes = [UInt8](data)
        for (index, byte) in bytes.enumerated() {
            if (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F { return true }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
        }
        return false
    }

    func check(_ outcome: CommandResult, case name: String, names file: String?, line: Bool = false, file path: StaticString = #filePath, at: UInt = #line) {
        XCTAssertFalse(outcome.timedOut, "\(name): hung", file: path, line: at)
        XCTAssertFalse(outcome.signalled, "\(name): killed by a signal\n\(outcome.stderr)", file: path, line: at)
        XCTAssertTrue(outcome.status == 1 || outcome.status == 64, "\(name): exit status \(outcome.status)\n\(outcome.stderr)", file: path, line: at)
        XCTAssertFalse(rawControl(in: outcome.output), "\(name): raw control bytes in the output", file: path, line: at)
        XCTAssertTrue(outcome.stderr.lowercased().contains("error") || outcome.stderr.contains("refused"), "\(name): no error message\n\(outcome.stderr)", file: path, line: at)
        if let file {
            XCTAssertTrue(outcome.stderr.contains(file), "\(name): the message does not name \(file)\n\(outcome.stderr)", file: path, line: at)
            if line {
                XCTAssertTrue(outcome.stderr.range(of: NSRegularExpression.escapedPattern(for: file) + #":\d+:"#, options: .regularExpression) != nil,
                              "\(name): the message does not name the line\n\(outcome.stderr)", file: path, line: at)
            }
        }
    }

    func cases(_ reader: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: Self.corpus.appendingPathComponent(reader), includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func testTheCorpusHasAtLeastTwoHundredCases() throws {
        let all = try FileManager.default.subpathsOfDirectory(atPath: Self.corpus.path).filter { !$0.hasSuffix("/") && $0.contains(".") }
        XCTAssertGreaterThanOrEqual(all.count, 200)
    }

    func testModelOutputs() throws {
        for url in try cases("models") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            let outcome = try run(["create", "s-\(url.deletingPathExtension().lastPathComponent)", "--model", "a=\(input.lastPathComponent)", "--model", "b=m2.jsonl", "--annotators", "x"])
            check(outcome, case: url.lastPathComponent, names: url.lastPathComponent)
        }
    }

    func testReadyMadePairs() throws {
        for url in try cases("pairs") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            check(try run(["create", "p-\(url.deletingPathExtension().lastPathComponent)", "--pairs", input.lastPathComponent, "--annotators", "x"]),
                  case: url.lastPathComponent, names: url.lastPathComponent)
        }
    }

    func testRubrics() throws {
        let withLine: Set<String> = ["syntax-error.json", "bad-indent.yaml", "deep-flow-100000.yaml", "deep-block-3000.yaml", "deep-100000.json", "unclosed-quote.yaml"]
        for url in try cases("rubric") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            let outcome = try run(["create", "r-\(url.deletingPathExtension().lastPathComponent)", "--model", "a=m1.jsonl", "--model", "b=m2.jsonl", "--annotators", "x", "--rubric", input.lastPathComponent])
            check(outcome, case: url.lastPathComponent, names: url.lastPathComponent, line: withLine.contains(url.lastPathComponent))
        }
    }

    func testJournals() throws {
        XCTAssertEqual(try runBlindReview(["create", "s", "--model", "a=m1.jsonl", "--model", "b=m2.jsonl", "--annotators", "ann,bo"], in: folder).status, 0)
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let hash = try store.load().sha256
        let journal = store.journalFile(for: "ann")
        for url in try cases("journal") {
            var data = try Data(contentsOf: url)
            data = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "__HASH__", with: hash).utf8)
            if url.lastPathComponent == "invalid-utf8.jsonl" { data = try Data(contentsOf: url).replacing(Data("__HASH__".utf8), with: Data(hash.utf8)) }
            try data.write(to: journal)
            check(try run(["status", "s"]), case: url.lastPathComponent, names: "journals/ann.jsonl", line: true)
        }
    }

    func testStudyFiles() throws {
        // A key's folder must be the user's with mode 700 (issue 10).
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("private"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        XCTAssertEqual(try runBlindReview(["create", "s", "--model", "a=m1.jsonl", "--model", "b=m2.jsonl", "--annotators", "ann,bo", "--key", "private/key.json"], in: folder).status, 0)
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let original = try Data(contentsOf: store.studyFile)
        for url in try cases("study") {
            let edit = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            var json = try JSONSerialization.jsonObject(with: original) as! [String: Any]
            var annotators = json["annotators"] as! [[String: Any]]
            var queue = annotators[0]["queue"] as! [[String: Any]]
            var rubric = json["rubric"] as! [String: Any]
            var criteria = rubric["criteria"] as! [[String: Any]]
            var preference = rubric["preference"] as! [String: Any]
            var options = preference["options"] as! [[String: Any]]
            var raw: Data?
            switch edit {
            case "duplicate-item-ids": json["item_ids"] = (json["item_ids"] as! [String]) + [(json["item_ids"] as! [String])[0]]
            case "queue-missing-item": queue[0]["item"] = "pMISSING"
            case "rubric-min-above-max": criteria[0]["min"] = 5; criteria[0]["max"] = 1
            case "rubric-duplicate-criteria": criteria.append(criteria[0])
            case "rubric-scale-int-max": criteria[0]["max"] = Int.max
            case "rubric-empty": criteria = []; options = []
            case "newer-schema": json["schema_version"] = 99
            case "not-json": raw = Data("not json".utf8)
            case "annotator-bad-name": annotators[0]["name"] = "../x"
            case "duplicate-annotators": annotators[1]["name"] = annotators[0]["name"]
            case "same-response-both-sides": queue[0]["b"] = queue[0]["a"]
            case "queue-item-twice": queue[1] = queue[0]
            case "queue-foreign-response": queue[0]["a"] = queue[1]["a"]
            case "items-hash-mismatch": json["items_sha256"] = String(repeating: "0", count: 64)
            case "truncated": raw = original.prefix(original.count / 2)
            case "empty": raw = Data()
            case "annotators-not-list": json["annotators"] = "x"
            case "reserved-key-option": options[0]["key"] = "x"
            default: XCTFail("unknown edit \(edit)")
            }
            if raw == nil {
                preference["options"] = options
                rubric["criteria"] = criteria
                rubric["preference"] = preference
                json["rubric"] = rubric
                annotators[0]["queue"] = queue
                if edit != "annotators-not-list" { json["annotators"] = annotators }
                raw = try JSONSerialization.data(withJSONObject: json)
            }
            try raw!.write(to: store.studyFile)
            let command = edit == "items-hash-mismatch" ? ["export", "s", "--format", "dpo", "--key", "private/key.json"] : ["status", "s"]
            check(try run(command), case: url.lastPathComponent, names: edit == "items-hash-mismatch" ? "items.jsonl" : "study.json")
        }
    }

    func testImports() throws {
        XCTAssertEqual(try runBlindReview(["create", "ps", "--pairs", "pairs.jsonl", "--annotators", "ann,bo"], in: folder).status, 0)
        let journals = folder.appendingPathComponent("sessions/ps/journals")
        for url in try cases("import") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            check(try run(["import", "ps", input.lastPathComponent]), case: url.lastPathComponent, names: url.lastPathComponent)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: journals.path).filter { $0.hasSuffix(".jsonl") }, [], "\(url.lastPathComponent): a failed import wrote nothing")
        }
    }

    func testAgreementFiles() throws {
        for url in try cases("agreement") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            check(try run(["agreement", input.lastPathComponent, "--level", "ordinal"]), case: url.lastPathComponent, names: url.lastPathComponent)
        }
    }

    func testLeakTermFiles() throws {
        for url in try cases("leakterms") {
            let input = folder.appendingPathComponent(url.lastPathComponent)
            try FileManager.default.copyItem(at: url, to: input)
            check(try run(["create", "l-\(url.deletingPathExtension().lastPathComponent)", "--model", "a=m1.jsonl", "--model", "b=m2.jsonl", "--annotators", "x", "--leak-terms", input.lastPathComponent]),
                  case: url.lastPathComponent, names: url.lastPathComponent, line: true)
        }
    }

    func testCommandLineNamesAndFlags() throws {
        for url in try cases("names") {
            let arguments = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .newlines).components(separatedBy: "\t")
            check(try run(arguments), case: url.lastPathComponent, names: nil)
        }
        // Nothing was created outside the sessions folder, and no .. study replaced anything.
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("m1.jsonl").path))
    }
}
