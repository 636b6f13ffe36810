import BlindReviewCore
@testable import BlindReviewTUI
import Foundation
import XCTest

/// A study in memory with the given responses, for driving the UI without a terminal or files.
struct Harness {
    var state: AnnotationState
    /// Every event "written" so far, numbered as the journal writer would.
    var journal: [JournalEvent] = []
    var quit = false
    var time: Double = 1_000_000
    /// While set, every journal write fails with this reason (as the runtime reports a full disk).
    var failure: String?

    init(pairs: [(prompt: String, a: String, b: String, reference: String?)] = Harness.defaultPairs, width: Int = 80, height: Int = 24,
         repeats: Int = 0, journal existing: JournalState? = nil, rubric: Rubric = .standard, studyName: String = "t", annotator: String = "ann") throws {
        let candidates = pairs.enumerated().map { index, pair in
            CandidatePair(
                sourceID: "q\(index + 1)", prompt: [.user(pair.prompt)], reference: pair.reference.map { [$0] },
                first: ModelResponse(model: "base", turns: [pair.a]), second: ModelResponse(model: "tuned", turns: [pair.b]))
        }
        let built = try StudyBuilder.build(
            pairs: candidates, models: ["base", "tuned"],
            options: StudyOptions(name: studyName, seed: 3, annotators: [annotator], repeats: repeats, rubric: rubric))
        let items = try StudyItems(data: built.itemsData, file: "items.jsonl", ids: built.study.itemIDs)
        let queue = built.study.plan(for: annotator)!.queue
        state = AnnotationState(
            study: built.study, items: items, annotator: annotator, journal: existing ?? JournalState(slotCount: queue.count),
            width: width, height: height)
        let (started, effects) = AnnotationUpdate.start(state, time: time)
        state = started
        run(effects)
    }

    static let defaultPairs: [(prompt: String, a: String, b: String, reference: String?)] = (1...8).map {
        ("Question \($0)?", "Answer A to question \($0).", "Answer B to question \($0).", $0 == 1 ? "Gold \($0)" : nil)
    }

    /// Sends keys one by one (a second apart), carrying out effects as the runtime would.
    mutating func press(_ keys: Key..., seconds: Double = 1) {
        for key in keys {
            time += seconds
            let (next, effects) = AnnotationUpdate.update(state, .key(key, time: time))
            state = next
            run(effects)
        }
    }

    mutating func type(_ text: String) {
        for character in text { press(.character(character)) }
    }

    mutating func run(_ effects: [Effect]) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            var more: [Effect] = []
            if let failure, effect != .quit {
                let held = [effect] + pending.filter { $0 != .quit }
                pending = pending.filter { $0 == .quit }
                (state, more) = AnnotationUpdate.update(state, .notSaved(reason: failure, effects: held))
                pending += more
                continue
            }
            switch effect {
            case .append(var event):
                event.seq = journal.count + 1
                event.t = "t\(journal.count + 1)"
                journal.append(event)
                (state, more) = AnnotationUpdate.update(state, .saved(event))
            case .undo:
                if let target = state.journal.undoable.last {
                    let event = JournalEvent(seq: journal.count + 1, t: "u", type: .undo, target: target)
                    journal.append(event)
                    (state, more) = AnnotationUpdate.update(state, .saved(event))
                }
            case .quit:
                quit = true
            }
            pending += more
        }
    }

    var screen: ScreenGrid { AnnotationView.render(state) }
    var text: String { screen.text }
    var entry: QueueEntry { state.entry! }
    func score(_ side: Side, _ criterion: String) -> Int? {
        state.judgment.rating(response: entry.response(on: side), criterion: criterion)
    }
}

func assertScreen(_ harness: Harness, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
    let text = harness.text
    for fragment in fragments {
        XCTAssertTrue(text.contains(fragment), "screen lacks \"\(fragment)\":\n\(text)", file: file, line: line)
    }
}
