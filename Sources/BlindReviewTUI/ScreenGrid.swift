/// How a cell looks. Colours carry meaning only together with another sign (brackets, reverse, a symbol),
/// so monochrome terminals and `NO_COLOR` lose nothing.
public struct CellStyle: Hashable, Sendable {
    public enum Color: UInt8, Sendable { case none, accent, good, warn, muted }

    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false
    public var color: Color = .none

    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false, color: Color = .none) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
        self.color = color
    }

    public static let plain = CellStyle()
    public static let bold = CellStyle(bold: true)
    public static let dim = CellStyle(dim: true, color: .muted)
    public static let selected = CellStyle(bold: true, reverse: true)
}

/// One terminal cell: a character (a grapheme cluster) and its style. A cluster wider than one column (CJK,
/// emoji, a Devanagari conjunct with vowel signs) fills its cell and marks the next `width - 1` cells as
/// continuations (`width` 0, empty text).
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: Int
    public var style: CellStyle

    public static let blank = Cell(text: " ", width: 1, style: .plain)
}

/// An in-memory screen that views draw into and tests read; the ncurses backend only copies it out.
///
///     var grid = ScreenGrid(width: 10, height: 2)
///     grid.put("日本", x: 0, y: 0)
///     grid.lines()[0]   // "日本      "
public struct ScreenGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Draws `text` (already safe: see ``SafeText``) from column `x`, clipped to `limit` columns and the grid.
    /// Returns the columns used. A wide character that would straddle the edge is replaced by a space.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A stray combining mark joins the cell before it.
                if column > x, column - 1 < width, column - 1 >= 0 {
                    var target = column - 1
                    while target > 0, cells[y * width + target].width == 0 { target -= 1 }
                    cells[y * width + target].text += String(character)
                }
                continue
            }
            if column + w > end {
                // A cluster that would straddle the edge: spaces instead, never half of it.
                for blank in max(0, column)..<max(max(0, column), end) { set(blank, y, Cell(text: " ", width: 1, style: style)) }
                break
            }
            if column >= 0 {
                set(column, y, Cell(text: String(character), width: w, style: style))
            }
            column += w
        }
        return column - x
    }

    /// Changes the style of `count` columns from `x` (the text stays): for search hits and differences.
    public mutating func restyle(x: Int, y: Int, count: Int, _ change: (inout CellStyle) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) { change(&cells[y * width + column].style) }
    }

    /// Fills a run of cells with spaces in `style` (for bars and highlighted rows).
    public mutating func fill(x: Int, y: Int, count: Int, style: CellStyle, character: Character = " ") {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) {
            set(column, y, Cell(text: String(character), width: 1, style: style))
        }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let w = max(1, cell.width)
        let row = y * width
        let end = min(width, x + w)
        // Overwriting part of a wide cluster blanks the rest of it: to the left of x ...
        if cells[row + x].width == 0 {
            var owner = x
            while owner > 0, cells[row + owner].width == 0 { owner -= 1 }
            for column in owner..<x { cells[row + column] = .blank }
        }
        // ... and to the right of what is written.
        var column = end
        while column < width, cells[row + column].width == 0 {
            cells[row + column] = .blank
            column += 1
        }
        cells[row + x] = cell
        for continuation in (x + 1)..<max(x + 1, end) { cells[row + continuation] = Cell(text: "", width: 0, style: cell.style) }
    }

    /// The screen as text, one string per row (continuation cells skipped).
    public func lines() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where cells[y * width + x].width > 0 { line += cells[y * width + x].text }
            return line
        }
    }

    /// The whole screen as one string, rows joined by newlines, trailing spaces trimmed (for test output).
    public var text: String {
        lines().map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }
}
