import BlindReviewCore

/// The annotation UI's logic: a pure function from a state and a message to the next state and the effects
/// (journal writes, quit) for the runtime to carry out. Tested without a terminal.
///
///     var (state, effects) = AnnotationUpdate.start(state, time: now)   // records "open" for the first pair
///     (state, effects) = AnnotationUpdate.update(state, .key(.character("4"), time: now))
///     // effects == [.append(rating event)]; the score shows once the runtime answers .saved(event)
public enum AnnotationUpdate {
    /// The first message of a session: records that the current pair was opened.
    public static func start(_ state: AnnotationState, time: Double) -> (AnnotationState, [Effect]) {
        var state = state
        state.lastInput = time
        guard let entry = state.entry else { return (state, []) }
        return (state, [.append(JournalEvent(type: .open, slot: state.slot, item: entry.item))])
    }

    public static func update(_ state: AnnotationState, _ message: Message) -> (AnnotationState, [Effect]) {
        var state = state
        switch message {
        case .resize(let width, let height):
            state.width = max(0, width)
            state.height = max(0, height)
            return (state, [])
        case .tick:
            return (state, [])
        case .saveFailed(let reason):
            state.saveStatus = .failed(reason)
            state.message = "NOT SAVED: \(reason)"
            return (state, [])
        case .notSaved(let reason, let effects):
            state.unsaved = effects
            state.unsavedReason = reason
            state.saveStatus = .failed(reason)
            state.message = notSavedMessage(reason)
            return (state, [])
        case .journalReloaded(let journal, let notice):
            state.journal = journal
            state.message = notice
            return (state, [])
        case .saved(let event):
            return saved(state, event)
        case .key(let key, let time):
            if let last = state.lastInput, time - last >= 0, time - last <= AnnotationState.idleLimit {
                state.visitSeconds += time - last
            }
            state.lastInput = time
            state.message = nil
            if !state.unsaved.isEmpty { return retryingUnsaved(key, state) }
            return handle(key, state)
        }
    }

    /// The red line shown while a change is not on disk.
    public static func notSavedMessage(_ reason: String) -> String {
        "NOT SAVED: \(reason) — your last change was not recorded"
    }

    /// A key while a change is pending: the pending writes are retried first; `s` does only that; a key that
    /// would write something else is refused (the same red line), one that writes nothing (scrolling, help)
    /// works, and quitting quits.
    static func retryingUnsaved(_ key: Key, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var base = state
        let retry = base.unsaved
        base.unsaved = []
        base.saveStatus = .saving
        if key == .character("s"), base.noteDraft == nil { return (base, retry) }
        let (next, effects) = handle(key, base)
        if effects.contains(.quit) { return (next, retry + effects) }
        if effects.isEmpty { return (next, retry) }
        base.message = notSavedMessage(state.unsavedReason ?? "the journal could not be written")
        base.overlay = .none
        return (base, retry)
    }

    // MARK: - Keys

