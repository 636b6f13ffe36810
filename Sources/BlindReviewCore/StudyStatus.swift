import Foundation

/// Progress per annotator, read from the journals. Names no model; needs the key only to count hidden repeats.
public struct AnnotatorProgress: Equatable, Sendable {
    public var annotator: String
    /// Slots with a preference chosen (imported preferences without scores count here).
    public var preferences: Int = 0
    /// Slots complete: every required score and the preference.
    public var done: Int
    public var assigned: Int
    /// Hidden repeats done and assigned; nil when they cannot be told apart (a study read without its key).
    public var repeatsDone: Int?
    public var repeatsAssigned: Int?
    /// False when this annotator's journal exists but cannot be read by whoever runs the command.
    public var readable: Bool = true
    /// Median active seconds over the slots that are done; nil when none is.
    public var medianSeconds: Double?
    /// The time of the last journal event, nil when the annotator has not started.
    public var lastActivity: String?
}

public enum StudyStatus {
    public static func progress(study: Study, journals: [String: LoadedJournal], repeats: RepeatMap) -> [AnnotatorProgress] {
        study.annotators.map { plan in
            let state = journals[plan.name]?.state
            var done = 0, repeatsDone = 0, preferences = 0
            var seconds: [Double] = []
            // Withdrawn pairs are neither assigned nor done (their judgments stay in the journal).
            let assigned = plan.queue.filter { study.withdrawn[$0.item] == nil }.count
            for (slot, entry) in plan.queue.enumerated() where study.withdrawn[entry.item] == nil {
                if state?.slots[slot].preference != nil { preferences += 1 }
                guard let judgment = state?.slots[slot], judgment.isComplete(rubric: study.rubric, entry: entry) else { continue }
                done += 1
                if repeats.isRepeat(entry) { repeatsDone += 1 }
                if judgment.activeSeconds > 0 { seconds.append(judgment.activeSeconds) }
            }
            return AnnotatorProgress(
                annotator: plan.name, preferences: preferences, done: done, assigned: assigned,
                repeatsDone: repeats.isKnown ? repeatsDone : nil, repeatsAssigned: repeats.count(in: plan.queue.filter { study.withdrawn[$0.item] == nil }), medianSeconds: median(seconds),
                lastActivity: state?.lastTime)
        }
    }

    /// The middle value (mean of the two middle values for an even count).
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// A plain table for the terminal.
    public static func render(study: Study, progress: [AnnotatorProgress], repeats: RepeatMap) -> String {
        var rows = [["annotator", "preferences", "complete", "repeats", "median s/pair", "last activity"]]
        for p in progress {
            rows.append([
                p.annotator + (study.isRetired(p.annotator) ? " (retired)" : ""), p.readable ? "\(p.preferences)/\(p.assigned)" : "?/\(p.assigned)",
                p.readable ? "\(p.done)/\(p.assigned)" : "?/\(p.assigned)",
                p.repeatsDone.flatMap { done in p.repeatsAssigned.map { "\(done)/\($0)" } } ?? "?",
                p.readable ? p.medianSeconds.map { String(format: "%.1f", $0) } ?? "-" : "-",
                p.readable ? p.lastActivity ?? "not started" : "journal not readable by you",
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        let lines = rows.map { row in
            row.enumerated().map { column, text in
                column == 0 || column == 5 ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - text.count) + text
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let total = progress.reduce(0) { $0 + $1.done }
        // A retired annotator's unfinished slots will never be done (others took them with --reassign): only what
        // they finished counts toward the total.
        let assigned = progress.reduce(0) { $0 + (study.isRetired($1.annotator) && $1.readable ? $1.done : $1.assigned) }
        let pairs = repeats.pairsDescription(in: study)
        var text = "study \(study.name): \(pairs), \(study.annotators.count) annotators, \(total)/\(assigned) pairs complete\n"
            + lines.joined(separator: "\n") + "\n"
        if !repeats.isKnown {
            text += "repeats: hidden repeats look like other pairs without the key; pass --key to count them\n"
        }
        text += amendmentLines(study)
        return text
    }

    /// The amendment history in brief (the latest five), and what withdrawn pairs there are.
    public static func amendmentLines(_ study: Study) -> String {
        guard !study.amendments.isEmpty else { return "" }
        var text = "amendments: \(study.amendments.count)"
        if !study.withdrawn.isEmpty { text += ", \(study.withdrawn.count) pair\(study.withdrawn.count == 1 ? "" : "s") withdrawn (left out of reports and exports)" }
        if !study.retired.isEmpty { text += ", retired: \(study.retired.keys.sorted().joined(separator: ", "))" }
        text += "\n"
        let shown = study.amendments.suffix(5)
        if shown.count < study.amendments.count { text += "  … \(study.amendments.count - shown.count) earlier (report lists them all)\n" }
        for record in shown {
            text += "  \(record.seq). \(record.time.prefix(16).replacingOccurrences(of: "T", with: " "))  \(record.change.summary)\(record.reason.map { " — \($0)" } ?? "")\n"
        }
        return text
    }
}
