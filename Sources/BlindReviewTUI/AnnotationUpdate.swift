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
            // Idle: a huge response shown is wrapped to its end, so its title shows the line total.
            if !state.tooSmall {
                let layout = Layout(state)
                if let rect = layout.responseA, rect.height > 0 { _ = state.responseLines(.a, width: layout.textWidth(.responseA)).count }
                if let rect = layout.responseB, rect.height > 0 { _ = state.responseLines(.b, width: layout.textWidth(.responseB)).count }
            }
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
        case .journalReloaded(let journal, let notice, let time):
            state.journal = journal
            state.hold(notice, at: time)
            return (state, [])
        case .studyAmended(let study, let items, let journal, let time):
            let before = state.message
            var (next, effects) = amended(state, study: study, items: items, journal: journal)
            if let notice = next.message, notice != before { next.hold(notice, at: time) }
            return (next, effects)
        case .saved(let event):
            return saved(state, event)
        case .key(let key, let time):
            if let last = state.lastInput, time - last >= 0, time - last <= AnnotationState.idleLimit {
                state.visitSeconds += time - last
            }
            state.lastInput = time
            // A held notice (the journal replaced on disk, the lead's amendment) outlasts the keys of its first
            // seconds: an annotator typing fast still reads it. Any other line goes at the next key.
            let held = state.heldMessageUntil.map { time < $0 } == true ? state.message : nil
            if held == nil {
                state.message = nil
                state.heldMessageUntil = nil
            }
            var (next, effects) = state.unsaved.isEmpty ? handle(key, state) : retryingUnsaved(key, state)
            if held != nil, next.message != held { next.heldMessageUntil = nil }
            return (next, effects)
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
        if case .paste(let text) = key { return paste(text, state) }
        if state.noteDraft != nil { return editNote(key, state) }
        if state.flagDraft != nil { return editFlagNote(key, state) }
        if state.searchDraft != nil { return editSearch(key, state) }
        switch state.overlay {
        case .flag:
            state.overlay = .none
            return chooseFlag(key, state)
        case .guidelines:
            return scrollOverlay(key, state, total: Overlays.guidelinesLines(state).count)
        case .verdicts:
            return scrollOverlay(key, state, total: Overlays.verdictLines(state).count)
        case .help:
            return scrollOverlay(key, state, total: Overlays.helpLines(state).count)
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
            state.overlayScroll = 0
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
        case .character("/"):
            state.searchDraft = ""
        case .character("i"):
            guard state.guidelines != nil else {
                state.message = "This study has no guidelines (the lead can add them: create --guidelines FILE.md)"
                return (state, [])
            }
            state.overlay = .guidelines
        case .character("m"):
            state.showMarkdown.toggle()
            state.scroll[.responseA] = 0
            state.scroll[.responseB] = 0
            state.message = state.showMarkdown ? "Markdown view: code blocks kept verbatim, headings and lists shown (m: raw text)" : "Raw text (m: Markdown view)"
            if state.showMarkdown, state.showDiff { state.showDiff = false }
        case .character("d"):
            state.showDiff.toggle()
            if state.showDiff, state.showMarkdown { state.showMarkdown = false }
            if state.showDiff, let diff = state.pairDiff {
                switch diff.level {
                case .word: state.message = "Differences between A and B marked word by word (d hides them)"
                case .line: state.message = "Differences marked line by line: too many to compare word by word (d hides them)"
                case .rough: state.message = "A and B differ almost everywhere: the differing part is marked (d hides it)"
                }
            }
        case .character("n") where state.search != nil:
            moveToHit(&state, by: 1, layout: layout)
        case .character("N"):
            guard state.search != nil else {
                state.message = "N moves to the previous search hit; / starts a search"
                return (state, [])
            }
            moveToHit(&state, by: -1, layout: layout)
        case .escape where state.search != nil:
            state.search = nil
            state.message = "Search ended"
        case .character("n"), .character("]"):
            let order = state.visitOrder
            let next = state.visitPosition.map { $0 + 1 } ?? (order.firstIndex { $0 > state.slot } ?? order.count)
            if next < order.count { return leave(state, to: order[next]) }
            state.message = state.allDone ? "That was the last pair; all are done" : "This is the last pair (g: next unfinished)"
        case .character("p"), .character("["):
            let order = state.visitOrder
            let previous = state.visitPosition.map { $0 - 1 } ?? ((order.lastIndex { $0 < state.slot }) ?? -1)
            if previous >= 0 { return leave(state, to: order[previous]) }
            state.message = "This is the first pair"
        case .character("g"):
            let order = state.visitOrder
            let count = order.count
            let here = state.visitPosition ?? -1
            if let next = (1..<max(1, count + 1)).lazy.map({ order[(here + $0 + count) % count] }).first(where: { $0 != state.slot && !state.isComplete($0) }) {
                return leave(state, to: next)
            }
            if !state.isComplete(state.slot) && !state.isWithdrawn(state.slot) {
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
        case .character("v") where !state.rubric.preference.options.contains(where: { $0.key == "v" }):
            guard state.adjudication != nil else {
                state.message = "v shows the other annotators' verdicts when adjudicating (blindreview adjudicate)"
                return (state, [])
            }
            state.overlay = .verdicts
            state.overlayScroll = 0
        case .character("f"):
            guard state.entry != nil else { return (state, []) }
            state.overlay = .flag
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

    /// In a scrolling overlay: j/k/Space/PgUp/arrows scroll while there is more, any other key closes.
    static func scrollOverlay(_ key: Key, _ state: AnnotationState, total: Int) -> (AnnotationState, [Effect]) {
        var state = state
        let page = Overlays.overlayPage(height: state.height)
        let scrolls = total > page
        switch key {
        case .down where scrolls, .character("j") where scrolls: state.overlayScroll += 1
        case .up where scrolls, .character("k") where scrolls: state.overlayScroll -= 1
        case .pageDown where scrolls, .character(" ") where scrolls: state.overlayScroll += page - 1
        case .pageUp where scrolls: state.overlayScroll -= page - 1
        default: state.overlay = .none
        }
        state.overlayScroll = max(0, min(state.overlayScroll, total - page))
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
        let page = layout.pageSize(panel)
        let target = (state.scroll[panel] ?? 0) + lines
        // A response is wrapped only as far as the target page (End: to its end), which is all the clamp needs.
        let total: Int
        switch panel {
        case .prompt: total = state.promptLines(width: layout.textWidth(.prompt)).count
        case .responseA: total = state.responseLines(.a, width: layout.textWidth(.responseA)).count(atMost: max(0, target) + page)
        case .responseB: total = state.responseLines(.b, width: layout.textWidth(.responseB)).count(atMost: max(0, target) + page)
        }
        let maxOffset = max(0, total - page)
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
                state.message = "Now scoring response \(other.label): \(criteria[missing].name)"
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
            if (state.noteDraft?.count ?? 0) < AnnotationState.noteLimit { state.noteDraft!.append(character) }
        default:
            break
        }
        return (state, [])
    }

    /// In the flag dialog: a reason's key starts its optional note, `c` clears the flag, anything else cancels.
    static func chooseFlag(_ key: Key, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        guard case .character(let character) = key else {
            state.message = "Not flagged"
            return (state, [])
        }
        if let reason = PairFlag.allCases.first(where: { $0.key == character }) {
            let keep = state.judgment.flag == reason.rawValue ? state.judgment.flagNote ?? "" : ""
            state.flagDraft = FlagDraft(reason: reason, note: keep)
            return (state, [])
        }
        if character == "c", state.judgment.flag != nil, let entry = state.entry {
            state.saveStatus = .saving
            state.message = "Flag cleared"
            return (state, [.append(.flag(slot: state.slot, item: entry.item, reason: nil, note: nil))])
        }
        state.message = "Not flagged"
        return (state, [])
    }

    /// Typing the flag's note: Enter saves the flag (with or without a note), Esc cancels it.
    static func editFlagNote(_ key: Key, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        guard let draft = state.flagDraft else { return (state, []) }
        switch key {
        case .escape:
            state.flagDraft = nil
            state.message = "Not flagged"
        case .enter:
            state.flagDraft = nil
            guard let entry = state.entry else { return (state, []) }
            let note = draft.note.isEmpty ? nil : draft.note
            if state.judgment.flag == draft.reason.rawValue, state.judgment.flagNote == note { return (state, []) }
            state.saveStatus = .saving
            state.message = "Flagged as \(draft.reason.rawValue) for the lead (u undoes, f then c clears)"
            return (state, [.append(.flag(slot: state.slot, item: entry.item, reason: draft.reason, note: note))])
        case .backspace, .delete:
            if !draft.note.isEmpty { state.flagDraft?.note.removeLast() }
        case .character(let character):
            if draft.note.count < AnnotationState.noteLimit { state.flagDraft?.note.append(character) }
        default:
            break
        }
        return (state, [])
    }

    /// Typing the search text: Enter searches (and goes to the first hit), Esc cancels.
    static func editSearch(_ key: Key, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        switch key {
        case .escape:
            state.searchDraft = nil
        case .enter:
            let query = state.searchDraft ?? ""
            state.searchDraft = nil
            guard !query.isEmpty else { state.search = nil; return (state, []) }
            state.search = SearchState(query: query)
            state.search?.current = -1
            moveToHit(&state, by: 1, layout: Layout(state))
        case .backspace, .delete:
            if state.searchDraft?.isEmpty == false { state.searchDraft!.removeLast() }
        case .character(let character):
            if (state.searchDraft?.count ?? 0) < 200 { state.searchDraft!.append(character) }
        default:
            break
        }
        return (state, [])
    }

    /// Moves to the next (or previous) hit, wrapping around: focuses its panel and scrolls it into view.
    static func moveToHit(_ state: inout AnnotationState, by step: Int, layout: Layout) {
        guard var search = state.search else { return }
        let hits = state.searchHits(layout)
        guard !hits.isEmpty else {
            state.message = "No match for \"\(SafeText.line(search.query))\" (Esc ends the search)"
            return
        }
        search.current = ((search.current + step) % hits.count + hits.count) % hits.count
        state.search = search
        let hit = hits[search.current]
        state.focus = hit.panel
        if hit.panel == .responseA { state.rubricSide = .a }
        if hit.panel == .responseB { state.rubricSide = .b }
        // The panel may have moved (a narrow screen shows the focused response), so measure again.
        let shown = Layout(state)
        let page = shown.pageSize(hit.panel)
        let offset = state.scroll[hit.panel] ?? 0
        if hit.line < offset || hit.line >= offset + page { state.scroll[hit.panel] = max(0, hit.line - page / 3) }
    }

    /// Pasted text goes only into a text field being edited, as one line (line breaks become spaces); anywhere
    /// else it is ignored, so a pasted paragraph can never score or choose anything.
    static func paste(_ text: String, _ state: AnnotationState) -> (AnnotationState, [Effect]) {
        var state = state
        var line = ""
        for character in text {
            line.append(character == "\n" || character == "\r\n" || character == "\r" ? " " : character)
        }
        if let draft = state.noteDraft {
            state.noteDraft = String((draft + line).prefix(AnnotationState.noteLimit))
        } else if let draft = state.searchDraft {
            state.searchDraft = String((draft + line).prefix(200))
        } else if let draft = state.flagDraft {
            state.flagDraft?.note = String((draft.note + line).prefix(AnnotationState.noteLimit))
        } else {
            state.message = "Paste ignored: paste only into a note being typed (e, or f)"
        }
        return (state, [])
    }

    /// A change is in the journal: fold it in, show it, and follow an undo to its pair.
    static func saved(_ state: AnnotationState, _ event: JournalEvent) -> (AnnotationState, [Effect]) {
        var state = state
        let wasAllDone = state.doneCount == state.totalCount
        let undone = event.type == .undo ? state.journal.nextUndoField : nil
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
        if let undone {
            var effects: [Effect] = []
            let moved = undone.slot != state.slot
            if moved { (state, effects) = go(state, to: undone.slot) }
            focusOnUndone(&state, kind: undone.kind, response: undone.response, criterion: undone.criterion)
            if moved { state.message = "Went to pair \(undone.slot + 1). " + (state.message ?? "") }
            return (state, effects)
        }
        if event.isChange, !wasAllDone, state.totalCount > 0, state.doneCount == state.totalCount {
            state.overlay = .summary
        }
        return (state, [])
    }

    /// After an undo, the focus goes back to the field the undone change was made on, so the next key redoes it
    /// there (and the footer says where that is).
    static func focusOnUndone(_ state: inout AnnotationState, kind: JournalEvent.Kind, response: String?, criterion: String?) {
        switch kind {
        case .rating:
            guard let entry = state.entry, let response, let side = entry.side(of: response),
                  let index = state.rubric.criteria.firstIndex(where: { $0.id == criterion }) else { return }
            state.rubricRow = .criterion(index)
            state.rubricSide = side
            state.focus = side == .a ? .responseA : .responseB
            state.message = "Undone: \(state.rubric.criteria[index].name) for response \(side.label) is focused again"
        case .preference:
            state.rubricRow = .preference
            state.message = "Undone: the preference is focused again"
        case .note:
            state.rubricRow = .note
            state.message = "Undone: the note is focused again"
        case .flag:
            state.message = "Undone: the flag is back as it was"
        default:
            state.message = "Undone"
        }
    }

    // MARK: - The lead amended the study

    /// The study was amended while this session runs (the runtime reloaded it and grew the journal's slots):
    /// take the new queue (existing slots never change; new ones are appended), skip withdrawn pairs, and say
    /// what changed in one line. A withdrawn current pair is left at once for the next unfinished one; a retired
    /// annotator's session ends as `q` would end it (everything saved counts).
    static func amended(_ state: AnnotationState, study: Study, items: StudyItems, journal: JournalState) -> (AnnotationState, [Effect]) {
        var state = state
        if let seq = study.retired[state.annotator] {
            state.study = study
            var (quitting, effects) = quit(state)
            quitting.message = "The lead retired you from this study (amendment \(seq)); everything you saved counts. Thank you!"
            quitting.retired = true
            return (quitting, effects)
        }
        let before = state.queue.count
        let withdrawnBefore = state.withdrawnSlots
        let queue = study.plan(for: state.annotator)?.queue ?? state.queue
        // A queue only grows; anything else means the study is not the one this session opened.
        guard queue.count >= before, Array(queue.prefix(before)) == state.queue, journal.slots.count >= queue.count else {
            state.message = "The study was changed in a way this session cannot follow; quit and start again (your work is saved)"
            return (state, [])
        }
        state.study = study
        state.items = items
        state.queue = queue
        state.journal = journal
        state.withdrawnSlots = Set(queue.indices.filter { study.withdrawn[queue[$0].item] != nil })
        var notes: [String] = []
        let added = queue.count - before
        // An adjudicator's queue grows too, but the session stays on the pairs it opened to settle.
        if added > 0, state.adjudication == nil { notes.append("The lead added \(added) pair\(added == 1 ? "" : "s")") }
        let newlyWithdrawn = state.withdrawnSlots.subtracting(withdrawnBefore).subtracting([state.slot]).count
        if newlyWithdrawn > 0 { notes.append("\(newlyWithdrawn) pair\(newlyWithdrawn == 1 ? "" : "s") withdrawn (skipped)") }
        var effects: [Effect] = []
        if state.isWithdrawn(state.slot), !withdrawnBefore.contains(state.slot) {
            let order = state.visitOrder
            let next = order.first { $0 > state.slot && !state.isComplete($0) } ?? order.first { !state.isComplete($0) } ?? order.first
            state.noteDraft = nil
            state.flagDraft = nil
            if case .confirmLeave = state.overlay { state.overlay = .none }
            if let next {
                (state, effects) = go(state, to: next)
                notes.insert("The lead withdrew that pair; now on pair \((state.visitPosition ?? next) + 1)", at: 0)
            } else {
                notes.insert("The lead withdrew this pair; no other pair is left", at: 0)
            }
            if state.allDone, state.activeCount > 0 { state.overlay = .summary }
        } else if added > 0, state.overlay == .summary, !state.allDone {
            notes[0] += " (g: next unfinished)"
        }
        if !notes.isEmpty { state.message = notes.joined(separator: "; ") }
        return (state, effects)
    }

    // MARK: - Moving between pairs

    /// Leaves the current pair for `target`, asking first when required fields are missing.
    static func leave(_ state: AnnotationState, to target: Int) -> (AnnotationState, [Effect]) {
        var state = state
        if state.entry != nil {
            let missing = state.missingHere
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
        state.search?.current = -1
        state.rubricRow = state.rubricRows[0]
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
