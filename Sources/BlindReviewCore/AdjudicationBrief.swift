import Foundation

/// What the adjudicator's screen knows about the pairs to settle: which of their slots to visit, in the order
/// `report` ranks them (flagged pairs first, then the most disputed), why each is there, and what the others
/// said, already turned to the sides *this* screen shows (so "A" always means the left response here).
///
///     brief.slots            // [12, 3, 40]: adjudicator slots, flagged first
///     brief.pairs[12]?.reason   // "flagged: broken (alice)"
///     brief.pairs[3]?.verdicts[0]   // bob: B (much better), scores A 2/3/3/2 · B 4/4/5/4
public struct AdjudicationBrief: Sendable, Equatable {
    /// One other annotator's judgment of the pair, in this screen's sides.
    public struct Verdict: Sendable, Equatable {
        public var annotator: String
        /// The preference as this screen's option label (a tie, or the option favouring this screen's side with the
        /// same strength); nil when they gave none.
        public var choice: String?
        /// The side they favoured, on this screen; nil for a tie or no preference.
        public var side: Side?
        /// Per rubric criterion (by id, in rubric order): their score of this screen's A and B.
        public var scores: [(criterion: String, a: Int?, b: Int?)]
        public var note: String?
        /// A flag they raised, with its note.
        public var flag: String?

        public init(annotator: String, choice: String?, side: Side?, scores: [(criterion: String, a: Int?, b: Int?)], note: String?, flag: String?) {
            self.annotator = annotator
            self.choice = choice
            self.side = side
            self.scores = scores
            self.note = note
            self.flag = flag
        }

        public static func == (l: Verdict, r: Verdict) -> Bool {
            l.annotator == r.annotator && l.choice == r.choice && l.side == r.side && l.note == r.note && l.flag == r.flag
                && l.scores.map { "\($0.criterion)\u{1F}\($0.a ?? -1)\u{1F}\($0.b ?? -1)" } == r.scores.map { "\($0.criterion)\u{1F}\($0.a ?? -1)\u{1F}\($0.b ?? -1)" }
        }
    }

    /// Why a pair is offered and what was said about it.
    public struct Pair: Sendable, Equatable {
        /// "flagged: broken (alice)" or "disputed: 2-1, 1 tie".
        public var reason: String
        public var verdicts: [Verdict]

        public init(reason: String, verdicts: [Verdict]) {
            self.reason = reason
            self.verdicts = verdicts
        }
    }

    /// The adjudicator's slots to visit, in order.
    public var slots: [Int]
    public var pairs: [Int: Pair]

    public init(slots: [Int], pairs: [Int: Pair]) {
        self.slots = slots
        self.pairs = pairs
    }

    /// One line for the screen: "disputed: 2-1 · alice A · bob B · carol tie" (the option labels are in `v`).
    public func summary(slot: Int) -> String? {
        guard let pair = pairs[slot] else { return nil }
        let said = pair.verdicts.filter { $0.choice != nil }.map { "\($0.annotator) \($0.side?.label ?? "tie")" }
        return ([pair.reason] + said).joined(separator: " · ")
    }
}
