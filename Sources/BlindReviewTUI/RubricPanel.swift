import BlindReviewCore

/// The rubric: each criterion's score for A and for B, the preference, the note, and the anchor text of what
/// is focused. The chosen score is shown in brackets (and reversed), so it reads without colour.
enum RubricPanel {
    static func draw(_ state: AnnotationState, _ rect: Rect, _ grid: inout ScreenGrid) {
        guard rect.height > 0 else { return }
        AnnotationView.drawTitle("Rubric", info: "", focused: false, rect, &grid)
        let nameWidth = min(22, max(10, (state.rubric.criteria.map { DisplayWidth.of($0.name) }.max() ?? 10) + 1))
        let scaleWidth = (state.rubric.criteria.map { $0.max - $0.min + 1 }.max() ?? 5) * 3
        let columnWidth = max(scaleWidth + 2, 14)
        let columnA = rect.x + 3 + nameWidth
        let columnB = columnA + columnWidth + 2
        // The column heads sit on the title line, which saves a row for the anchor text.
        var y = rect.y
        grid.put(" Response A ", x: columnA, y: y, style: .bold)
        let headEnd = columnB + grid.put(" Response B ", x: columnB, y: y, style: .bold)
        let flag = flagInfo(state)
        if !flag.isEmpty, rect.x + rect.width - headEnd - 2 >= 4 {
            let room = rect.x + rect.width - headEnd - 2
            grid.put(" " + TextWrapper.ellipsized(flag, width: room - 2) + " ", x: headEnd + 1, y: y, style: CellStyle(bold: true, reverse: true, color: .warn))
        }
        y += 1
        let judgment = state.judgment
        for (index, criterion) in state.rubric.criteria.enumerated() {
            let rowFocused = state.rubricRow == .criterion(index)
            grid.put(rowFocused ? "▶" : " ", x: rect.x + 1, y: y, style: .bold)
            let name = criterion.required ? criterion.name : criterion.name + " (opt.)"
            grid.put(SafeText.line(name), x: rect.x + 3, y: y, style: rowFocused ? .bold : .plain, limit: nameWidth - 1)
            for side in Side.allCases {
                let x = side == .a ? columnA : columnB
                let response = state.responseID(side) ?? ""
                let chosen = judgment.rating(response: response, criterion: criterion.id)
                let focusedCell = rowFocused && state.rubricSide == side && state.noteDraft == nil
                drawScale(criterion, chosen: chosen, focused: focusedCell, x: x, y: y, &grid)
            }
            y += 1
        }
        // Preference.
        let preferenceFocused = state.rubricRow == .preference
        grid.put(preferenceFocused ? "▶" : " ", x: rect.x + 1, y: y, style: .bold)
        var x = rect.x + 3
        x += grid.put("Preference", x: x, y: y, style: preferenceFocused ? .bold : .plain)
        x = max(x + 1, columnA)
        // Every option stays visible: labels are shortened with "…" when the row is too narrow for them all.
        let options = state.rubric.preference.options
        var compact = false
        func text(_ option: PreferenceOption, labelWidth: Int?) -> String {
            let label = SafeText.line(option.label)
            var shown = labelWidth.map { TextWrapper.ellipsized(label, width: $0) } ?? label
            // Shortened labels that would read alike ("A much better", "A better" both "A …") say the side and
            // strength instead: A++, A+, tie, B+, B++.
            if compact { shown = option.favours.map { $0.label + String(repeating: "+", count: option.strength ?? 1) } ?? "tie" }
            return judgment.preference == option.id ? "[✓ \(shown)]" : "(\(option.key)) \(shown)"
        }
        let room = rect.x + rect.width - x - 1
        var labelWidth: Int?
        let fullWidth = options.reduce(0) { $0 + DisplayWidth.of(text($1, labelWidth: nil)) + 2 }
        if fullWidth > room, !options.isEmpty {
            labelWidth = max(1, room / options.count - 6)
            let shortened = options.map { TextWrapper.ellipsized(SafeText.line($0.label), width: labelWidth!) }
            compact = Set(shortened).count < shortened.count
        }
        for option in options {
            let chosen = judgment.preference == option.id
            let style = chosen ? CellStyle.selected : .plain
            x += grid.put(text(option, labelWidth: labelWidth), x: x, y: y, style: style, limit: max(0, rect.x + rect.width - x)) + 2
        }
        y += 1
        // Note.
        let noteFocused = state.rubricRow == .note
        grid.put(noteFocused ? "▶" : " ", x: rect.x + 1, y: y, style: .bold)
        grid.put("Note", x: rect.x + 3, y: y, style: noteFocused ? .bold : .plain)
        let noteWidth = rect.x + rect.width - columnA - 1
        if let draft = state.noteDraft {
            // Show the end of what is being typed, with a cursor.
            var shown = SafeText.line(draft) + "▏"
            while DisplayWidth.of(shown) > noteWidth, !shown.isEmpty { shown.removeFirst() }
            grid.fill(x: columnA, y: y, count: noteWidth, style: CellStyle(underline: true))
            grid.put(shown, x: columnA, y: y, style: CellStyle(underline: true), limit: noteWidth)
        } else if let note = judgment.note {
            grid.put(SafeText.line(note), x: columnA, y: y, style: .plain, limit: noteWidth)
        } else {
            grid.put("(none; e to write one)", x: columnA, y: y, style: .dim, limit: noteWidth)
        }
        y += 1
        // The anchor text of the focused criterion and side, on as many lines as the layout gave it.
        let anchorLines = TextWrapper.wrap(anchorLine(state), width: max(1, rect.width - 4))
        for (index, line) in anchorLines.enumerated() where y < rect.y + rect.height {
            let last = y == rect.y + rect.height - 1 && index < anchorLines.count - 1
            grid.put(last ? TextWrapper.ellipsized(line + " …", width: rect.width - 4) : line, x: rect.x + 3, y: y, style: CellStyle(color: .accent), limit: rect.width - 4)
            y += 1
        }
    }