    static func handle(_ key: Key, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        if key == .interrupt { return quit(state) }
        if state.noteDraft != nil { return editNote(key, state) }
        switch state.overlay {
        case .help:
            state.overlay = .none
            return (state, [])
        case .confirmLeave(let target, _):
            switch key {
            case .character("y"), .character("Y"), .enter:
                state.overlay = .none
                return go(state, to: target)
            default:
                state.overlay = .none
                state.message = "Stayed on this pair"
                return (state, [])
            }
        case .summary:
            switch key {
            case .character("q"): return quit(state)
            case .escape, .enter, .character(" "):
                state.overlay = .none
                return (state, [])
            default:
                state.overlay = .none
            }
        case .none:
            break
        }
        if state.tooSmall {
            if key == .character("q") { return quit(state) }
            return (state, [])
        }
        let layout = Layout(state)
        switch key {
        case .character("q"):
            return quit(state)
        case .character("?"):
            state.overlay = .help
        case .up, .character("k"):
            moveRow(&state, by: -1)
        case .down, .character("j"):
            moveRow(&state, by: 1)
        case .left, .character("h"):
            state.rubricSide = .a
            state.focus = .responseA
        case .right, .character("l"):
            state.rubricSide = .b
            state.focus = .responseB
        case .tab, .backTab:
            let order: [Panel] = [.prompt, .responseA, .responseB]
            let current = order.firstIndex(of: state.focus) ?? 0
            let step = key == .tab ? 1 : order.count - 1
            state.focus = order[(current + step) % order.count]
            if state.focus == .responseA { state.rubricSide = .a }
            if state.focus == .responseB { state.rubricSide = .b }
        case .pageDown, .character(" "):
            scroll(&state, by: layout.pageSize(scrollPanel(state, layout)) - 1, layout: layout)
        case .pageUp:
            scroll(&state, by: -(layout.pageSize(scrollPanel(state, layout)) - 1), layout: layout)
        case .home:
            state.scroll[scrollPanel(state, layout)] = 0
        case .end:
            scroll(&state, by: Int.max / 2, layout: layout)
        case .character("n"), .character("]"):
            if state.slot + 1 < state.queue.count {
                return leave(state, to: state.slot + 1)
            }
            state.message = state.doneCount == state.queue.count ? "That was the last pair; all are done" : "This is the last pair (g: next unfinished)"
        case .character("p"), .character("["):
            if state.slot > 0 { return leave(state, to: state.slot - 1) }
            state.message = "This is the first pair"
        case .character("g"):
            let count = state.queue.count
            if let next = (1..<max(1, count)).lazy.map({ (state.slot + $0) % count }).first(where: { !state.isComplete($0) }) {
                return leave(state, to: next)
            }
            if !state.isComplete(state.slot) {
                state.message = "Only this pair is unfinished"
            } else {
                state.overlay = .summary
            }
        case .character("r"):
            state.showReference.toggle()
            state.scroll[.prompt] = 0
            if state.item?.reference == nil { state.message = "This pair has no reference answer" }
        case .character("e"):
            state.rubricRow = .note
            state.noteDraft = state.judgment.note ?? ""
        case .character("u"):
            guard !state.journal.undoable.isEmpty else {
                state.message = "Nothing to undo"
                return (state, [])
            }
            state.saveStatus = .saving
            return (state, [.undo])
        case .character("x"), .delete, .backspace:
            return clearScore(state)
        case .character(let character) where character.isNumber:
            return score(state, character)
        case .character(let character):
            if let option = state.rubric.preference.options.first(where: { $0.key == String(character) }) {
                return prefer(state, option)
            }
            state.message = "Unknown key \"\(SafeText.line(String(character)))\"; ? shows the keys"
        default:
            break
        }
        return (state, [])
    }

    static func scrollPanel(_ state: AnnotationState, _ layout: Layout) -> Panel {
        state.focus
    }

    static func moveRow(_ state: inout AnnotationState, by step: Int) {
        let rows = state.rubricRows
        let index = rows.firstIndex(of: state.rubricRow) ?? 0
        state.rubricRow = rows[max(0, min(rows.count - 1, index + step))]
    }

    static func scroll(_ state: inout AnnotationState, by lines: Int, layout: Layout) {
        let panel = scrollPanel(state, layout)
        let total: Int
        switch panel {
        case .prompt: total = state.promptLines(width: layout.textWidth(.prompt)).count
        case .responseA: total = state.responseLines(.a, width: layout.textWidth(.responseA)).count
        case .responseB: total = state.responseLines(.b, width: layout.textWidth(.responseB)).count
        }
        let maxOffset = max(0, total - layout.pageSize(panel))
        state.scroll[panel] = max(0, min(maxOffset, (state.scroll[panel] ?? 0) + lines))
    }

    // MARK: - Judgments

    static func score(_ state: AnnotationState, _ character: Character) -> (AnnotationState, [Effect]) {
        var state = state
        guard case .criterion(let index) = state.rubricRow, let entry = state.entry else {
            state.message = "Move to a criterion (↑ ↓) to score it"
            return (state, [])
        }
        let criterion = state.rubric.criteria[index]
        guard let value = character.wholeNumberValue, criterion.scores.contains(value) else {
            state.message = "\(criterion.name) is scored \(criterion.min)-\(criterion.max)"
            return (state, [])
        }
        let response = entry.response(on: state.rubricSide)
        advance(&state, after: index, scored: criterion.id)
        if state.judgment.rating(response: response, criterion: criterion.id) == value { return (state, []) }
        state.saveStatus = .saving
        return (state, [.append(.rating(slot: state.slot, item: entry.item, response: response, criterion: criterion.id, value: value))])
    }

    /// After a score: the next criterion on the same side; after the last, the first criterion the other side
    /// still lacks (switching sides), else the preference.
    static func advance(_ state: inout AnnotationState, after index: Int, scored: String) {
        let criteria = state.rubric.criteria
        if index + 1 < criteria.count {
            state.rubricRow = .criterion(index + 1)
            return
        }
        let other = state.rubricSide.other
        if let entry = state.entry {
            let otherResponse = entry.response(on: other)
            if let missing = criteria.indices.first(where: { state.judgment.rating(response: otherResponse, criterion: criteria[$0].id) == nil }) {
                state.rubricSide = other
                state.focus = other == .a ? .responseA : .responseB
                state.rubricRow = .criterion(missing)
                return
            }
        }
        state.rubricRow = .preference
    }

