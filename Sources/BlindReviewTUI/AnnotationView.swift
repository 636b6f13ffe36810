import BlindReviewCore

/// Draws the annotation screen for a state into a fresh grid. Pure: the same state and size give the same grid.
///
///     let grid = AnnotationView.render(state)
///     grid.lines()[0]   // "blindreview · demo · annotator demo · pair 3/22 ..."
public enum AnnotationView {
    public static func render(_ state: AnnotationState) -> ScreenGrid {
        var grid = ScreenGrid(width: state.width, height: state.height)
        guard state.width > 0, state.height > 0 else { return grid }
        if state.tooSmall {
            drawTooSmall(state, &grid)
            return grid
        }
        let layout = Layout(state)
        drawHeader(state, layout.header, &grid)
        drawPrompt(state, layout, &grid)
        if let rect = layout.responseA { drawResponse(state, .a, rect, layout, &grid) }
        if let rect = layout.responseB { drawResponse(state, .b, rect, layout, &grid) }
        if layout.sideBySide, let a = layout.responseA {
            for y in a.y..<(a.y + a.height) { grid.put("│", x: a.x + a.width, y: y, style: .dim) }
        }
        RubricPanel.draw(state, layout.rubric, &grid)
        drawFooter(state, layout, &grid)
        switch state.overlay {
        case .none: break
        case .help: Overlays.help(state, &grid)
        case .confirmLeave(_, let missing): Overlays.confirm(state, missing: missing, &grid)
        case .summary: Overlays.summary(state, &grid)
        case .flag: Overlays.flag(state, &grid)
        case .guidelines: Overlays.guidelines(state, &grid)
        case .verdicts: Overlays.verdicts(state, &grid)
        }
        return grid
    }

