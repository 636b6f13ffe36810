import Foundation

/// How far a judge's or an adjudicator's journal has got, for `status` and `check` (which list them apart from
/// the people, never counting them as annotators).
///
///     DerivedProgress(journal).description   // "judge, 148/160 pair-orders decided (2 errors)"
public struct DerivedProgress: Sendable {
    public var kind: AnnotatorKind
    /// Slots with a verdict (an error counts as decided: it is kept and counted).
    public var decided: Int
    public var slots: Int
    public var errors: Int
    public var events: Int
    public var lastActivity: String?

    public init(_ derived: DerivedJournal) {
        kind = derived.kind
        let states = derived.journal.state.slots
        decided = states.filter { $0.preference != nil || $0.verdictError != nil }.count
        errors = states.filter { $0.verdictError != nil }.count
        slots = derived.plan.queue.count
        events = derived.journal.eventCount
        lastActivity = derived.journal.state.lastTime
    }

    public var description: String {
        let unit = kind == .judge ? "pair-orders" : "pairs"
        return "\(kind.rawValue), \(decided)/\(slots) \(unit) decided" + (errors > 0 ? " (\(errors) error\(errors == 1 ? "" : "s"))" : "")
    }
}