    static func drawScale(_ criterion: Criterion, chosen: Int?, focused: Bool, x: Int, y: Int, _ grid: inout ScreenGrid) {
        var column = x
        grid.put(focused ? "▸" : " ", x: column, y: y, style: .bold)
        column += 1
        for score in criterion.scores {
            let isChosen = chosen == score
            let text = isChosen ? "[\(score)]" : " \(score) "
            var style: CellStyle = isChosen ? .selected : .dim
            if focused && !isChosen { style = CellStyle(underline: true) }
            column += grid.put(text, x: column, y: y, style: style)
        }
    }

    /// The flag raised on this pair, for the title line (empty when none).
    static func flagInfo(_ state: AnnotationState) -> String {
        guard let flag = state.judgment.flag else { return "" }
        return "⚑ \(flag)" + (state.judgment.flagNote.map { ": \(SafeText.line($0))" } ?? "")
    }

    /// Rows the anchor text needs at `width` (the layout gives it up to what the screen can spare).
    static func anchorLineCount(_ state: AnnotationState, width: Int) -> Int {
        TextWrapper.wrap(anchorLine(state), width: max(1, width - 4)).count
    }

    static func anchorLine(_ state: AnnotationState) -> String {
        switch state.rubricRow {
        case .criterion(let index):
            let criterion = state.rubric.criteria[index]
            let side = state.rubricSide
            let chosen = state.judgment.rating(response: state.responseID(side) ?? "", criterion: criterion.id)
            if let chosen, let anchor = criterion.anchor(for: chosen) {
                return SafeText.line("\(criterion.name), \(side.label) = \(chosen): \(anchor)")
            }
            let low = criterion.anchor(for: criterion.min).map { "\(criterion.min) = \($0)" } ?? ""
            let high = criterion.anchor(for: criterion.max).map { " … \(criterion.max) = \($0)" } ?? ""
            return SafeText.line("\(criterion.name), \(side.label): \(criterion.description)  \(low)\(high)")
        case .preference:
            return SafeText.line(state.rubric.preference.question)
        case .note:
            return "Optional free text about this pair (e to edit)"
        }
    }
}
