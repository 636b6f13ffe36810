import Foundation

/// Judges' and adjudicators' journals that belong to another user than the one running the command.
///
/// On a shared host every annotator can add a file to `journals/` (they must, to create their own), so one of them
/// could add a journal whose header says it is an adjudicator's or a judge's: `--adjudicated` would then put its
/// verdicts in place of the people's, and `--include-judges` would count it. The lead's own journals (written by
/// `adjudicate`, `judge` or `import-judge`, or copied in from other machines) belong to the lead, so a judge's or
/// adjudicator's journal owned by someone else is worth a warning that names the file and its owner.
///
///     ForeignJournals.warnings(store: store, derived: journals.derived, kinds: [.adjudicator])
///     // ["journals/mallory.jsonl, an adjudicator's journal, belongs to another user (uid 1001) ..."]
public enum ForeignJournals {
    /// One warning per journal of `kinds` in `derived` whose file's owner is not `user`.
    public static func warnings(
        store: StudyStore, derived: [String: DerivedJournal], kinds: Set<AnnotatorKind>, user: uid_t = getuid()
    ) -> [String] {
        var result: [String] = []
        for (name, journal) in derived.sorted(by: { $0.key < $1.key }) where kinds.contains(journal.kind) {
            var info = stat()
            guard stat(store.journalFile(for: name).path, &info) == 0, info.st_uid != user else { continue }
            let what = journal.kind == .adjudicator ? "an adjudicator's journal" : "a judge's journal"
            let use = journal.kind == .adjudicator ? "--adjudicated uses its verdicts" : "--include-judges counts it"
            result.append(
                "journals/\(name).jsonl, \(what), belongs to another user (uid \(info.st_uid)), not to you (uid \(user)); "
                    + "\(use): on a shared host any annotator can add a file to journals/, so make sure \(name) is who it says")
        }
        return result
    }
}
