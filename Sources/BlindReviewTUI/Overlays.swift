import BlindReviewCore

/// Boxes drawn over the screen: help, "leave anyway?", and the all-done summary.
enum Overlays {
    static func box(title: String, lines: [(String, CellStyle)], _ grid: inout ScreenGrid) {
        let contentWidth = min(grid.width - 4, max(DisplayWidth.of(title) + 4, lines.map { DisplayWidth.of($0.0) }.max() ?? 0))
        let width = contentWidth + 4
        let height = min(grid.height - 2, lines.count + 2)
        let x = max(0, (grid.width - width) / 2)
        let y = max(0, (grid.height - height) / 2)
        for row in 0..<height { grid.fill(x: x, y: y + row, count: width, style: .plain) }
        grid.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: .bold)
        grid.put(" \(title) ", x: x + 2, y: y, style: CellStyle(bold: true, reverse: true))
        for row in 1..<max(1, height - 1) {
            grid.put("│", x: x, y: y + row, style: .bold)
            grid.put("│", x: x + width - 1, y: y + row, style: .bold)
            let index = row - 1
            if index < lines.count {
                grid.put(lines[index].0, x: x + 2, y: y + row, style: lines[index].1, limit: contentWidth)
            }
        }
        grid.put("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: .bold)
    }

    /// Text lines a scrolling overlay shows at once: the box's height less its borders and the hint line.
    static func overlayPage(height: Int) -> Int { max(1, height - 5) }

    /// The help: what is saved, this study's preference keys, then the reserved key table.
    static func helpLines(_ state: AnnotationState) -> [(String, CellStyle)] {
        let keyWidth = KeyBindings.all.map { DisplayWidth.of($0.keys) }.max() ?? 10
        let options = state.rubric.preference.options.map { "\($0.key) = \(SafeText.line($0.label))" }.joined(separator: ", ")
        // Lines wrap to the box (the screen less 4 columns), actions under actions.
        let width = max(20, state.width - 8)
        var lines: [(String, CellStyle)] = [("Every change is saved the moment it is made.", .dim)]
        lines += TextWrapper.wrap("Preference keys in this study: " + options, width: width).map { ($0, CellStyle.bold) }
        for binding in KeyBindings.all {
            let indent = String(repeating: " ", count: keyWidth + 2)
            for (index, piece) in TextWrapper.wrap(binding.action, width: max(8, width - keyWidth - 2)).enumerated() {
                let lead = index == 0 ? binding.keys + String(repeating: " ", count: keyWidth - DisplayWidth.of(binding.keys) + 2) : indent
                lines.append((lead + piece, .plain))
            }
        }
        return lines
    }

    static func help(_ state: AnnotationState, _ grid: inout ScreenGrid) {
        scrolling(title: "Keys", lines: helpLines(state), offset: state.overlayScroll, &grid)
    }

    /// A box of `lines` from `offset`, as many as fit, with a hint saying how to read on or close it.
    static func scrolling(title: String, lines all: [(String, CellStyle)], offset: Int, _ grid: inout ScreenGrid) {
        let page = overlayPage(height: grid.height)
        let offset = max(0, min(offset, all.count - page))
        var lines = Array(all.dropFirst(offset).prefix(page))
        let more = offset + page < all.count
        lines.append((more ? "↓ j/Space more · any other key closes" : "any key closes", .dim))
        box(title: title + (all.count > page ? " (line \(offset + 1)/\(all.count))" : ""), lines: lines, &grid)
    }

    static func confirm(_ state: AnnotationState, missing: [String], _ grid: inout ScreenGrid) {
        var shown = missing.prefix(6).joined(separator: ", ")
        if missing.count > 6 { shown += ", and \(missing.count - 6) more" }
        let wrapped = TextWrapper.wrap(shown, width: max(10, min(60, grid.width - 8))).map { ($0, CellStyle.bold) }
        box(title: "Leave this pair?", lines: [("This pair is not finished. Missing:", .plain)] + wrapped + [
            ("", .plain),
            ("y  leave anyway (you can come back: g finds it)", .plain),
            ("n  stay", .plain),
        ], &grid)
    }

