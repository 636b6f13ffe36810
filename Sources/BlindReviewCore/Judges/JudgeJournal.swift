import Foundation

/// A judge's journal opened for writing: the judge's lock, its derived plan (every pair in both orders, see
/// ``DerivedQueue``) and a writer. `import-judge` and `judge` both write through it, so a judge's verdicts are
/// journaled exactly like an annotator's.
///
///     let judge = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "gpt4")
///     defer { judge.close() }
///     try judge.writer.append(.preference(slot: 0, item: judge.plan.queue[0].item, option: "a"))
public final class JudgeJournal: @unchecked Sendable {
    public let name: String
    public let plan: AnnotatorPlan
    /// The study with the judge's plan added (what the journal is read against).
    public let study: Study
    public let writer: JournalWriter
    /// True when this open created the journal (it held nothing before).
    public let created: Bool
    private let lock: AnnotatorLock

    /// Checks the name (an annotator name, not one of the study's people, not another kind's journal), takes
    /// the judge's lock (a running `judge` for the same name is named with its PID) and opens the journal.
    public static func open(store: StudyStore, study: Study, studySHA256: String, judge: String, io: FileIO = .system) throws -> JudgeJournal {
        guard AnnotatorName.isValid(judge) else {
            throw BlindReviewError(
                message: "judge name \"\(VisibleText.line(judge))\" is not allowed",
                fix: "use 1-64 letters, digits, '.', '_' or '-' (for example gpt-4o)")
        }
        if study.plan(for: judge) != nil {
            throw BlindReviewError(
                message: "\"\(judge)\" is an annotator of study \"\(study.name)\" (a person); a judge needs a name of its own",
                fix: "name the judge differently, e.g. --judge \(judge)-llm")
        }
        let items = try? store.loadItems(for: study)
        let plan = try (try? DerivedQueue.plan(name: judge, kind: .judge, study: study))
            ?? DerivedQueue.plan(name: judge, kind: .judge, study: study, items: items)
        let lock = try AnnotatorLock.acquire(store: store, annotator: judge)
        let extended = study.adding(plan)
        let url = store.journalFile(for: judge)
        let existed = FileManager.default.fileExists(atPath: url.path)
        do {
            let writer = try JournalWriter.open(store: store, study: extended, studySHA256: studySHA256, annotator: judge, io: io)
            return JudgeJournal(name: judge, plan: plan, study: extended, writer: writer, created: !existed, lock: lock)
        } catch {
            lock.release()
            throw error
        }
    }

    private init(name: String, plan: AnnotatorPlan, study: Study, writer: JournalWriter, created: Bool, lock: AnnotatorLock) {
        self.name = name
        self.plan = plan
        self.study = study
        self.writer = writer
        self.created = created
        self.lock = lock
    }

    /// The preference option that favours `side` (plain strength) or, with nil, the tie.
    public func option(favouring side: Side?) -> String? {
        JudgeJournal.option(favouring: side, rubric: study.rubric)
    }

    public static func option(favouring side: Side?, rubric: Rubric) -> String? {
        let options = rubric.preference.options
        return (options.first { $0.favours == side && (side == nil || ($0.strength ?? 1) == 1) } ?? options.first { $0.favours == side })?.id
    }

    /// Whether the slot already holds a verdict (a preference or an error).
    public func isDecided(_ slot: Int) -> Bool {
        let judgment = writer.state.slots[slot]
        return judgment.preference != nil || judgment.verdictError != nil
    }

    /// Releases the judge's lock; removes the journal again when this open created it and nothing was written.
    public func close(removeIfEmpty: Bool = true) {
        if removeIfEmpty, created, writer.state.lastSeq == 0 { unlink(writer.url.path) }
        lock.release()
    }
}
