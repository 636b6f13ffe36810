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

/// One terminal cell: a character (with any combining marks) and its style. A wide character fills its cell
/// and marks the next as a continuation (`width` 0, empty text).
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
                    let target = cells[y * width + column - 1].width == 0 && column >= 2 ? column - 2 : column - 1
                    cells[y * width + target].text += String(character)
                }
                continue
            }
            if column + w > end {
                if column < end && w == 2 { set(column, y, Cell(text: " ", width: 1, style: style)) }
                break
            }
            if column >= 0 {
                set(column, y, Cell(text: String(character), width: w, style: style))
                if w == 2 { set(column + 1, y, Cell(text: "", width: 0, style: style)) }
            }
            column += w
        }
        return column - x
    }

    /// Fills a run of cells with spaces in `style` (for bars and highlighted rows).
    public mutating func fill(x: Int, y: Int, count: Int, style: CellStyle, character: Character = " ") {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) {
            set(column, y, Cell(text: String(character), width: 1, style: style))
        }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        // Overwriting half of a wide character blanks its other half.
        let index = y * width + x
        if cells[index].width == 2, x + 1 < width { cells[index + 1] = .blank }
        if cells[index].width == 0, x > 0, cells[index - 1].width == 2 { cells[index - 1] = .blank }
        cells[index] = cell
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