    static func drawTooSmall(_ state: AnnotationState, _ grid: inout ScreenGrid) {
        let text = "Terminal too small (\(state.width)x\(state.height)). blindreview needs at least \(Layout.minimumWidth)x\(Layout.minimumHeight): enlarge the window. Your work is saved; q quits."
        let lines = TextWrapper.wrap(text, width: max(1, state.width))
        let top = max(0, (state.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < state.height {
            grid.put(line, x: 0, y: top + index, style: .bold)
        }
    }

    static func drawHeader(_ state: AnnotationState, _ rect: Rect, _ grid: inout ScreenGrid) {
        grid.fill(x: 0, y: rect.y, count: rect.width, style: CellStyle(reverse: true))
        let total = state.totalCount
        let done = state.doneCount
        let status: String
        switch state.saveStatus {
        case .idle: status = "all saved"
        case .saving: status = "saving…"
        case .saved: status = "saved ✓"
        case .failed: status = "NOT SAVED ✗"
        }
        // What must stay: the pair number and the save state. Names give way first (shortened with "…"), then the
        // progress bar, the counts and the program name.
        let pair = (state.adjudication == nil ? "pair " : "adjudicating ") + (state.visitPosition.map { "\(min($0 + 1, total))" } ?? "–") + "/\(total)"
        let counts = " \(done) done · \(total - done) left "
        let right = " \(status) "
        let study = SafeText.line(state.study.name), annotator = SafeText.line(state.annotator)
        let namesWidth = DisplayWidth.of(study) + DisplayWidth.of(annotator)
        let room = rect.width - DisplayWidth.of(right)
        var left = ""
        var showCounts = true
        for (prefix, withCounts) in [(" blindreview · ", true), (" ", true), (" ", false)] {
            let fixed = DisplayWidth.of(prefix) + 6 + DisplayWidth.of(pair) + 1 + (withCounts ? DisplayWidth.of(counts) : 0)
            let nameRoom = room - fixed
            guard nameRoom >= min(namesWidth, 12) || !withCounts else { continue }
            let studyRoom = max(3, min(DisplayWidth.of(study), max(nameRoom / 2, nameRoom - DisplayWidth.of(annotator))))
            let annotatorRoom = max(3, nameRoom - studyRoom)
            left = prefix + TextWrapper.ellipsized(study, width: studyRoom) + " · " + TextWrapper.ellipsized(annotator, width: annotatorRoom) + " · " + pair + " "
            showCounts = withCounts
            break
        }
        let style = CellStyle(bold: true, reverse: true)
        var x = grid.put(left, x: 0, y: rect.y, style: style, limit: room)
        if showCounts {
            let barRoom = room - x - DisplayWidth.of(counts)
            if barRoom >= 8 {
                let barWidth = min(30, barRoom - 2)
                let filled = total == 0 ? 0 : Int((Double(done) / Double(total) * Double(barWidth)).rounded())
                x += grid.put("[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]", x: x, y: rect.y, style: style)
            }
            x += grid.put(counts, x: x, y: rect.y, style: style, limit: max(0, room - x))
        }
        let statusStyle = CellStyle(bold: true, reverse: true, color: {
            if case .failed = state.saveStatus { return .warn }
            return .good
        }())
        grid.put(right, x: max(0, rect.width - DisplayWidth.of(right)), y: rect.y, style: statusStyle)
    }

    /// A panel's title line: `─ Title ─── info ─`, marked when focused.
    static func drawTitle(_ title: String, info: String, focused: Bool, _ rect: Rect, _ grid: inout ScreenGrid) {
        grid.fill(x: rect.x, y: rect.y, count: rect.width, style: .dim, character: "─")
        let label = focused ? "▶ \(title) " : " \(title) "
        var x = rect.x + 1
        x += grid.put(label, x: x, y: rect.y, style: focused ? CellStyle(bold: true, reverse: true) : .bold, limit: rect.width - 2)
        let infoText = " \(info) "
        let infoX = rect.x + rect.width - DisplayWidth.of(infoText) - 1
        if !info.isEmpty, infoX > x { grid.put(infoText, x: infoX, y: rect.y, style: .dim) }
    }

    static func drawPrompt(_ state: AnnotationState, _ layout: Layout, _ grid: inout ScreenGrid) {
        let rect = layout.prompt
        guard rect.height > 0 else { return }
        let lines = state.promptLines(width: layout.textWidth(.prompt))
        let page = max(0, rect.height - 1)
        let offset = min(state.scroll[.prompt] ?? 0, max(0, lines.count - page))
        // No pair id here: a hidden repeat would give itself away.
        let info = lines.count > page ? "line \(offset + 1)/\(lines.count)" + scrollMarks(offset: offset, page: page, total: lines.count) : ""
        let title = state.item?.reference != nil ? "Prompt & reference (r)" : "Prompt"
        drawTitle(title, info: info, focused: state.focus == .prompt, rect, &grid)
        if let error = state.loadError {
            grid.put(SafeText.line(error), x: rect.x + 1, y: rect.y + 1, style: CellStyle(bold: true, color: .warn), limit: rect.width - 2)
            return
        }
        for row in 0..<page where offset + row < lines.count {
            let line = lines[offset + row]
            grid.put(line.text, x: rect.x + 1, y: rect.y + 1 + row, style: line.style, limit: rect.width - 2)
        }
        markHits(state, .prompt, rect, offset: offset, page: page, layout, &grid)
    }

    /// Search hits in the visible lines of a panel: reversed and underlined, the current one also bold in colour.
    static func markHits(_ state: AnnotationState, _ panel: Panel, _ rect: Rect, offset: Int, page: Int, _ layout: Layout, _ grid: inout ScreenGrid) {
        guard let search = state.search else { return }
        for (index, hit) in state.searchHits(layout).enumerated() where hit.panel == panel && hit.line >= offset && hit.line < offset + page {
            let current = index == search.current
            grid.restyle(x: rect.x + 1 + hit.column, y: rect.y + 1 + hit.line - offset, count: min(hit.width, rect.width - 2 - hit.column)) { style in
                style.reverse = true
                style.underline = true
                if current { style.bold = true; style.color = .warn }
            }
        }
    }

    /// ` ↑` when lines lie above, ` ↓` when lines lie below (both when both).
    static func scrollMarks(offset: Int, page: Int, total: Int) -> String {
        (offset > 0 ? " ↑" : "") + (offset + page < total ? " ↓" : "")
    }

    static func drawResponse(_ state: AnnotationState, _ side: Side, _ rect: Rect, _ layout: Layout, _ grid: inout ScreenGrid) {
        guard rect.height > 0 else { return }
        let panel: Panel = side == .a ? .responseA : .responseB
        let width = max(1, rect.width - 2)
        let lines = state.responseLines(side, width: width)
        let page = max(0, rect.height - 1)
        // Wrapped only as far as this page and one line more (enough to clamp the offset and know what lies
        // below); the total shows once known (at once for ordinary responses; for a huge one after an idle
        // second, End or a search: see ``AnnotationUpdate``'s `.tick`).
        let scrolled = state.scroll[panel] ?? 0
        let known = lines.count(atMost: scrolled + page + 1)
        let offset = min(scrolled, max(0, known - page))
        let total = lines.knownCount
        let info = "line \(min(offset + 1, known))/\(total.map(String.init) ?? "…")" + scrollMarks(offset: offset, page: page, total: known)
        var title = "Response \(side.label)" + (state.showDiff ? " · differences" : state.showMarkdown ? " · markdown" : "")
        if !layout.sideBySide { title += side == .a ? "  (Tab: B)" : "  (Tab: A)" }
        let focused = state.focus == panel
        drawTitle(title, info: info, focused: focused, rect, &grid)
        for (row, line) in lines.lines(offset..<(offset + page)).enumerated() {
            grid.put(line.text, x: rect.x + 1, y: rect.y + 1 + row, style: line.style, limit: width)
        }
        if state.showDiff {
            let marks = state.diffMarks(side, width: width)
            for row in 0..<page {
                for mark in marks[offset + row] ?? [] where mark.column < width {
                    grid.restyle(x: rect.x + 1 + mark.column, y: rect.y + 1 + row, count: min(mark.width, width - mark.column)) { style in
                        style.underline = true
                        style.bold = true
                        style.color = .warn
                    }
                }
            }
        }
        markHits(state, panel, rect, offset: offset, page: page, layout, &grid)
    }

    static func drawFooter(_ state: AnnotationState, _ layout: Layout, _ grid: inout ScreenGrid) {
        let rect = layout.footer
        if let message = state.message {
            let warn = message.hasPrefix("NOT SAVED")
            grid.fill(x: 0, y: rect.y, count: rect.width, style: CellStyle(reverse: warn))
            // Help and quit stay reachable at the right edge while a message shows.
            let keys = " ? q "
            let room = rect.width - DisplayWidth.of(keys)
            grid.put(" " + TextWrapper.ellipsized(SafeText.line(message), width: room - 1), x: 0, y: rect.y, style: CellStyle(bold: true, reverse: warn, color: warn ? .warn : .accent), limit: room)
            grid.put(keys, x: room, y: rect.y, style: CellStyle(bold: true, reverse: warn, color: .accent))
            return
        }
        if let draft = state.flagDraft {
            // The flag's note is typed here, one line, showing its end with a cursor.
            let label = " ⚑ \(draft.reason.rawValue), note (optional; Enter saves, Esc cancels): "
            var x = grid.put(label, x: 0, y: rect.y, style: CellStyle(bold: true, color: .accent), limit: rect.width)
            let room = max(1, rect.width - x - 1)
            var shown = SafeText.line(draft.note) + "▏"
            while DisplayWidth.of(shown) > room, !shown.isEmpty { shown.removeFirst() }
            grid.put(shown, x: x, y: rect.y, style: CellStyle(underline: true), limit: room)
            return
        }
        if let draft = state.searchDraft {
            let x = grid.put(" / search: ", x: 0, y: rect.y, style: CellStyle(bold: true, color: .accent))
            var shown = SafeText.line(draft) + "▏"
            while DisplayWidth.of(shown) > rect.width - x - 24, !shown.isEmpty { shown.removeFirst() }
            let end = x + grid.put(shown, x: x, y: rect.y, style: CellStyle(underline: true))
            grid.put("  Enter search  Esc cancel", x: end, y: rect.y, style: .dim, limit: max(0, rect.width - end))
            return
        }
        let hints: [(String, String)]
        if let search = state.search {
            let hits = state.searchHits(layout)
            let position = search.current >= 0 && !hits.isEmpty ? "\(search.current + 1)/\(hits.count)" : "\(hits.count) hits"
            hints = [("/", "\"\(TextWrapper.ellipsized(SafeText.line(search.query), width: 16))\" \(position)"), ("n", "next"), ("N", "previous"),
                     ("Esc", "end search"), ("]", "next pair")]
        } else if state.noteDraft != nil {
            hints = [("type", "the note"), ("Enter", "save"), ("Esc", "cancel"), ("Bksp", "delete")]
        } else if let brief = state.adjudication {
            // The others' verdicts stay in view, as much as fits beside "? help q quit" (v: all of it, with scores);
            // the verdict keys follow when there is room (the rubric panel shows them too).
            let options = state.rubric.preference.options.map(\.key).joined(separator: "/")
            let said = brief.summary(slot: state.slot) ?? "not among the pairs to adjudicate"
            hints = [("v", TextWrapper.ellipsized(SafeText.line(said), width: max(12, rect.width - 20))), (options, "verdict"), ("n/p", "pair"), ("u", "undo")]
        } else {
            let options = state.rubric.preference.options.map(\.key).joined(separator: "/")
            let low = state.rubric.criteria.map(\.min).min() ?? 1, high = state.rubric.criteria.map(\.max).max() ?? 5
            // Most needed first: what does not fit is dropped, but "? help" and "q quit" always stay.
            hints = [("\(low)-\(high)", "score"), (options, "prefer"), ("↑↓", "criterion"), ("←→", "A/B"),
                     ("n/p", "pair"), ("u", "undo"), ("e", "note"), ("f", "flag"), ("g", "unfinished"), ("/", "search"),
                     ("d", state.showDiff ? "hide diff" : "diff"), ("m", state.showMarkdown ? "raw" : "markdown")]
                + (state.guidelines != nil ? [("i", "guidelines")] : [])
        }
        let kept: [(String, String)] = state.noteDraft == nil ? [("?", "help"), ("q", "quit")] : []
        let keptWidth = kept.reduce(0) { $0 + DisplayWidth.of($1.0) + DisplayWidth.of($1.1) + 3 }
        var x = 1
        var shown: [(String, String)] = []
        for hint in hints {
            let width = DisplayWidth.of(hint.0) + DisplayWidth.of(hint.1) + 3
            if x + width + keptWidth > rect.width + 2 { continue }
            shown.append(hint)
            x += width
        }
        x = 1
        for (key, action) in shown + kept {
            x += grid.put(key, x: x, y: rect.y, style: CellStyle(bold: true, color: .accent))
            x += grid.put(" " + action + "  ", x: x, y: rect.y, style: .plain, limit: max(0, rect.width - x))
        }
    }
}
