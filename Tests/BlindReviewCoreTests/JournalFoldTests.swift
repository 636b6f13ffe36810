@testable import BlindReviewCore
import SeededRandom
import XCTest

/// The flat journal fold against the rule it implements: a field's value is the latest change to it that has not
/// been undone, whichever change an undo takes back (the last one, or one under later changes).
final class JournalFoldTests: XCTestCase {
    /// The rule written out plainly: every change kept with an "undone" mark, the value read back by a scan.
    struct Reference {
        var changes: [(seq: Int, event: JournalEvent, undone: Bool)] = []

        func field(_ event: JournalEvent) -> String {
            let kind = event.type == .error ? "preference" : event.type.rawValue
            return "\(event.slot!)|\(kind)|\(event.type == .rating ? "\(event.response!)|\(event.criterion!)" : "")"
        }

        func value(_ field: String) -> JournalEvent? {
            changes.last { !$0.undone && self.field($0.event) == field }?.event
        }
    }

    func testRandomChangesAndUndosFoldToTheLatestChangeNotUndone() throws {
        var rng = SplitMix64(seed: 13)
        for round in 0..<40 {
            var state = JournalState(slotCount: 3)
            var reference = Reference()
            var seq = 0
            for _ in 0..<(20 + rng.below(60)) {
                seq += 1
                let slot = rng.below(3)
                let undoable = reference.changes.indices.filter { !reference.changes[$0].undone }
                let event: JournalEvent
                switch rng.below(6) {
                case 0 where !undoable.isEmpty:
                    // Mostly the last change (as the UI does), sometimes one further down.
                    let pick = rng.below(3) == 0 ? undoable[rng.below(undoable.count)] : undoable.last!
                    event = JournalEvent(seq: seq, type: .undo, target: reference.changes[pick].seq)
                    reference.changes[pick].undone = true
                case 1:
                    event = JournalEvent(seq: seq, type: .preference, slot: slot, item: "p", option: rng.below(4) == 0 ? nil : ["a", "b", "tie"][rng.below(3)])
                case 2:
                    event = JournalEvent(seq: seq, type: .note, slot: slot, item: "p", text: rng.below(3) == 0 ? nil : "n\(rng.below(3))")
                case 3:
                    event = JournalEvent(seq: seq, type: .flag, slot: slot, item: "p", option: rng.below(3) == 0 ? nil : "broken", text: "why\(rng.below(2))")
                default:
                    event = .rating(slot: slot, item: "p", response: ["r1", "r2"][rng.below(2)], criterion: ["c1", "c2"][rng.below(2)],
                                    value: rng.below(5) == 0 ? nil : 1 + rng.below(5))
                }
                var stamped = event
                stamped.seq = seq
                if stamped.isChange { reference.changes.append((seq, stamped, false)) }
                try state.apply(stamped)
            }
            XCTAssertEqual(state.undoable, reference.changes.filter { !$0.undone }.map(\.seq), "round \(round)")
            for slot in 0..<3 {
                let judgment = state.slots[slot]
                XCTAssertEqual(judgment.preference, reference.value("\(slot)|preference|")?.option, "round \(round) slot \(slot)")
                let note = reference.value("\(slot)|note|")?.text
                XCTAssertEqual(judgment.note, note?.isEmpty == false ? note : nil, "round \(round) slot \(slot)")
                XCTAssertEqual(judgment.flag, reference.value("\(slot)|flag|")?.option, "round \(round) slot \(slot)")
                for response in ["r1", "r2"] {
                    for criterion in ["c1", "c2"] {
                        XCTAssertEqual(judgment.rating(response: response, criterion: criterion),
                                       reference.value("\(slot)|rating|\(response)|\(criterion)")?.value, "round \(round) slot \(slot)")
                    }
                    // A response with no score left has no entry at all.
                    if ["c1", "c2"].allSatisfy({ judgment.rating(response: response, criterion: $0) == nil }) { XCTAssertNil(judgment.ratings[response]) }
                }
            }
        }
    }

    func testUndoingAChangeUnderALaterOneKeepsTheLaterValueThenFallsBackPastIt() throws {
        var state = JournalState(slotCount: 1)
        try state.apply(JournalEvent(seq: 1, type: .preference, slot: 0, item: "p", option: "a"))
        try state.apply(JournalEvent(seq: 2, type: .preference, slot: 0, item: "p", option: "b"))
        try state.apply(JournalEvent(seq: 3, type: .preference, slot: 0, item: "p", option: "tie"))
        try state.apply(JournalEvent(seq: 4, type: .undo, target: 2))
        XCTAssertEqual(state.slots[0].preference, "tie")
        try state.apply(JournalEvent(seq: 5, type: .undo, target: 3))
        XCTAssertEqual(state.slots[0].preference, "a", "back past the undone b to a")
        XCTAssertThrowsError(try state.apply(JournalEvent(seq: 6, type: .undo, target: 2)), "b is undone already")
        XCTAssertEqual(state.nextUndoSlot, 0)
        XCTAssertEqual(state.nextUndoField?.kind, .preference)
    }
}