    static func clearScore(_ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        guard case .criterion(let index) = state.rubricRow, let entry = state.entry else { return (state, []) }
        let criterion = state.rubric.criteria[index]
        let response = entry.response(on: state.rubricSide)
        guard state.judgment.rating(response: response, criterion: criterion.id) != nil else { return (state, []) }
        state.saveStatus = .saving
        return (state, [.append(.rating(slot: state.slot, item: entry.item, response: response, criterion: criterion.id, value: nil))])
    }

    static func prefer(_ state: AnnotationState, _ option: PreferenceOption) -> (AnnotationState, [Effect]) {
        var state = state
        guard let entry = state.entry else { return (state, []) }
        state.rubricRow = .preference
        if state.judgment.preference == option.id { return (state, []) }
        state.saveStatus = .saving
        return (state, [.append(.preference(slot: state.slot, item: entry.item, option: option.id))])
    }

    static func editNote(_ key: Key, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        switch key {
        case .escape:
            state.noteDraft = nil
            state.message = "Note not changed"
        case .enter:
            let text = state.noteDraft ?? ""
            state.noteDraft = nil
            guard let entry = state.entry, text != (state.judgment.note ?? "") else { return (state, []) }
            state.saveStatus = .saving
            return (state, [.append(.note(slot: state.slot, item: entry.item, text: text.isEmpty ? nil : text))])
        case .backspace, .delete:
            if state.noteDraft?.isEmpty == false { state.noteDraft!.removeLast() }
        case .character(let character):
            if (state.noteDraft?.count ?? 0) < 2000 { state.noteDraft!.append(character) }
        default:
            break
        }
        return (state, [])
    }

    /// A change is in the journal: fold it in, show it, and follow an undo to its pair.
    static func saved(_ state: AnnotationState, _ event: JournalEvent) -> (AnnotationState, [Effect]) {
        var state = state
        let wasAllDone = state.doneCount == state.queue.count
        var undoneSlot: Int?
        if event.type == .undo { undoneSlot = state.journal.nextUndoSlot }
        do {
            try state.journal.apply(event)
        } catch {
            state.saveStatus = .failed("\(error)")
            return (state, [])
        }
        if event.isChange || event.type == .undo || state.saveStatus == .saving { state.saveStatus = .saved }
        if state.unsaved.isEmpty, state.unsavedReason != nil {
            state.unsavedReason = nil
            state.message = state.message?.hasPrefix("NOT SAVED") == true
                ? "Saved now: the pending change. Your last key was not taken: press it again"
                : "Saved now: the change that was not saved before"
        }
        if let undoneSlot, undoneSlot != state.slot {
            state.message = "Undid a change on pair \(undoneSlot + 1)"
            return go(state, to: undoneSlot)
        }
        if event.type == .undo { state.message = "Undone" }
        if event.isChange, !wasAllDone, !state.queue.isEmpty, state.doneCount == state.queue.count {
            state.overlay = .summary
        }
        return (state, [])
    }

    // MARK: - Moving between pairs

    /// Leaves the current pair for `target`, asking first when required fields are missing.
    static func leave(_ state: AnnotationState, to target: Int) -> (AnnotationState, [Effect]) {
        var state = state
        if let entry = state.entry {
            let missing = state.judgment.missing(rubric: state.rubric, entry: entry)
            if !missing.isEmpty {
                state.overlay = .confirmLeave(target: target, missing: missing)
                return (state, [])
            }
        }
        return go(state, to: target)
    }

    /// Goes to `target` at once, recording the time spent and the new visit.
    static func go(_ state: AnnotationState, to target: Int) -> (AnnotationState, [Effect]) {
        var state = state
        guard state.queue.indices.contains(target), target != state.slot else { return (state, []) }
        var effects: [Effect] = []
        if let entry = state.entry {
            effects.append(.append(JournalEvent(type: .leave, slot: state.slot, item: entry.item, activeSeconds: rounded(state.visitSeconds))))
        }
        state.slot = target
        state.visitSeconds = 0
        state.scroll = [:]
        state.rubricRow = .criterion(0)
        state.rubricSide = .a
        state.focus = .responseA
        state.loadItem()
        effects.append(.append(JournalEvent(type: .open, slot: target, item: state.queue[target].item)))
        return (state, effects)
    }

    static func quit(_ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        var effects: [Effect] = []
        if let entry = state.entry {
            effects.append(.append(JournalEvent(type: .leave, slot: state.slot, item: entry.item, activeSeconds: rounded(state.visitSeconds))))
        }
        state.visitSeconds = 0
        state.quitting = true
        effects.append(.quit)
        return (state, effects)
    }

    static func rounded(_ seconds: Double) -> Double {
        (seconds * 10).rounded() / 10
    }
}

extension AnnotationState {
    public var tooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }
}
