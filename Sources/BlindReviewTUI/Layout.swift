import BlindReviewCore

/// A rectangle of the screen.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
}

/// Where each part of the annotation screen goes for a terminal size. Both `update` (page sizes) and `view`
/// use it, so scrolling and drawing agree.
///
///     Layout(state).sideBySide   // true at 120 columns or more
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 18
    public static let sideBySideWidth = 120

    public var tooSmall: Bool
    public var header: Rect
    public var prompt: Rect
    /// Response panels: both when side by side, else only the one shown.
    public var responseA: Rect?
    public var responseB: Rect?
    public var rubric: Rect
    public var footer: Rect
    public var sideBySide: Bool

    public init(_ state: AnnotationState) {
        let width = state.width, height = state.height
        tooSmall = width < Layout.minimumWidth || height < Layout.minimumHeight
        sideBySide = width >= Layout.sideBySideWidth
        header = Rect(x: 0, y: 0, width: width, height: 1)
        footer = Rect(x: 0, y: max(0, height - 1), width: width, height: 1)
        // The rubric: title (with the column heads), criteria, preference, note, then the focused anchor text in
        // full when the screen can spare the rows (the middle keeps at least 10), else on one line.
        let anchorRows = max(1, min(RubricPanel.anchorLineCount(state, width: width), height - 2 - (state.rubric.criteria.count + 3) - 10))
        let rubricHeight = state.rubric.criteria.count + 3 + anchorRows
        rubric = Rect(x: 0, y: max(1, height - 1 - rubricHeight), width: width, height: rubricHeight)
        let middleTop = 1
        let middleHeight = max(0, rubric.y - middleTop)
        let promptLines = state.promptLineCount(width: max(1, width - 2))
        // The prompt gets up to 2/5 of the middle, more when the responses shown need less than the rest.
        // Each response measured at the width it is drawn at (B is a column wider than A when the width is
        // even), so that its lines are wrapped once, not once here and again for drawing.
        let left = (width - 1) / 2
        let bySide = sideBySide
        let responseWidth = { (side: Side) -> Int in max(1, (bySide ? (side == .a ? left : width - left - 1) : width) - 2) }
        let shownSides: [Side] = sideBySide ? [.a, .b] : [state.shownNarrowSide]
        // Only whether a response needs the whole middle matters, so it is wrapped no further than that.
        let responseNeed = max(3, (shownSides.map { state.responseLines($0, width: responseWidth($0)).count(atMost: middleHeight) }.max() ?? 0) + 1)
        let promptRoom = max(4, middleHeight * 2 / 5, middleHeight - responseNeed)
        let promptHeight = min(promptLines + 1, promptRoom)
        prompt = Rect(x: 0, y: middleTop, width: width, height: promptHeight)
        let responsesTop = middleTop + promptHeight
        let responsesHeight = max(0, middleHeight - promptHeight)
        if sideBySide {
            responseA = Rect(x: 0, y: responsesTop, width: left, height: responsesHeight)
            responseB = Rect(x: left + 1, y: responsesTop, width: width - left - 1, height: responsesHeight)
        } else {
            let shown = Rect(x: 0, y: responsesTop, width: width, height: responsesHeight)
            if state.shownNarrowSide == .a { responseA = shown; responseB = nil } else { responseA = nil; responseB = shown }
        }
    }

    /// The rectangle a panel is drawn in (on a narrow screen both responses share the one shown).
    public func rect(_ panel: Panel) -> Rect? {
        switch panel {
        case .prompt: return prompt
        case .responseA: return responseA ?? responseB
        case .responseB: return responseB ?? responseA
        }
    }

    /// Lines of text a panel shows (its height less the title line).
    public func pageSize(_ panel: Panel) -> Int {
        max(1, (rect(panel)?.height ?? 2) - 1)
    }

    /// Text width inside a panel (one column of margin each side).
    public func textWidth(_ panel: Panel) -> Int {
        max(1, (rect(panel)?.width ?? 3) - 2)
    }
}

extension AnnotationState {
    /// On a narrow screen, which response is shown: the focused one (or the rubric's side when the prompt has focus).
    public var shownNarrowSide: Side {
        switch focus {
        case .responseA: return .a
        case .responseB: return .b
        case .prompt: return rubricSide
        }
    }

    /// The prompt panel's text: every turn marked, then the reference answer (when shown).
    public var promptText: [(label: String, text: String)] {
        guard let item else { return [] }
        var parts: [(String, String)] = []
        let userTurns = item.prompt.filter { $0.role == "user" }.count
        var userIndex = 0
        for message in item.prompt {
            switch message.role {
            case "user":
                userIndex += 1
                parts.append((userTurns > 1 ? "User, turn \(userIndex)" : "User", message.content))
            case "assistant": parts.append(("Assistant (earlier turn)", message.content))
            case "system": parts.append(("System", message.content))
            default: parts.append((message.role.capitalized, message.content))
            }
        }
        if let reference = item.reference {
            if showReference {
                for (index, turn) in reference.enumerated() {
                    parts.append((reference.count > 1 ? "Reference answer, turn \(index + 1)" : "Reference answer", turn))
                }
            } else {
                parts.append(("Reference answer hidden (r to show)", ""))
            }
        }
        return parts
    }

    /// The prompt panel's wrapped lines at `width`.
    public func promptLines(width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for (index, part) in promptText.enumerated() {
            let key = "prompt:\(entry?.item ?? ""):\(index):\(showReference)"
            lines.append(StyledLine(text: "▌" + part.label, style: CellStyle(bold: true, color: .accent)))
            if !part.text.isEmpty {
                lines += wrapCache.lines(key: key, width: width, text: { part.text }).map { StyledLine(text: $0, style: .plain) }
            }
        }
        return lines
    }

    public func promptLineCount(width: Int) -> Int { promptLines(width: width).count }

    /// A response's lines at `width`, each turn marked when there are several, wrapped lazily (see
    /// ``WrappedLines``): drawing a page wraps only as far as that page. Kept per response, view (raw or Markdown)
    /// and width, so a keypress does not wrap again; the raw text is made safe once per response, not per width.
    /// The Markdown view is rendered whole.
    public func responseLines(_ side: Side, width: Int) -> WrappedLines {
        let empty = StyledLine(text: "(empty response)", style: .dim)
        guard let response = response(side) else { return WrappedLines([], width: width) }
        return responseLineCache.lines(key: "\(response.id):\(showMarkdown ? "md" : "raw")", width: width) {
            let marked = response.turns.count > 1
            if showMarkdown {
                var lines: [StyledLine] = []
                for (index, turn) in response.turns.enumerated() {
                    if marked { lines.append(turnHeader(index)) }
                    lines += MarkdownLines.render(turn, width: width)
                }
                return WrappedLines(ready: lines, width: width, whenEmpty: empty)
            }
            var parts: [WrappedLines.Part] = []
            for (index, turn) in response.turns.enumerated() {
                if marked { parts.append(.line(turnHeader(index))) }
                parts += safeLineCache.parts(key: "\(response.id):\(index)", text: { turn })
            }
            return WrappedLines(parts, width: width, whenEmpty: empty)
        }
    }

    private func turnHeader(_ index: Int) -> StyledLine {
        StyledLine(text: "▌Turn \(index + 1)", style: CellStyle(bold: true, color: .accent))
    }
}

/// A line of panel text with its style.
public struct StyledLine: Equatable, Sendable {
    public var text: String
    public var style: CellStyle
}
