import Foundation

/// `blindreview check`: verifies a study folder, every journal in it and the key, one line each.
///
///     for line in StudyCheck.run(store: store, keyFile: store.defaultKeyFile) { print(line.text) }
///     // ok    study.json: study "demo", 20 pairs, 3 annotators
///     // ok    key sessions/.keys/demo.json: belongs to this study
public enum StudyCheck {
    public struct Line: Sendable {
        public var ok: Bool
        public var text: String
    }

    public static func run(store: StudyStore, keyFile: URL) -> [Line] {
        var lines: [Line] = []
        func ok(_ text: String) { lines.append(Line(ok: true, text: text)) }
        func bad(_ text: String) { lines.append(Line(ok: false, text: text)) }
        let study: Study, hash: String
        do {
            (study, hash) = try store.load()
            // Without the key, hidden repeats cannot be told from pairs; the key is read below, for the count too.
            let repeats = RepeatMap(study: study, key: try? StudyStore.loadKey(at: keyFile, for: study))
            let pairs = repeats.pairsDescription(in: study)
            ok("study.json: study \"\(study.name)\", \(pairs), \(study.annotators.count) annotators")
            if !study.amendments.isEmpty {
                ok("\(AmendmentLog.fileName): \(study.amendments.count) amendment\(study.amendments.count == 1 ? "" : "s"), numbered and chained in order, each fits the study")
            }
            for warning in study.amendmentWarnings { bad("\(warning)") }
        } catch {
            bad("\(error)")
            return lines
        }
        do {
            _ = try store.loadItems(for: study)
            ok("items.jsonl: matches study.json")
        } catch {
            bad("\(error)")
        }
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        for (annotator, journal) in journals.journals.sorted(by: { $0.key < $1.key }) {
            let done = study.plan(for: annotator).map { plan in plan.queue.indices.filter { journal.state.slots[$0].isComplete(rubric: study.rubric, entry: plan.queue[$0]) }.count } ?? 0
            ok("journals/\(annotator).jsonl: \(journal.eventCount) events, \(done) \(done == 1 ? "pair" : "pairs") complete")
        }
        for (name, derived) in journals.derived.sorted(by: { $0.key < $1.key }) {
            ok("journals/\(name).jsonl: \(derived.journal.eventCount) events, \(DerivedProgress(derived).description) (not an annotator)")
        }
        for warning in journals.warnings { bad("\(warning)") }
        for refused in journals.refused { bad("\(refused)") }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: store.journalsFolder.path)) ?? []
        for orphan in files.sorted() where orphan.contains(".jsonl.orphan-") {
            let annotator = orphan.components(separatedBy: ".jsonl.orphan-")[0]
            bad("journals/\(orphan): an older copy kept when the journal was replaced; merge it with `blindreview journal merge \(store.folder.path) \(store.journalsFolder.appendingPathComponent(orphan).path) --annotator \(annotator)`, then move it away")
        }
        do {
            _ = try StudyStore.loadKey(at: keyFile, for: study)
            ok("key \(keyFile.path): belongs to this study (back it up: a lost key cannot be recovered)")
            do {
                try KeyLocation.checkFolder(keyFile.deletingLastPathComponent())
            } catch {
                bad("\(error)")
            }
        } catch {
            bad("\(error)")
        }
        return lines
    }
}