    static func flag(_ state: AnnotationState, _ grid: inout ScreenGrid) {
        var lines: [(String, CellStyle)] = [("Flag this pair for the lead, then add a note if you like:", .plain), ("", .plain)]
        for reason in PairFlag.allCases {
            lines.append(("\(reason.key)  \(reason.rawValue)", state.judgment.flag == reason.rawValue ? .selected : .bold))
        }
        if state.judgment.flag != nil { lines.append(("c  clear the flag", .plain)) }
        lines.append(("", .plain))
        lines.append(("any other key: cancel", .dim))
        box(title: "Flag pair", lines: lines, &grid)
    }

    /// The guidelines wrapped for the box (raw text, made safe).
    static func guidelinesLines(_ state: AnnotationState) -> [String] {
        let width = max(10, min(100, state.width - 8))
        return TextWrapper.wrap(state.guidelines ?? "", width: width)
    }

    /// The study's guidelines in a box as tall as the screen allows, scrolled by j/k/Space/PgUp.
    static func guidelines(_ state: AnnotationState, _ grid: inout ScreenGrid) {
        scrolling(title: "Guidelines (i)", lines: guidelinesLines(state).map { ($0, CellStyle.plain) }, offset: state.overlayScroll, &grid)
    }

    /// Adjudication: why the pair is here, then each other annotator's verdict, scores (A / B, this screen's
    /// sides), note and flag.
    static func verdictLines(_ state: AnnotationState) -> [(String, CellStyle)] {
        guard let pair = state.adjudication?.pairs[state.slot] else { return [("This pair is not among those to adjudicate.", .plain)] }
        let width = max(20, min(100, state.width - 8))
        var lines: [(String, CellStyle)] = TextWrapper.wrap(SafeText.line(pair.reason), width: width).map { ($0, CellStyle.bold) }
        lines.append(("Sides as on this screen: A left, B right.", .dim))
        for verdict in pair.verdicts {
            lines.append(("", .plain))
            lines.append((SafeText.line(verdict.annotator) + ": " + SafeText.line(verdict.choice ?? "no preference"), .bold))
            let scored = verdict.scores.filter { $0.a != nil || $0.b != nil }
            if !scored.isEmpty {
                let names = Dictionary(uniqueKeysWithValues: state.rubric.criteria.map { ($0.id, $0.name) })
                let text = scored.map { "\(names[$0.criterion] ?? $0.criterion) A \($0.a.map(String.init) ?? "–") B \($0.b.map(String.init) ?? "–")" }.joined(separator: " · ")
                lines += TextWrapper.wrap(SafeText.line(text), width: width - 2).map { ("  " + $0, CellStyle.plain) }
            }
            if let note = verdict.note { lines += TextWrapper.wrap("note: " + SafeText.line(note), width: width - 2).map { ("  " + $0, CellStyle.plain) } }
            if let flag = verdict.flag { lines += TextWrapper.wrap("⚑ " + SafeText.line(flag), width: width - 2).map { ("  " + $0, CellStyle(color: .warn)) } }
        }
        if pair.verdicts.isEmpty { lines.append(("No one else judged this pair.", .plain)) }
        return lines
    }

    static func verdicts(_ state: AnnotationState, _ grid: inout ScreenGrid) {
        scrolling(title: "What the others said (v)", lines: verdictLines(state), offset: state.overlayScroll, &grid)
    }

    static func summary(_ state: AnnotationState, _ grid: inout ScreenGrid) {
        box(title: "All done", lines: [
            ("All \(state.totalCount) pairs are done. Thank you!", .bold),
            ("Every judgment is saved in journals/\(SafeText.line(state.annotator)).jsonl.", .plain),
            ("", .plain),
            ("q  quit", .plain),
            ("n/p  review pairs (changes are saved as before)", .plain),
        ], &grid)
    }
}
