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
        drawFooter(state, layout.footer, &grid)
        switch state.overlay {
        case .none: break
        case .help: Overlays.help(state, &grid)
        case .confirmLeave(_, let missing): Overlays.confirm(state, missing: missing, &grid)
        case .summary: Overlays.summary(state, &grid)
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
        let total = state.queue.count
        let done = state.doneCount
        let status: String
        switch state.saveStatus {
        case .idle: status = "all saved"
        case .saving: status = "saving…"
        case .saved: status = "saved ✓"
        case .failed: status = "NOT SAVED ✗"
        }
        let left = " blindreview · \(SafeText.line(state.study.name)) · \(SafeText.line(state.annotator)) · pair \(min(state.slot + 1, total))/\(total) "
        let counts = " \(done) done · \(total - done) left "
        let right = " \(status) "
        let style = CellStyle(bold: true, reverse: true)
        var x = grid.put(left, x: 0, y: rect.y, style: style)
        let room = rect.width - x - DisplayWidth.of(counts) - DisplayWidth.of(right)
        if room >= 8 {
            let barWidth = min(30, room - 2)
            let filled = total == 0 ? 0 : Int((Double(done) / Double(total) * Double(barWidth)).rounded())
            x += grid.put("[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]", x: x, y: rect.y, style: style)
        }
        x += grid.put(counts, x: x, y: rect.y, style: style)
        let statusStyle = CellStyle(bold: true, reverse: true, color: {
            if case .failed = state.saveStatus { return .warn }
            return .good
        }())
        grid.put(right, x: max(x, rect.width - DisplayWidth.of(right)), y: rect.y, style: statusStyle)
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
        let info = lines.count > page ? "line \(offset + 1)/\(lines.count)" : ""
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
    }

    static func drawResponse(_ state: AnnotationState, _ side: Side, _ rect: Rect, _ layout: Layout, _ grid: inout ScreenGrid) {
        guard rect.height > 0 else { return }
        let panel: Panel = side == .a ? .responseA : .responseB
        let width = max(1, rect.width - 2)
        let lines = state.responseLines(side, width: width)
        let page = max(0, rect.height - 1)
        let offset = min(state.scroll[panel] ?? 0, max(0, lines.count - page))
        let info = "line \(min(offset + 1, lines.count))/\(lines.count)" + (offset + page < lines.count ? " ↓" : "")
        var title = "Response \(side.label)"
        if !layout.sideBySide { title += side == .a ? "  (Tab: B)" : "  (Tab: A)" }
        let focused = state.focus == panel
        drawTitle(title, info: info, focused: focused, rect, &grid)
        for row in 0..<page where offset + row < lines.count {
            let line = lines[offset + row]
            grid.put(line.text, x: rect.x + 1, y: rect.y + 1 + row, style: line.style, limit: width)
        }
    }

    static func drawFooter(_ state: AnnotationState, _ rect: Rect, _ grid: inout ScreenGrid) {
        if let message = state.message {
            let warn = message.hasPrefix("NOT SAVED")
            grid.fill(x: 0, y: rect.y, count: rect.width, style: CellStyle(reverse: warn))
            grid.put(" " + SafeText.line(message), x: 0, y: rect.y, style: CellStyle(bold: true, reverse: warn, color: warn ? .warn : .accent), limit: rect.width)
            return
        }
        let hints: [(String, String)]
        if state.noteDraft != nil {
            hints = [("type", "the note"), ("Enter", "save"), ("Esc", "cancel"), ("Bksp", "delete")]
        } else {
            let options = state.rubric.preference.options.map(\.key).joined(separator: "/")
            let low = state.rubric.criteria.map(\.min).min() ?? 1, high = state.rubric.criteria.map(\.max).max() ?? 5
            // Most needed first: what does not fit at the right edge is dropped.
            hints = [("\(low)-\(high)", "score"), ("↑↓", "criterion"), ("←→", "A/B"), (options, "prefer"),
                     ("n/p", "pair"), ("?", "help"), ("q", "quit"), ("u", "undo"), ("e", "note"), ("g", "unfinished")]
        }
        var x = 1
        for (key, action) in hints {
            let width = DisplayWidth.of(key) + DisplayWidth.of(action) + 1
            if x + width > rect.width { continue }
            x += grid.put(key, x: x, y: rect.y, style: CellStyle(bold: true, color: .accent))
            x += grid.put(" " + action + "  ", x: x, y: rect.y, style: .plain)
        }
    }
}
