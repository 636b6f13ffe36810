import Foundation

/// Every journal in a study folder, checked: each must carry this study's hash and its own annotator's name.
/// Journals that fail are listed in `refused` with the reason, and left out of `journals`. Each is folded without
/// keeping its events (`events` is empty, `eventCount` says how many there were).
///
///     let all = try StudyJournals.load(store: store, study: study, studySHA256: hash)
///     all.journals["alice"]?.state.slots[0].preference
public struct StudyJournals: Sendable {
    /// The people's journals (the annotators of `study.json` and of amendments), by annotator name.
    public var journals: [String: LoadedJournal]
    /// Judges' and adjudicators' journals, by name, each with the plan derived for it (``DerivedQueue``). Kept
    /// apart so that nothing counts them as people unless it asks for them.
    public var derived: [String: DerivedJournal] = [:]
    public var refused: [BlindReviewError]
    public var warnings: [BlindReviewWarning]
    /// Annotators whose journal exists but cannot be read by whoever runs the command (on a shared host an
    /// annotator cannot read the others' journals; see the README's blinding section).
    public var unreadable: [String] = []

    /// Journals are read in parallel (one per annotator); the result does not depend on the order. When the
    /// journals folder cannot be listed (a shared host's write-only folder), each annotator's journal is looked
    /// for by name.
    public static func load(store: StudyStore, study: Study, studySHA256: String) -> StudyJournals {
        load(store: store, study: study, studySHA256: studySHA256, progress: nil)
    }

    /// The same, advancing `progress` (in KB of journal read, its total set here) as each journal is folded.
    public static func load(store: StudyStore, study: Study, studySHA256: String, progress: ProgressReporter?) -> StudyJournals {
        var result = StudyJournals(journals: [:], refused: [], warnings: [])
        let fm = FileManager.default
        var files: [String]
        if let listed = try? fm.contentsOfDirectory(atPath: store.journalsFolder.path) {
            files = listed.filter { $0.hasSuffix(".jsonl") }.sorted()
        } else {
            files = study.annotators.map { $0.name + ".jsonl" }.filter { fm.fileExists(atPath: store.journalsFolder.appendingPathComponent($0).path) }
        }
        result.unreadable = files.filter { !fm.isReadableFile(atPath: store.journalsFolder.appendingPathComponent($0).path) }
            .map { String($0.dropLast(".jsonl".count)) }
        let unreadable = result.unreadable
        files.removeAll { unreadable.contains(String($0.dropLast(".jsonl".count))) }
        let readable = files
        let sizes = readable.map { (try? FileManager.default.attributesOfItem(atPath: store.journalsFolder.appendingPathComponent($0).path)[.size] as? Int) ?? 0 }
        let kilobyte = 1 << 10
        progress?.update(0, total: max(1, sizes.reduce(0, +) / kilobyte))
        let progressLock = NSLock()
        let loaded = ResultSlots<Result<LoadedJournal, BlindReviewError>>(count: readable.count)
        let derivedPlans = ResultSlots<AnnotatorPlan?>(count: readable.count)
        DispatchQueue.concurrentPerform(iterations: readable.count) { index in
            let annotator = String(readable[index].dropLast(".jsonl".count))
            let url = store.journalsFolder.appendingPathComponent(readable[index])
            let outcome: Result<LoadedJournal, BlindReviewError>
            if study.plan(for: annotator) == nil {
                let derived = loadDerived(url: url, annotator: annotator, study: study, studySHA256: studySHA256, store: store)
                outcome = derived.map(\.journal)
                derivedPlans.set(index, try? derived.get().plan)
            } else {
                do {
                    outcome = .success(try JournalLoader.load(url, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: false))
                } catch let error as BlindReviewError {
                    outcome = .failure(error)
                } catch {
                    outcome = .failure(BlindReviewError(file: url.path, message: "\(error)"))
                }
            }
            loaded.set(index, outcome)
            if let progress {
                progressLock.lock()
                let values = loaded.values
                let done = values.indices.filter { values[$0] != nil }.reduce(0) { $0 + sizes[$1] }
                progress.update(done / kilobyte)
                progressLock.unlock()
            }
        }
        for (index, outcome) in loaded.values.enumerated() {
            switch outcome! {
            case .success(let journal):
                let name = String(files[index].dropLast(".jsonl".count))
                if let kind = journal.header.kind, kind != .human, let plan = derivedPlans.values[index] ?? nil {
                    result.derived[name] = DerivedJournal(kind: kind, plan: plan, journal: journal)
                } else {
                    result.journals[name] = journal
                }
                result.warnings += journal.warnings
            case .failure(let error):
                result.refused.append(error)
            }
        }
        return result
    }
}

extension StudyJournals {
    /// A journal that is not a person's of the study: accepted when its header says judge or adjudicator, loaded
    /// against its derived plan; refused otherwise.
    static func loadDerived(
        url: URL, annotator: String, study: Study, studySHA256: String, store: StudyStore
    ) -> Result<(journal: LoadedJournal, plan: AnnotatorPlan), BlindReviewError> {
        let kind = JournalHeaderPeek.kind(of: url)
        guard let kind, kind != .human else {
            return .failure(BlindReviewError(
                file: url.path, message: "\"\(annotator)\" is not an annotator of study \"\(study.name)\"; journal refused",
                fix: "if the lead added \(annotator) with `amend add-annotator`, amendments.jsonl is an older copy: restore the lead's (keep this journal, it holds saved work); otherwise name a journal after its annotator, or move it out of journals/"))
        }
        do {
            // The people's queues name nearly every pair; items.jsonl is read only when one is missing.
            let plan = try (try? DerivedQueue.plan(name: annotator, kind: kind, study: study))
                ?? DerivedQueue.plan(name: annotator, kind: kind, study: study, items: try? store.loadItems(for: study))
            let journal = try JournalLoader.load(url, study: study.adding(plan), studySHA256: studySHA256, annotator: annotator, keepingEvents: false)
            return .success((journal, plan))
        } catch let error as BlindReviewError {
            return .failure(error.file == nil ? BlindReviewError(file: url.path, message: error.message, fix: error.fix) : error)
        } catch {
            return .failure(BlindReviewError(file: url.path, message: "\(error)"))
        }
    }
}

/// A judge's or an adjudicator's journal with the plan derived for it.
public struct DerivedJournal: Sendable {
    public var kind: AnnotatorKind
    public var plan: AnnotatorPlan
    public var journal: LoadedJournal
}

/// Reads only the first line of a journal to learn its kind (nil when it is not a readable header).
enum JournalHeaderPeek {
    static func kind(of url: URL) -> AnnotatorKind? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var line = Data()
        while line.count < 64 * 1024, let chunk = try? handle.read(upToCount: 4096), !chunk.isEmpty {
            if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                line.append(chunk[chunk.startIndex..<newline])
                break
            }
            line.append(chunk)
        }
        guard let header = try? JSONDecoder().decode(JournalHeader.self, from: line), header.type == "header" else { return nil }
        return AnnotatorKind.of(header.kind)
    }
}

/// Results written by concurrent workers, one slot each, behind a lock.
///
///     let slots = ResultSlots<Int>(count: 4)
///     DispatchQueue.concurrentPerform(iterations: 4) { slots.set($0, $0 * $0) }
///     slots.values   // [0, 1, 4, 9]
public final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    public var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
