import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import SeededRandom
import XCTest

/// Seeded mutations of valid inputs, fed to every reader in process: each must return or throw, never trap and
/// never hang (a watchdog per reader; no timing is asserted otherwise). A trap ends the test run, which fails.
final class InputFuzzTests: XCTestCase {
    var folder: URL!
    var rng = SplitMix64(seed: 20261201)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-fuzz-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    static let tokens: [[UInt8]] = [
        "\"", "{", "}", "[", "]", ",", ":", "\n", "\r\n", "\0", "\u{1B}[31m", "null", "true", "false", "-1", "0",
        "9223372036854775807", "99999999999999999999999", "1e400", "NaN", "-", "1.5", "\\u0000", "\\ud800", "'", "#", "- ",
        "  ", "\t", "&a", "*a", "!!binary", "é", "👩‍💻", "\u{202E}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]

    /// One mutation: flip, delete, duplicate, insert a token, or truncate.
    func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...rng.below(3) {
            guard !bytes.isEmpty else { return Self.tokens[rng.below(Self.tokens.count)] }
            let at = rng.below(bytes.count)
            switch rng.below(5) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(8)))
            case 2: let end = min(bytes.count, at + 1 + rng.below(16)); bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 3: bytes.insert(contentsOf: Self.tokens[rng.below(Self.tokens.count)], at: at)
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }

    /// Runs `body` on each of `count` mutations of `seed`. A watchdog ends the run with the reader's name if
    /// it has not finished in five minutes (a hang; the work itself takes well under a second).
    func fuzz(_ name: String, _ seed: String, count: Int = 600, _ body: ([UInt8]) -> Void) {
        let watchdog = DispatchWorkItem { fatalError("fuzz: the \(name) reader hung") }
        DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: watchdog)
        defer { watchdog.cancel() }
        for _ in 0..<count { body(mutate(Array(seed.utf8))) }
    }

    func testEveryReaderSurvivesMutatedInput() throws {
        let folder = self.folder!
        let file = folder.appendingPathComponent("input").path
        func write(_ bytes: [UInt8], _ suffix: String) -> String {
            let path = file + suffix
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return path
        }
        let models = (1...4).map { #"{"id": "q\#($0)", "prompt": "Q\#($0)?", "response": "A \#($0)", "messages": [{"role": "user", "content": "hi"}]}"# }.joined(separator: "\n")
        fuzz("model outputs", models) { bytes in _ = try? ModelOutputs.load(model: "m", path: write(bytes, ".jsonl")) }
        let mtbench = #"{"question_id": 81, "model_id": "m", "choices": [{"index": 0, "turns": ["a", "b"]}]}"#
        fuzz("MT-Bench answers", mtbench) { bytes in _ = try? ModelOutputs.load(model: "m", path: write(bytes, ".jsonl")) }
        let pairs = #"{"id": "p1", "prompt": "Q?", "response_a": "a", "response_b": "b", "mapping": {"a": "m1", "b": "m2"}, "reference": "r"}"#
        fuzz("pairs", pairs) { bytes in _ = try? ComparisonSource.pairs(fromFile: write(bytes, ".jsonl")) }
        let yaml = """
            name: r
            criteria:
              - id: acc
                name: Accuracy
                min: 1
                max: 5
                anchors: {1: bad, 5: good}
            preference:
              question: Which?
              options:
                - {id: a, label: A, key: a, favours: a}
                - {id: b, label: B, key: b, favours: b}
            """
        fuzz("rubric YAML", yaml) { bytes in _ = try? RubricLoader.load(path: write(bytes, ".yaml")) }
        let json = String(decoding: CanonicalJSON.encode(Rubric.standard, pretty: true), as: UTF8.self)
        fuzz("rubric JSON", json, count: 300) { bytes in _ = try? RubricLoader.load(path: write(bytes, ".json")) }
        fuzz("agreement CSV", "item,rater,value\n1,ann,1\n1,bo,2\n2,ann,3\n\"2\",bo,\"3\"\n") { bytes in
            for level in [MeasurementLevel.nominal, .ordinal] {
                if let ratings = try? RatingsCSV.read(Data(bytes), file: "f.csv", level: level) {
                    _ = AgreementSummary.compute(ratings.data, level: level)
                }
            }
        }
        fuzz("leak terms", "model: Northwind\nvendor: Acme Labs\n# c\n") { bytes in
            if let terms = try? LeakTerm.parse(String(decoding: bytes, as: UTF8.self), file: "t") {
                _ = LeakScanner(models: [], extraTerms: terms).matches(in: "I am Northwind by Acme Labs")
            }
        }
        fuzz("leak scanner", "I am G\u{200B}PT-4o-mini, developed by Microsoft. Ｃｌａｕｄｅ") { bytes in
            _ = LeakScanner(models: ["x-model"]).redact(String(decoding: bytes, as: UTF8.self))
        }

        // A real study for the journal, study.json and import readers.
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let candidates = (1...4).map { i in
            CandidatePair(sourceID: "p\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "m1", turns: ["a\(i)"]), second: ModelResponse(model: "m2", turns: ["b\(i)"]))
        }
        let built = try StudyBuilder.build(pairs: candidates, models: ["m1", "m2"], options: StudyOptions(name: "s", seed: 1, annotators: ["ann", "bo"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        let entry = study.annotators[0].queue[0]
        let journal = """
            {"annotator":"ann","created":"2026-12-01T00:00:00.000Z","schema":1,"study":"s","study_sha256":"\(hash)","type":"header"}
            {"item":"\(entry.item)","seq":1,"slot":0,"t":"2026-12-01T00:00:01.000Z","type":"open"}
            {"criterion":"accuracy","item":"\(entry.item)","response":"\(entry.a)","seq":2,"slot":0,"t":"x","type":"rating","value":4}
            {"item":"\(entry.item)","option":"b","seq":3,"slot":0,"t":"x","type":"preference"}
            {"seq":4,"t":"x","target":3,"type":"undo"}
            {"active_seconds":41.2,"item":"\(entry.item)","seq":5,"slot":0,"t":"x","type":"leave"}

            """
        fuzz("journal", journal) { bytes in
            _ = try? JournalLoader.load(data: Data(bytes), file: "j", study: study, studySHA256: hash, annotator: "ann")
        }
        let studyText = String(decoding: try Data(contentsOf: store.studyFile), as: UTF8.self)
        let studyFile = store.studyFile
        fuzz("study.json", studyText, count: 300) { bytes in
            do {
                FileManager.default.createFile(atPath: studyFile.path, contents: Data(bytes))
                if let (loaded, _) = try? store.load() {
                    _ = StudyStatus.progress(study: loaded, journals: [:], repeats: RepeatMap(study: loaded, key: nil))
                }
            }
        }
        fuzz("import CSV", "id,annotator,preference,accuracy_a,accuracy_b\np1,ann,a,4,2\np2,bo,tie,,\n") { bytes in
            _ = try? JudgmentImport.read(file: write(bytes, ".csv"), rubric: .standard)
        }
        fuzz("import JSONL", #"{"id": "p1", "annotator": "ann", "preference": "a", "accuracy_a": 4}"#) { bytes in
            _ = try? JudgmentImport.read(file: write(bytes, ".jsonl"), rubric: .standard)
        }
    }
}
