import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import SeededRandom
import XCTest

/// `import` and the dpo/csv exports were rewritten for speed (issue 13): these tests run the fast paths and the
/// code they replaced (``LegacyJudgmentImport``, ``LegacyPreferenceExport``) on the same seeded studies and
/// inputs and require the same journal bytes, summaries, errors and exported bytes. The inputs carry what tends
/// to break such rewrites: non-ASCII and comma-holding ids, three models behind one id (rows naming the models,
/// some in the other order), ids with a spreadsheet quote, empty cells, ties, graded strengths, hand-made
/// judgments (notes, flags, undos, visits) already in the journals, re-imports, `--replace`, and damaged rows.
final class ImportExportFastPathTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-fastpath-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    static let annotators = ["ann", "bo", "cy", "dee"]
    /// A fixed clock, so that journals written by either path are comparable byte for byte.
    static let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000.25) }

    /// Source ids: plain, non-ASCII, with a comma and a quote; the ids of `threeModel` pairs also compare
    /// `tuned` with `third`.
    static func sourceID(_ i: Int) -> String {
        switch i % 5 {
        case 1: return "q\(i)-é"
        case 2: return "q\(i), part \"b\""
        case 3: return "问\(i)"
        case 4: return "=q\(i)"
        default: return "q\(i)"
        }
    }
    static func threeModel(_ i: Int) -> Bool { i % 7 == 3 }

    /// A seeded study of `count` prompts under `rubric`: every annotator has most pairs (per item 3 of 4), one
    /// hidden repeat each. Returns the study folder's parent (`sessions/`), which holds the key too.
    func makeStudy(_ name: String, count: Int, rubric: Rubric = .standard) throws -> (StudyStore, StudyKey) {
        var pairs: [CandidatePair] = []
        for i in 0..<count {
            pairs.append(CandidatePair(
                sourceID: Self.sourceID(i), prompt: [.user("Question \(i): ½ « quoted »?")], reference: nil,
                first: ModelResponse(model: "base", turns: ["base answer \(i), with \"quotes\""]),
                second: ModelResponse(model: "tuned", turns: ["tuned answer \(i) — ünïcode"])))
            if Self.threeModel(i) {
                pairs.append(CandidatePair(
                    sourceID: Self.sourceID(i), prompt: [.user("Question \(i): ½ « quoted »?")], reference: nil,
                    first: ModelResponse(model: "tuned", turns: ["tuned answer \(i) — ünïcode"]),
                    second: ModelResponse(model: "third", turns: ["third answer \(i)"])))
            }
        }
        let store = StudyStore(folder: folder.appendingPathComponent("\(name)/sessions/s"))
        let built = try StudyBuilder.build(
            pairs: pairs, models: ["base", "tuned", "third"],
            options: StudyOptions(name: "s", seed: 17, annotators: Self.annotators, perItem: 3, repeats: 1, rubric: rubric))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        return (store, built.key)
    }

    /// The same study in a second folder (copied, so study.json and its hash are the same).
    func copy(_ from: String, to: String) throws -> StudyStore {
        try FileManager.default.copyItem(at: folder.appendingPathComponent(from), to: folder.appendingPathComponent(to))
        return StudyStore(folder: folder.appendingPathComponent("\(to)/sessions/s"))
    }

    /// Seeded judgment rows in import's CSV form (with model columns and, for graded rubrics, strength): for
    /// most (pair, annotator) of the study's queues, in input order.
    func rows(_ store: StudyStore, key: StudyKey, seed: UInt64, graded: Bool = false) throws -> String {
        var rng = SplitMix64(seed: seed)
        let study = try store.load().study
        let criteria = Rubric.standard.criteria.map(\.id)
        var out = "id,annotator,model_a,model_b,preference" + (graded ? ",strength" : "") + "," + criteria.flatMap { ["\($0)_a", "\($0)_b"] }.joined(separator: ",") + "\n"
        for pair in key.pairsInInputOrder(study: study) {
            let entry = key.pairs[pair]!
            let order = entry.inputOrder!.map { entry.responses[$0]! }
            let named = key.pairs.values.filter { $0.sourceID == entry.sourceID && $0.repeatOf == nil }.count > 1
            for annotator in Self.annotators where study.plan(for: annotator)!.queue.contains(where: { $0.item == pair }) && rng.below(5) > 0 {
                let swap = named && rng.below(2) == 0
                let preference = ["a", "b", "tie", "", "A", "TIE"][rng.below(6)]
                // Ids as export writes them: one starting with = gets a leading ' (import takes it off).
                var row = [PreferenceExport.csvField(SpreadsheetSafety.neutralise(entry.sourceID)), annotator, named ? order[swap ? 1 : 0] : "", named ? order[swap ? 0 : 1] : "", preference]
                if graded {
                    let strength = preference.lowercased() == "tie" ? 0 : [1, 2, 1][rng.below(3)] * (preference.lowercased() == "b" ? -1 : 1)
                    row.append(preference.isEmpty || rng.below(4) == 0 ? "" : String(strength))
                }
                for _ in criteria {
                    for _ in 0..<2 { row.append(rng.below(6) == 0 ? "" : String(1 + rng.below(5))) }
                }
                out += row.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// The same rows as JSONL (numbers as numbers, empty cells as null).
    func jsonl(fromCSV text: String) throws -> String {
        var table = CSVTable(data: Data(text.utf8), file: "rows.csv")
        let header = try table.header()
        var out = ""
        while let (values, _) = try table.next() {
            var object: [String: Any] = [:]
            for (name, cell) in zip(header, values) {
                // JSONL has no spreadsheet quote to take off.
                let value = cell.hasPrefix("'") ? String(cell.dropFirst()) : cell
                if value.isEmpty { object[name] = NSNull() } else if name.hasSuffix("_a") || name.hasSuffix("_b"), !name.hasPrefix("model"), let number = Int(value) { object[name] = number } else { object[name] = value }
            }
            out += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        return out
    }

    func write(_ text: String, _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Every journal file (name to bytes) of a study.
    func journals(_ store: StudyStore) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: store.journalsFolder.path)) ?? [] where name.hasSuffix(".jsonl") {
            result[name] = try? Data(contentsOf: store.journalsFolder.appendingPathComponent(name))
        }
        return result
    }

    /// Runs both imports, each on its own copy; both succeed with the same summary and journals, or both fail
    /// with the same error and leave the same journals.
    /// Returns the fast path's summary, nil when it failed.
    @discardableResult
    func compareImports(_ fast: StudyStore, _ old: StudyStore, key: StudyKey, file: String, replace: Bool = false, line: UInt = #line) throws -> JudgmentImport.Summary? {
        var fastResult: Result<JudgmentImport.Summary, Error>
        var oldResult: Result<JudgmentImport.Summary, Error>
        fastResult = Result { try JudgmentImport.run(store: fast, key: key, file: file, replace: replace, now: Self.clock) }
        oldResult = Result { try LegacyJudgmentImport.run(store: old, key: key, file: file, replace: replace, now: Self.clock) }
        switch (fastResult, oldResult) {
        case (.success(let a), .success(let b)):
            XCTAssertEqual(a.imported, b.imported, line: line)
            XCTAssertEqual(a.annotators, b.annotators, line: line)
            XCTAssertEqual(a.alreadyImported, b.alreadyImported, line: line)
            XCTAssertEqual(a.replaced, b.replaced, line: line)
        case (.failure(let a), .failure(let b)):
            XCTAssertEqual("\(a)", "\(b)", line: line)
        default:
            XCTFail("one path failed, the other did not: fast \(fastResult), old \(oldResult)", line: line)
        }
        let (a, b) = (journals(fast), journals(old))
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), line: line)
        for (name, bytes) in a { XCTAssertTrue(bytes == b[name], "\(name) differs", line: line) }
        return try? fastResult.get()
    }

    /// Hand-made judgments in every journal but one: preferences, scores, notes (non-ASCII, commas, quotes,
    /// a line break), a flag, visits with active seconds, and undos.
    func judgeByHand(_ store: StudyStore, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let (study, hash) = try store.load()
        for name in Self.annotators.dropLast() {
            let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: name, now: Self.clock)
            let queue = study.plan(for: name)!.queue
            for (slot, entry) in queue.enumerated() where rng.below(3) == 0 {
                try writer.append(JournalEvent(type: .open, slot: slot, item: entry.item))
                try writer.append(.preference(slot: slot, item: entry.item, option: ["a", "b", "tie"][rng.below(3)]))
                try writer.append(.rating(slot: slot, item: entry.item, response: entry.a, criterion: "accuracy", value: 1 + rng.below(5)))
                if rng.below(2) == 0 { try writer.undo() }
                if rng.below(3) == 0 {
                    try writer.append(.note(slot: slot, item: entry.item, text: ["crème, \"brûlée\"", "two\nlines", "=SUM(A1)", "plain"][rng.below(4)]))
                }
                if rng.below(6) == 0 { try writer.append(JournalEvent(type: .flag, slot: slot, item: entry.item, option: "unsure", text: "not sure, «really»")) }
                try writer.append(JournalEvent(type: .leave, slot: slot, item: entry.item, activeSeconds: Double(rng.below(400)) / 8))
            }
        }
    }

    func testImportWritesWhatTheOldImportWroteThenReimportsAndReplacesAlike() throws {
        let (fast, key) = try makeStudy("fast", count: 40)
        try judgeByHand(fast, seed: 4)
        let old = try copy("fast", to: "old")
        let csv = try write(rows(fast, key: key, seed: 1), "rows.csv")
        let first = try compareImports(fast, old, key: key, file: csv, replace: true)
        XCTAssertGreaterThan(first?.imported ?? 0, 60)
        XCTAssertGreaterThan(first?.replaced ?? 0, 0, "some rows change hand-made values")
        // The same rows again: already imported; then other values: refused without --replace, written with it.
        XCTAssertEqual(try compareImports(fast, old, key: key, file: csv)?.alreadyImported, first?.imported)
        let changed = try write(rows(fast, key: key, seed: 2), "changed.csv")
        XCTAssertNil(try compareImports(fast, old, key: key, file: changed))
        XCTAssertGreaterThan(try compareImports(fast, old, key: key, file: changed, replace: true)?.replaced ?? 0, 0)
        // JSONL of other rows, into journals that now hold imported and hand-made values.
        let lines = try write(jsonl(fromCSV: rows(fast, key: key, seed: 3)), "rows.jsonl")
        XCTAssertNotNil(try compareImports(fast, old, key: key, file: lines, replace: true))
        // The writer's lazily folded state is what a fresh load folds.
        let (study, hash) = try fast.load()
        for name in Self.annotators {
            let writer = try JournalWriter.open(store: fast, study: study, studySHA256: hash, annotator: name, now: Self.clock)
            let loaded = try JournalLoader.load(fast.journalFile(for: name), study: study, studySHA256: hash, annotator: name)
            XCTAssertEqual(writer.state, loaded.state)
            XCTAssertEqual(writer.events, loaded.events)
        }
    }

    func testGradedStrengthsImportAlike() throws {
        let rubric = Rubric(name: "graded", criteria: Rubric.standard.criteria, preference: GradedPreferenceTests.scale)
        let (fast, key) = try makeStudy("fast", count: 30, rubric: rubric)
        let old = try copy("fast", to: "old")
        XCTAssertGreaterThan(try compareImports(fast, old, key: key, file: try write(rows(fast, key: key, seed: 9, graded: true), "graded.csv"))?.imported ?? 0, 30)
    }

    /// Damaged inputs are refused by both with the same file, line and message, and nothing is written.
    func testDamagedRowsAreRefusedAlike() throws {
        let (fast, key) = try makeStudy("fast", count: 12)
        try judgeByHand(fast, seed: 8)
        let old = try copy("fast", to: "old")
        let good = "q0,ann,,,a,3,4\n"
        let header = "id,annotator,model_a,model_b,preference,accuracy_a,accuracy_b\n"
        let cases: [(String, String)] = [
            ("unknown id", header + good + "nope,ann,,,a,1,2\n"),
            ("unknown annotator", header + good + "q0,zed,,,a,1,2\n"),
            ("bad preference", header + good + "q5,bo,,,maybe,1,2\n"),
            ("bad score", header + good + "q5,bo,,,a,9,2\n"),
            ("not a number", header + good + "q5,bo,,,a,x,2\n"),
            ("quoted score", header + good + "q5,bo,,,a,'3,2\n"),
            ("empty id", header + good + ",bo,,,a,1,2\n"),
            ("twice", header + good + "q0,ann,,,b,1,2\n"),
            ("one model", header + good + "问3,ann,base,,b,1,2\n"),
            ("no such models", header + "\"问3\",ann,base,nobody,b,1,2\n"),
            ("three models, none named", header + "\"问3\",ann,,,b,1,2\n"),
            ("short row", header + good + "q5,bo,,,a,1\n"),
            ("unknown criterion", "id,annotator,preference,speed_a\nq0,ann,a,3\n"),
            ("no preference column", "id,annotator,accuracy_a\nq0,ann,3\n"),
            ("column twice", "id,annotator,preference,ID\nq0,ann,a,q0\n"),
            ("empty", ""),
            ("bad strength", "id,annotator,preference,strength\nq0,ann,a,7\n"),
        ]
        for (name, text) in cases {
            XCTAssertNil(try compareImports(fast, old, key: key, file: try write(text, "bad.csv")), name)
        }
        let jsonCases = [
            "{\"id\":\"q0\",\"annotator\":\"ann\",\"preference\":true}\n",
            "{\"id\":\"q0\",\"annotator\":\"ann\",\"preference\":\"a\",\"accuracy_a\":4.5}\n",
            "{\"id\":\"q0\",\"annotator\":\"ann\",\"preference\":\"a\"}\n{\"id\":\"q0\",\"annotator\":\"ann\"}\n",
            "{\"id\":\"q0\",\"annotator\":\"ann\",\"preference\":\"a\"}\nnot json\n",
            "{\"id\":\"q0\",\"annotator\":\"ann\",\"preference\":[1]}\n",
        ]
        for text in jsonCases { XCTAssertNil(try compareImports(fast, old, key: key, file: try write(text, "bad.jsonl")), text) }
        // A row clashing with a hand-made value, refused the same way.
        let (study, _) = try fast.load()
        let slot = study.plan(for: "ann")!.queue.firstIndex { key.pairs[$0.item]?.repeatOf == nil }!
        let source = key.pairs[study.plan(for: "ann")!.queue[slot].item]!.sourceID
        for preference in ["a", "b", "tie"] {
            let text = "id,annotator,preference\n" + PreferenceExport.csvField(source) + ",ann,\(preference)\n"
            try compareImports(fast, old, key: key, file: try write(text, "clash.csv"))
        }
    }

    /// The csv and dpo exports of a study with imported and hand-made judgments (notes, flags, seconds,
    /// repeats, three models) are the old exports' bytes, under several policies.
    func testExportsAreTheOldExportsBytes() throws {
        let (store, key) = try makeStudy("fast", count: 60)
        try judgeByHand(store, seed: 12)
        _ = try JudgmentImport.run(store: store, key: key, file: try write(rows(store, key: key, seed: 13), "rows.csv"), replace: true, now: Self.clock)
        let (study, hash) = try store.load()
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        let votes = StudyVotes.collect(study: study, journals: journals.journals, repeats: RepeatMap(study: study, key: key))
        XCTAssertGreaterThan(votes.votes.count, 100)
        XCTAssertTrue(votes.votes.contains { $0.isRepeat })
        XCTAssertTrue(votes.votes.contains { $0.judgment.note != nil })
        let pseudonyms = Pseudonyms(key: key)
        for raw in [false, true] {
            XCTAssertEqual(
                PreferenceExport.csv(study: study, key: key, votes: votes, raw: raw),
                LegacyPreferenceExport.csv(study: study, key: key, votes: votes, raw: raw))
            XCTAssertEqual(
                PreferenceExport.csv(study: study, key: key, votes: votes, raw: raw, annotator: pseudonyms.callAsFunction),
                LegacyPreferenceExport.csv(study: study, key: key, votes: votes, raw: raw, annotator: pseudonyms.callAsFunction))
        }
        var items: [String: StudyItem] = [:]
        for item in try store.loadItems(for: study).all() { items[item.id] = item }
        var policies = [PreferenceExport.Policy(), PreferenceExport.Policy(countTies: false, minAgreement: 0.6, minChosenScore: 3)]
        policies.append(PreferenceExport.Policy(conversational: true, template: .chatml))
        var margin = PreferenceExport.Policy()
        margin.minMargin = 0.5
        policies.append(margin)
        for policy in policies {
            let fast = PreferenceExport.dpo(study: study, items: items, key: key, votes: votes, policy: policy)
            let old = LegacyPreferenceExport.dpo(study: study, items: items, key: key, votes: votes, policy: policy)
            XCTAssertEqual(fast.lines, old.lines)
            XCTAssertEqual(fast.skipped, old.skipped)
            XCTAssertFalse(fast.lines.isEmpty)
        }
        XCTAssertEqual(key.pairsInInputOrder(study: study), LegacyPreferenceExport.pairsInInputOrder(key, study: study))
    }

    /// An import written in parts (a journal's events over several writes) gives the same bytes, and a failed
    /// write of a later part cuts every journal back to where it was.
    func testAnImportInPartsWritesTheSameAndRollsBackWhole() throws {
        let (fast, key) = try makeStudy("fast", count: 30)
        try judgeByHand(fast, seed: 21)
        let old = try copy("fast", to: "old")
        let spare = try copy("fast", to: "spare")
        let csv = try write(rows(fast, key: key, seed: 22), "rows.csv")
        let (study, hash) = try fast.load()
        let summary = try JudgmentImport.run(
            store: fast, key: key, file: csv, replace: true, io: .system, study: (study, hash), now: Self.clock, eventsPerWrite: 7, progress: nil)
        let legacy = try LegacyJudgmentImport.run(store: old, key: key, file: csv, replace: true, now: Self.clock)
        XCTAssertEqual(summary.imported, legacy.imported)
        XCTAssertEqual(journals(fast), journals(old))
        let before = journals(spare)
        let counter = WriteCounter()
        counter.failAt = 5  // the first journal's parts are written, a later one fails
        XCTAssertThrowsError(try JudgmentImport.run(
            store: spare, key: key, file: csv, replace: true, io: counter.io, study: (study, hash), now: Self.clock, eventsPerWrite: 7, progress: nil)) { error in
            XCTAssertTrue("\(error)".contains("cut back"), "\(error)")
        }
        XCTAssertEqual(counter.calls, 5)
        XCTAssertEqual(journals(spare), before, "every journal as it was")
    }
}
